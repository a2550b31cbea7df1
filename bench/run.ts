// `npm run bench`: the element against pdf.js used directly, on one throttled local server.
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { launchBrowser } from './browser.ts';
import { buildElement, cdnBuildDir, sourceRevision } from './build.ts';
import { benchDir, cacheDir, readConfig, repoDir, type Protocol, type RangeMode } from './config.ts';
import {
  ensureDocument,
  ensureLinearized,
  firstPageDocuments,
  jumpDocument,
  linearizedName,
  qpdfAvailable,
  scrollDocument,
  type GeneratedDocument,
} from './documents.ts';
import { ensureRealDocuments } from './real-documents.ts';
import { defineOnlyPage, elementPage, floorPage, pdfjsPage } from './pages.ts';
import { evaluateTargets, formatSummary, type BenchResults } from './report.ts';
import { DEFINE_ONLY_PAGE, ELEMENT_PAGE, FLOOR_PAGE, PDFJS_PAGE, type ScenarioContext } from './scenarios/context.ts';
import { measureFirstPage } from './scenarios/first-page.ts';
import { measureFootprint } from './scenarios/footprint.ts';
import { measureJumps } from './scenarios/jump.ts';
import { measureScrollMemory } from './scenarios/memory.ts';
import { startServer, type BenchServer } from './server.ts';
import { acceptCertificateArgs, selfSignedCertificate } from './tls.ts';

const config = readConfig(process.argv.slice(2), process.env);
const wanted = (scenario: string): boolean => config.only.length === 0 || config.only.some((name) => scenario.includes(name));
const wantedDocument = (name: string): boolean => config.documents.length === 0 || config.documents.some((part) => name.includes(part));
const log = (line: string): void => console.log(line);
const started = performance.now();

log(`Building the element into bench/.out${config.skipBuild ? ' (reused if present)' : ''} …`);
const source = await sourceRevision();
await buildElement(config.skipBuild);

log('Generating documents in bench/.cache …');
const skipped: string[] = [];
const firstPageDocs: GeneratedDocument[] = [];
if (wanted('first-page')) {
  for (const spec of firstPageDocuments) {
    const withLinearized = spec.linearize === true && wantedDocument(linearizedName(spec.name));
    if (!wantedDocument(spec.name) && !withLinearized) continue;
    const doc = await ensureDocument(cacheDir, spec);
    if (wantedDocument(spec.name)) firstPageDocs.push(doc);
    if (withLinearized) {
      if (qpdfAvailable()) firstPageDocs.push(await ensureLinearized(cacheDir, doc));
      else skipped.push(`${spec.label} + qpdf --linearize (qpdf not found at /usr/bin/qpdf)`);
    }
  }
  firstPageDocs.push(...(await ensureRealDocuments(cacheDir, wantedDocument, skipped)));
  if (firstPageDocs.length === 0 && skipped.length === 0) throw new Error(`--documents=${config.documents.join(',')} matches no document`);
}
const jumpDoc = wanted('jump') ? await ensureDocument(cacheDir, jumpDocument) : null;
const scrollDoc = wanted('memory') ? await ensureDocument(cacheDir, scrollDocument(config.quick)) : null;
const smallDoc = wanted('footprint') ? (jumpDoc ?? (await ensureDocument(cacheDir, jumpDocument))) : null;

const certificate = config.protocols.includes('http2') ? await selfSignedCertificate() : undefined;
const startOne = (protocol: Protocol, rangeMode: RangeMode): Promise<BenchServer> =>
  startServer({
    documentsDir: cacheDir,
    staticRoots: { '/cdn/': cdnBuildDir, '/pdfjs-dist/': path.join(repoDir, 'node_modules/pdfjs-dist') },
    pages: {
      [ELEMENT_PAGE]: elementPage('/cdn/secure-viewer.js'),
      [PDFJS_PAGE]: pdfjsPage('/pdfjs-dist'),
      [FLOOR_PAGE]: floorPage('/pdfjs-dist'),
      [DEFINE_ONLY_PAGE]: defineOnlyPage('/cdn/secure-viewer.js'),
    },
    bandwidth: config.bandwidth,
    latencyMs: config.latencyMs,
    protocol,
    rangeMode,
    ...(certificate ? { certificate } : {}),
  });
// First-page runs go to every protocol × range mode; the other scenarios to the first protocol's multi-range server.
const servers: BenchServer[] = [];
for (const protocol of config.protocols) {
  for (const rangeMode of config.rangeModes) servers.push(await startOne(protocol, rangeMode));
}
const mainServer = servers.find((server) => server.rangeMode === 'multi') ?? (await startOne(config.protocols[0]!, 'multi'));
const allServers = servers.includes(mainServer) ? servers : [...servers, mainServer];
const browserArgs = certificate ? acceptCertificateArgs(certificate) : [];
const browser = await launchBrowser(config.chromiumPath, browserArgs);
const context: ScenarioContext = { config, server: mainServer, servers, browser, browserArgs, log };

try {
  const firstPage = firstPageDocs.length > 0 ? (log('\nFirst page'), await measureFirstPage(context, firstPageDocs)) : [];
  const jump = jumpDoc ? (log(`\nJumps (${jumpDoc.pages} pages)`), await measureJumps(context, jumpDoc)) : null;
  const memory = scrollDoc ? (log(`\nScroll memory (${scrollDoc.pages} pages)`), await measureScrollMemory(context, scrollDoc)) : null;
  const footprint = smallDoc ? (log('\nFootprint'), await measureFootprint(context, smallDoc)) : null;

  const partial: Omit<BenchResults, 'targets'> = {
    startedAt: new Date(Date.now() - (performance.now() - started)).toISOString(),
    machine: {
      cpus: os.cpus()[0]?.model ?? 'unknown',
      cores: os.cpus().length,
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      browser: browser.version(),
      platform: `${os.platform()} ${os.release()}`,
    },
    source,
    settings: {
      bandwidthBytesPerSecond: config.bandwidth,
      latencyMs: config.latencyMs,
      runs: config.runs,
      quick: config.quick,
      protocols: config.protocols,
      rangeModes: config.rangeModes,
    },
    durationSeconds: Math.round((performance.now() - started) / 1000),
    firstPage,
    skipped,
    jump,
    memory,
    footprint,
  };
  const results: BenchResults = { ...partial, targets: evaluateTargets(partial) };
  await writeFile(path.join(benchDir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  log(formatSummary(results, config));
  log(`\nWrote bench/results.json (${results.durationSeconds} s)`);
} finally {
  await browser.close();
  for (const server of allServers) await server.close();
}
