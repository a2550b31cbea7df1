import { measureCodeSize, type CodeSize } from '../build.ts';
import type { GeneratedDocument } from '../documents.ts';
import { DEFINE_ONLY_PAGE, type ScenarioContext } from './context.ts';

export interface DownloadedFile {
  path: string;
  bytes: number;
}

export interface FootprintResult {
  codeSize: CodeSize;
  /** Everything the page fetched after loading, with the element defined and no document requested. */
  beforeDocument: DownloadedFile[];
  pdfjsBeforeDocument: DownloadedFile[];
  /** Sanity check of the detection: pdf.js files fetched once a document is requested. */
  pdfjsAfterDocument: DownloadedFile[];
}

/** pdf.js's chunks, worker and run-time assets as laid out by the build. */
const isPdfjs = (path: string): boolean => /\/chunks\/pdf(_viewer)?(_css)?-[^/]*\.js$|\/pdfjs\//.test(path);

export async function measureFootprint(context: ScenarioContext, doc: GeneratedDocument): Promise<FootprintResult> {
  const { server, browser, log } = context;
  const codeSize = await measureCodeSize();

  const browserContext = await browser.newContext();
  try {
    const page = await browserContext.newPage();
    const downloaded: DownloadedFile[] = [];
    page.on('requestfinished', (request) => {
      void request.sizes().then(
        (sizes) => downloaded.push({ path: new URL(request.url()).pathname, bytes: sizes.responseBodySize }),
        () => downloaded.push({ path: new URL(request.url()).pathname, bytes: 0 }),
      );
    });
    await page.goto(`${server.origin}${DEFINE_ONLY_PAGE}`);
    await page.waitForFunction('window.benchReady === true');
    // Give any eager prefetch a chance to show up.
    await page.waitForTimeout(1000);
    const beforeDocument = [...downloaded];
    log(`  before a document: ${beforeDocument.map((f) => `${f.path} (${(f.bytes / 1000).toFixed(1)} kB)`).join(', ')}`);

    await page.evaluate(
      `(() => { const el = document.getElementById('viewer'); el.token = 'bench-token'; el.src = ${JSON.stringify(`${server.origin}/docs/${doc.name}`)}; })()`,
    );
    await page.waitForFunction(`document.getElementById('viewer').state === 'ready'`, undefined, { timeout: 60_000 });
    const pdfjsAfterDocument = downloaded.slice(beforeDocument.length).filter((f) => isPdfjs(f.path));
    return {
      codeSize,
      beforeDocument,
      pdfjsBeforeDocument: beforeDocument.filter((f) => isPdfjs(f.path)),
      pdfjsAfterDocument,
    };
  } finally {
    await browserContext.close();
  }
}
