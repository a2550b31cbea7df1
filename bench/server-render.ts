// `npm run bench:server-render`: server-side viewing on the reference backend, with the bench's
// documents.
//  1. First page: the manifest and page 1's image (scale 1.5, about a 900 px wide page) over the
//     bench's shaped link (one bandwidth shared by every response, default 4 MB/s, and 40 ms before
//     each request), cold (nothing rendered yet) and warm (the clean render cached), against the
//     PDF mode's floor on the same link: page 1's bytes (`page1Bytes`, everything a reader needs to
//     draw it) in one range request of the content route; and the element's own first page in PDF
//     mode (a browser, pdf.js, several requests) from `npm run bench`'s last results.json.
//  2. Pages a second: CLIENTS concurrent readers (one token each) asking for distinct pages at
//     scale 1 on loopback, cold (every page rendered) and then the same pages warm (from the cache,
//     watermarked per response).
// Options: --documents=<part,…> (default: packed, text 1500p, scanned 60p), --pages=<n> per
// throughput run (default 24), --clients=<n> (default 4), --bandwidth=<MB/s>, --latency=<ms>.
import http from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startBackend, type RunningBackend } from '../demo/server/app.ts';
import { benchDir, cacheDir } from './config.ts';
import { ensureDocument, firstPageDocuments, type GeneratedDocument } from './documents.ts';
import { BandwidthLimiter } from '../shared/bandwidth-limiter.ts';
import { sleep } from './server.ts';

function option(name: string, fallback: string): string {
  const arg = process.argv.slice(2).find((a) => a.startsWith(`--${name}=`));
  return arg ? arg.slice(name.length + 3) : fallback;
}

const DOCUMENTS = option('documents', 'packed-200p,text-1500p,scanned-60p').split(',').filter(Boolean);
const PAGES = Number(option('pages', '24'));
const CLIENTS = Number(option('clients', '4'));
const BANDWIDTH = Number(option('bandwidth', '4')) * 1_000_000;
const LATENCY_MS = Number(option('latency', '40'));
const FIRST_PAGE_SCALE = 1.5;
const THROUGHPUT_SCALE = 1;

interface Manifest {
  pageCount: number;
  urls: { image: string };
}

/**
 * The bench's link in front of the backend: every request waits `latencyMs`, every response body
 * shares one bandwidth budget, chunk by chunk.
 */
