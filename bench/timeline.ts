// `node --import tsx bench/timeline.ts --documents=<part> [--range-modes=single-200] [--only=element]`:
// one first page of the element and of pdf.js's defaults for each document, with every document
// request they made (when it went out, when its answer ended, its range, status and bytes), to see
// which requests wait on which. Uses bench/.out and bench/.cache as `npm run bench` left them.
import path from 'node:path';
import type { Request } from 'playwright-core';
import { launchBrowser, openPage } from './browser.ts';
import { cacheDir, readConfig, repoDir } from './config.ts';
import { cdnBuildDir } from './build.ts';
import { ensureRealDocuments } from './real-documents.ts';
import { ensureDocument, ensureLinearized, firstPageDocuments, linearizedName, type GeneratedDocument } from './documents.ts';
import { elementPage, pdfjsPage } from './pages.ts';
import { ELEMENT_PAGE, PDFJS_PAGE } from './scenarios/context.ts';
import { startServer } from './server.ts';

const config = readConfig(process.argv.slice(2), process.env);
const wanted = (name: string): boolean => config.documents.some((part) => name.includes(part));
const documents: GeneratedDocument[] = [];
for (const spec of firstPageDocuments) {
  if (wanted(spec.name)) documents.push(await ensureDocument(cacheDir, spec));
  if (spec.linearize && wanted(linearizedName(spec.name))) documents.push(await ensureLinearized(cacheDir, await ensureDocument(cacheDir, spec)));
}
documents.push(...(await ensureRealDocuments(cacheDir, wanted, [])));
const browser = await launchBrowser(config.chromiumPath);
const calls = { element: [ELEMENT_PAGE, 'firstPage'], 'pdfjs-defaults': [PDFJS_PAGE, 'defaults'], 'fetch-whole': [PDFJS_PAGE, 'wholeFile'] } as const;
try {
  for (const rangeMode of config.rangeModes) {
    const server = await startServer({
      documentsDir: cacheDir,
      staticRoots: { '/cdn/': cdnBuildDir, '/pdfjs-dist/': path.join(repoDir, 'node_modules/pdfjs-dist') },
      pages: { [ELEMENT_PAGE]: elementPage('/cdn/secure-viewer.js'), [PDFJS_PAGE]: pdfjsPage('/pdfjs-dist') },
      bandwidth: config.bandwidth,
      latencyMs: config.latencyMs,
      protocol: 'http1',
      rangeMode,
    });
    try {
      for (const doc of documents) {
        for (const [variant, [page, call]] of Object.entries(calls)) {
          if (config.only.length > 0 && !config.only.includes(variant)) continue;
          const { context, page: tab } = await openPage(browser, `${server.origin}${page}`);
          const ends: Array<{ range: string | null; end: number }> = [];
          if (process.env['TIMELINE_CONSOLE']) tab.on('console', (message) => console.log(`  console: ${message.text().slice(0, 400)}`));
          let t0 = 0;
          tab.on('requestfinished', (request: Request) => {
            if (request.url().includes('/docs/')) ends.push({ range: request.headers()['range'] ?? null, end: performance.now() - t0 });
          });
          server.resetRun();
          t0 = performance.now();
          const result = (await tab.evaluate(`window.bench.${call}(${JSON.stringify(`${server.origin}/docs/${doc.name}`)})`)) as { ms: number };
          const mark = server.marks.get('first-page') ?? { requests: server.requests.length };
          console.log(`\n${doc.label} · ${rangeMode} · ${variant}: page 1 at ${result.ms.toFixed(0)} ms, ${mark.requests} requests by then`);
          server.requests.slice(0, Math.max(mark.requests, 0) + 5).forEach((log, index) => {
            const end = ends.find((e) => e.range === log.range);
            if (end) ends.splice(ends.indexOf(end), 1);
            const range = log.range ?? '(whole)';
            console.log(
              `  ${String(index).padStart(3)} ${String(log.at).padStart(6)} → ${end ? end.end.toFixed(0).padStart(6) : '     ?'} ms (server ${String(log.endedAt ?? '?').padStart(6)})  ${log.status} ${String(log.sent).padStart(9)} B  ${range.length > 90 ? `${range.slice(0, 90)}… (${range.split(',').length} ranges)` : range}`,
            );
          });
          await context.close();
        }
      }
    } finally {
      await server.close();
    }
  }
} finally {
  await browser.close();
}
