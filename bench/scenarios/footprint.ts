import { measureCodeSize, type ChunkSize, type CodeSize } from '../build.ts';
import type { GeneratedDocument } from '../documents.ts';
import { DEFINE_ONLY_PAGE, type ScenarioContext } from './context.ts';

export interface DownloadedFile {
  path: string;
  bytes: number;
}

/** The element's own code (npm build) by when a page loads it; gzip sizes, each file on its own. */
export interface CodeByLoad {
  /** What every page that defines the element loads. */
  entry: ChunkSize[];
  /** What else of ours the first document loads (up to page 1 drawn) on a page like the bench's. */
  firstDocument: ChunkSize[];
  /** Chunks loaded when a feature is first used (sidebar, print, password dialog, touch, …). */
  onUse: ChunkSize[];
  /** The React and Vue entries: loaded with the entry by apps that use them. */
  adapters: ChunkSize[];
  entryGzipBytes: number;
  firstDocumentGzipBytes: number;
  onUseGzipBytes: number;
  adaptersGzipBytes: number;
}

export interface FootprintResult {
  codeSize: CodeSize;
  byLoad: CodeByLoad;
  /** Everything the page fetched after loading, with the element defined and no document requested. */
  beforeDocument: DownloadedFile[];
  pdfjsBeforeDocument: DownloadedFile[];
  /** Sanity check of the detection: pdf.js files fetched once a document is requested. */
  pdfjsAfterDocument: DownloadedFile[];
}

/** pdf.js's chunks, worker and run-time assets as laid out by the build. */
const isPdfjs = (path: string): boolean => /\/chunks\/pdf(_viewer)?(_css)?-[^/]*\.js$|\/pdfjs\//.test(path);

/**
 * A chunk's name without its hash, the same in both builds: the page runs the drop-in build and
 * the sizes are the npm build's. Each build's entry is `entry`.
 */
function chunkName(path: string): string {
  const file = path.slice(path.lastIndexOf('/') + 1);
  return file === 'secure-viewer.js' || file === 'index.js' ? 'entry' : file.replace(/-[\w-]{8}\.js$/, '');
}

const sum = (chunks: ChunkSize[]): number => chunks.reduce((total, chunk) => total + chunk.gzipBytes, 0);

/** Sorts our chunks by what the page fetched before and with its first document. */
function byLoad(codeSize: CodeSize, before: DownloadedFile[], withDocument: DownloadedFile[]): CodeByLoad {
  const names = (files: DownloadedFile[]) => new Set(files.filter((f) => f.path.endsWith('.js') && !isPdfjs(f.path)).map((f) => chunkName(f.path)));
  const early = names(before);
  const document = names(withDocument);
  const own = codeSize.chunks.filter((chunk) => chunk.kind === 'element');
  const adapters = own.filter((chunk) => /^npm\/(react|vue)\.js$/.test(chunk.file));
  const rest = own.filter((chunk) => !adapters.includes(chunk));
  const entry = rest.filter((chunk) => early.has(chunkName(chunk.file)));
  const firstDocument = rest.filter((chunk) => !entry.includes(chunk) && document.has(chunkName(chunk.file)));
  const onUse = rest.filter((chunk) => !entry.includes(chunk) && !firstDocument.includes(chunk));
  return {
    entry,
    firstDocument,
    onUse,
    adapters,
    entryGzipBytes: sum(entry),
    firstDocumentGzipBytes: sum(firstDocument),
    onUseGzipBytes: sum(onUse),
    adaptersGzipBytes: sum(adapters),
  };
}

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
    await page.waitForFunction(`document.getElementById('viewer').shadowRoot.querySelector('.page[data-page-number="1"][data-rendered="true"]')`, undefined, {
      timeout: 60_000,
    });
    // Anything the element fetches once the document is shown counts with it.
    await page.waitForTimeout(1000);
    const afterDocument = downloaded.slice(beforeDocument.length);
    const pdfjsAfterDocument = afterDocument.filter((f) => isPdfjs(f.path));
    log(`  with the first document, of ours: ${afterDocument.filter((f) => !isPdfjs(f.path)).map((f) => f.path).join(', ') || 'nothing'}`);
    return {
      codeSize,
      byLoad: byLoad(codeSize, beforeDocument, afterDocument),
      beforeDocument,
      pdfjsBeforeDocument: beforeDocument.filter((f) => isPdfjs(f.path)),
      pdfjsAfterDocument,
    };
  } finally {
    await browserContext.close();
  }
}
