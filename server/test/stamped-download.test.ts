// Stamped downloads over HTTP on loopback: the copy starts with the original bytes, opens in
// pdf.js with every original page plus the stamp (reader, time, token id), passes qpdf's check,
// whether the original ends with a cross-reference table or stream; the audit log names the reader.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { PDFDocument, StandardFonts, degrees } from 'pdf-lib';
import {
  createMemoryStore,
  createSecureViewerServer,
  createServerRendering,
  etagFor,
  generateSigningKeys,
  type HostedDocument,
  type Permission,
  type SecureViewerServer,
  type ServerRendering,
  type SharedStore,
} from '../index.ts';
import { loadPdfjs } from '../render/pdfjs-node.ts';
import { damagedPdf, PAGE_TEXTS, reportPdf } from './render-fixtures.ts';
import { serve, type TestServer } from './render-helpers.ts';

const QPDF = '/usr/bin/qpdf';
const originals = new Map<string, Uint8Array>();
const documents = new Map<string, HostedDocument>();
const auditLines: string[] = [];
let dir: string;
let store: SharedStore;
let viewer: SecureViewerServer;
let rendering: ServerRendering;
let server: TestServer;

function hosted(title: string, bytes: Uint8Array): HostedDocument {
  const buffer = Buffer.from(bytes);
  return { title, size: buffer.length, etag: etagFor(buffer), source: () => Readable.from([buffer]), permissions: ['read', 'download'] };
}

/** One portrait page turned a quarter (shown landscape), with its text. */
async function rotatedPdf(): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const page = pdf.addPage([300, 400]);
  page.drawText('A page shown on its side', { x: 20, y: 360, size: 12, font });
  page.setRotation(degrees(90));
  return pdf.save({ useObjectStreams: false });
}

async function issue(doc: string, permissions: Permission[]): Promise<{ token: string; jti: string }> {
  const { token, jti } = await viewer.tokens.issue({ doc, permissions, sub: 'alice@example.com', lifetimeSeconds: 300 });
  return { token, jti };
}

async function download(doc: string, token: string): Promise<Response> {
  return fetch(`${server.url}/api/documents/${doc}/download`, { headers: { authorization: `Bearer ${token}` } });
}

/** Each page's text, and where the stamp's run sits on the page as shown. */
async function readBack(bytes: Uint8Array): Promise<Array<{ text: string; stamp: { angle: number; top: number; height: number } | null }>> {
  const pdfjs = await loadPdfjs();
  const task = pdfjs.getDocument({ data: bytes.slice(), enableXfa: false, verbosity: 0 });
  const pdf = await task.promise;
  const pages = [];
  for (let number = 1; number <= pdf.numPages; number++) {
    const page = await pdf.getPage(number);
    const viewport = page.getViewport({ scale: 1 });
    const content = await page.getTextContent();
    let stamp = null;
    let text = '';
    for (const item of content.items) {
      if (!('str' in item)) continue;
      text += `${item.str}\n`;
      if (item.str.startsWith('Downloaded by')) {
        const tx = pdfjs.Util.transform(viewport.transform, item.transform) as number[];
        stamp = { angle: Math.atan2(tx[1]!, tx[0]!), top: tx[5]!, height: viewport.height };
      }
    }
    pages.push({ text, stamp });
  }
  await task.destroy();
  return pages;
}

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'sv-stamp-'));
  store = await createMemoryStore({ dataDir: dir });
  originals.set('table', await reportPdf({ xrefStreams: false }));
  originals.set('streams', await reportPdf({ xrefStreams: true }));
  originals.set('rotated', await rotatedPdf());
  originals.set('broken', damagedPdf());
  for (const [id, bytes] of originals) documents.set(id, hosted(`Report ${id}`, bytes));
  viewer = createSecureViewerServer({ store, keys: await generateSigningKeys(), documents: async (id) => documents.get(id) ?? null });
  rendering = createServerRendering({
    tokens: viewer.tokens,
    store,
    documents: async (id) => documents.get(id) ?? null,
    pool: { size: 1 },
    audit: (line) => auditLines.push(line),
  });
  server = await serve((request) => rendering.handle(request));
});

after(async () => {
  await server.close();
  await rendering.close();
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

describe('stamped download', () => {
  for (const [id, section] of [
    ['table', /\nxref\n[\s\S]*trailer\s*<<[^>]*\/Prev \d+/],
    ['streams', /\/Type \/XRef[^>]*\/Prev \d+/],
  ] as const) {
    it(`appends the stamp to an original with a cross-reference ${id === 'table' ? 'table' : 'stream'}`, async () => {
      const original = originals.get(id)!;
      const { token, jti } = await issue(id, ['read', 'download']);
      const response = await download(id, token);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('content-type'), 'application/pdf');
      assert.match(response.headers.get('content-disposition') ?? '', /^attachment; filename="Report /);
      const body = new Uint8Array(await response.arrayBuffer());
      assert.equal(Number(response.headers.get('content-length')), body.length);
      assert.ok(body.length > original.length);
      assert.deepEqual(body.subarray(0, original.length), original, 'the original bytes are the prefix');
      const appended = Buffer.from(body.subarray(original.length)).toString('latin1');
      assert.match(appended, section);
      assert.match(appended, /%%EOF\n$/);

      const pages = await readBack(body);
      assert.equal(pages.length, PAGE_TEXTS.length);
      pages.forEach((page, index) => {
        assert.ok(page.text.includes(PAGE_TEXTS[index]!), `page ${index + 1} keeps its text`);
        assert.ok(page.text.includes('Downloaded by alice@example.com'), `page ${index + 1} is stamped`);
        assert.ok(page.text.includes(`token ${jti}`), `page ${index + 1} names the token`);
        assert.match(page.text, /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/);
      });
      assert.ok(auditLines.some((line) => line === `download.stamped doc=${id} jti=${jti} sub=alice%40example.com`));

      if (existsSync(QPDF)) {
        const file = path.join(dir, `${id}.pdf`);
        await writeFile(file, body);
        const { stdout } = await promisify(execFile)(QPDF, ['--check', file]);
        assert.match(stdout, /No syntax or stream encoding errors found/);
      }
    });
  }

  it('draws the stamp upright at the foot of a rotated page as it is shown', async () => {
    const { token } = await issue('rotated', ['read', 'download']);
    const response = await download('rotated', token);
    assert.equal(response.status, 200);
    const [page] = await readBack(new Uint8Array(await response.arrayBuffer()));
    assert.ok(page!.text.includes('A page shown on its side'));
    assert.ok(page!.stamp, 'stamp found');
    assert.ok(Math.abs(page!.stamp.angle) < 0.01, `upright: ${page!.stamp.angle}`);
    assert.ok(page!.stamp.top > page!.stamp.height * 0.9, `at the foot: ${page!.stamp.top} of ${page!.stamp.height}`);
  });

  it('is refused to tokens without download, and a damaged file gets a clear error', async () => {
    const reader = await issue('table', ['read']);
    const refused = await download('table', reader.token);
    assert.equal(refused.status, 403);
    assert.match(refused.headers.get('www-authenticate') ?? '', /scope="download"/);
    const broken = await issue('broken', ['read', 'download']);
    const damaged = await download('broken', broken.token);
    assert.equal(damaged.status, 422);
    assert.equal(((await damaged.json()) as { error: { code: string } }).error.code, 'invalid_document');
    const again = await download('table', (await issue('table', ['read', 'download'])).token);
    assert.equal(again.status, 200);
    await again.arrayBuffer();
  });
});