function startShapedLink(target: string): Promise<{ url: string; reset(): void; close(): Promise<void> }> {
  const bandwidth = new BandwidthLimiter(BANDWIDTH);
  const upstream = new URL(target);
  const server = http.createServer(async (req, res) => {
    await sleep(LATENCY_MS);
    const forward = http.request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, async (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      for await (const chunk of answer) {
        await bandwidth.take((chunk as Buffer).byteLength);
        res.write(chunk);
      }
      res.end();
    });
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({
        url: `http://127.0.0.1:${port}`,
        reset: () => bandwidth.reset(),
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}

async function upload(backend: RunningBackend, doc: GeneratedDocument): Promise<string> {
  const response = await fetch(`${backend.url}/api/documents?title=${encodeURIComponent(doc.label)}&permissions=read`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${backend.apiKey}`, 'Content-Type': 'application/pdf' },
    body: await readFile(doc.file),
  });
  if (!response.ok) throw new Error(`upload ${doc.name}: ${response.status}`);
  return ((await response.json()) as { document_id: string }).document_id;
}

async function token(backend: RunningBackend, id: string): Promise<string> {
  const response = await fetch(`${backend.url}/api/tokens`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${backend.apiKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ allowed_documents: [{ document_id: id, document_permissions: ['read'] }], render: 'server' }),
  });
  if (!response.ok) throw new Error(`token: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { jwt: string }).jwt;
}

async function getOk(url: string, jwt: string, headers: Record<string, string> = {}): Promise<Response> {
  const response = await fetch(url, { headers: { Authorization: `Bearer ${jwt}`, ...headers } });
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response;
}

function imageUrl(base: string, manifest: Manifest, page: number, scale: number): string {
  return `${base}${manifest.urls.image.replace('{page}', String(page)).replace('{scale}', String(scale))}`;
}

/** Manifest, then page 1's image: ms until the image's last byte. */
async function firstPageServerMode(link: string, id: string, jwt: string): Promise<number> {
  const started = performance.now();
  const manifest = (await (await getOk(`${link}/api/documents/${id}/pages`, jwt)).json()) as Manifest;
  await (await getOk(imageUrl(link, manifest, 1, FIRST_PAGE_SCALE), jwt)).arrayBuffer();
  return performance.now() - started;
}

/** Page 1's bytes of the PDF in one range request: ms until the last byte. */
async function firstPageBytesPdfMode(link: string, id: string, jwt: string, bytes: number): Promise<number> {
  const started = performance.now();
  await (await getOk(`${link}/api/documents/${id}/content`, jwt, { Range: `bytes=0-${bytes - 1}` })).arrayBuffer();
  return performance.now() - started;
}

/** CLIENTS readers take pages `first`…`first + PAGES − 1` in turn; pages a second over the whole run. */
async function pagesPerSecond(backend: RunningBackend, id: string, manifest: Manifest, first: number): Promise<number> {
  const tokens = await Promise.all(Array.from({ length: CLIENTS }, () => token(backend, id)));
  let next = 0;
  const started = performance.now();
  await Promise.all(
    tokens.map(async (jwt) => {
      for (let i = next++; i < PAGES; i = next++) {
        await (await getOk(imageUrl(backend.url, manifest, first + (i % (manifest.pageCount - first + 1)), THROUGHPUT_SCALE), jwt)).arrayBuffer();
      }
    }),
  );
  return (PAGES / (performance.now() - started)) * 1000;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** The element's first page in PDF mode on the same link, from the last `npm run bench` (HTTP/1.1, median), if there is one. */
async function elementFirstPageMs(doc: GeneratedDocument): Promise<string> {
  try {
    const results = JSON.parse(await readFile(path.join(benchDir, 'results.json'), 'utf8')) as {
      firstPage: Array<{ document: string; protocol: string; runs: Array<{ variant: string; ms: number }> }>;
    };
    const entry = results.firstPage.find((e) => e.document === doc.name && e.protocol === 'http1');
    const runs = entry?.runs.filter((r) => r.variant === 'element').map((r) => r.ms) ?? [];
    return runs.length > 0 ? `${Math.round(median(runs))} ms` : '—';
  } catch {
    return '—';
  }
}

const docs: GeneratedDocument[] = [];
for (const spec of firstPageDocuments) {
  if (DOCUMENTS.some((part) => spec.name.includes(part))) docs.push(await ensureDocument(cacheDir, spec));
}
if (docs.length === 0) throw new Error(`--documents=${DOCUMENTS.join(',')} matches no document`);

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'sv-bench-render-'));
const backend = await startBackend({ port: 0, dataDir, log: () => {}, seedPublishedPasswords: false });
const link = await startShapedLink(backend.url);
const rows: string[] = [];
try {
  for (const doc of docs) {
    const id = await upload(backend, doc);
    const jwt = await token(backend, id);
    const plain = await fetch(`${backend.url}/api/tokens`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${backend.apiKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ allowed_documents: [{ document_id: id, document_permissions: ['read'] }] }),
    }).then(async (r) => ((await r.json()) as { jwt: string }).jwt);
    link.reset();
    const cold = await firstPageServerMode(link.url, id, jwt);
    const warm: number[] = [];
    const pdf: number[] = [];
    for (let run = 0; run < 3; run++) {
      link.reset();
      warm.push(await firstPageServerMode(link.url, id, jwt));
      link.reset();
      pdf.push(await firstPageBytesPdfMode(link.url, id, plain, doc.page1Bytes));
    }
    const manifest = (await (await getOk(`${backend.url}/api/documents/${id}/pages`, jwt)).json()) as Manifest;
    // Page 1 was rendered above at another scale; the throughput runs start at page 2.
    const coldRate = await pagesPerSecond(backend, id, manifest, 2);
    const warmRate = await pagesPerSecond(backend, id, manifest, 2);
    const row = `| ${doc.label} (${doc.pages} p, ${(doc.size / 1e6).toFixed(1)} MB) | ${Math.round(cold)} ms | ${Math.round(median(warm))} ms | ${Math.round(median(pdf))} ms (${(doc.page1Bytes / 1e3).toFixed(0)} kB) | ${await elementFirstPageMs(doc)} | ${coldRate.toFixed(1)} | ${warmRate.toFixed(1)} |`;
    rows.push(row);
    console.error(row);
  }
  console.log(`\nServer-side viewing, reference backend (one render worker), ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), Node ${process.version}`);
  console.log(`First page over a ${BANDWIDTH / 1e6} MB/s shared link with ${LATENCY_MS} ms a request (warm and PDF: median of 3); pages a second on loopback, ${CLIENTS} clients, ${PAGES} pages at scale ${THROUGHPUT_SCALE}\n`);
  console.log(`| document | manifest + page 1 image (scale ${FIRST_PAGE_SCALE}), cold | same, warm | PDF mode: page 1's bytes in one request | PDF mode: the element's first page (npm run bench) | pages/s cold | pages/s warm |`);
  console.log('|---|---|---|---|---|---|---|');
  for (const row of rows) console.log(row);
} finally {
  await link.close();
  await backend.close();
  await rm(dataDir, { recursive: true, force: true });
}
