
/** The pdf.js display API, loaded on first use so that defining the element costs almost nothing. */
export type PdfjsLib = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
/** pdf.js's viewer components (PDFViewer, EventBus, PDFLinkService, …). */
export type PdfjsViewerLib = typeof import('pdfjs-dist/legacy/web/pdf_viewer.mjs');

export type PdfWorker = InstanceType<PdfjsLib['PDFWorker']>;

export interface Pdfjs {
  lib: PdfjsLib;
  /** The viewer components, still loading while the document opens: only pages need them. */
  viewer: Promise<PdfjsViewerLib>;
  /** pdf.js's viewer stylesheet, as text; it loads alongside pdf.js's main module. */
  viewerCss: Promise<string>;
  /** One worker shared by every viewer on the page; `loadingTask.destroy()` leaves it running. */
  worker: PdfWorker;
  /** Absolute, slash-terminated URLs of the assets pdf.js fetches at run time. */
  assets: PdfAssetUrls;
}

/** pdf.js's options for the files it fetches at run time (`getDocument` takes them as they are). */
export interface PdfAssetUrls {
  /** Absolute, slash-terminated folder URLs, as pdf.js's worker fetches from them by file name. */
  cMapUrl: string;
  standardFontDataUrl: string;
  wasmUrl: string;
  iccUrl: string;
  /**
   * Set to false, with a `BinaryDataFactory`, when an app's bundler has renamed the files: the page
   * then fetches each by its own URL and hands it to the worker.
   */
  useWorkerFetch?: boolean;
  BinaryDataFactory?: object;
}

let loading: Promise<Pdfjs> | undefined;
let assetBase: string | null = null;

/**
 * Where pdf.js's files live when a bundler has moved them: a URL to a copy of the package's
 * `dist/pdfjs/` folder (the worker in `legacy/build/`, fonts, cmaps, decoders beside it). Call
 * before the first document loads.
 */
export function setPdfjsBase(url: string): void {
  assetBase = new URL(url.endsWith('/') ? url : `${url}/`, document.baseURI).href;
}

/**
 * Loads pdf.js once per page. The legacy build is used because the modern one needs
 * JavaScript features that shipping Safari and Firefox ESR do not have yet.
 */
export function loadPdfjs(): Promise<Pdfjs> {
  loading ??= (async () => {
    // pdf.js publishes itself as `globalThis.pdfjsLib`, over a host's own pdf.js if the page has one.
    const hostPdfjs = (globalThis as { pdfjsLib?: unknown }).pdfjsLib;
    const libLoading = import('pdfjs-dist/legacy/build/pdf.mjs');
    libLoading.catch(() => {});
    // The viewer's stylesheet needs nothing of pdf.js: it loads alongside.
    const viewerCss = import('pdfjs-dist/legacy/web/pdf_viewer.css?inline').then((css) => css.default);
    viewerCss.catch(() => {});
    // The worker URL module is a bundler import (`?url`), imported here rather than at the top so
    // that the sources import in Node too; the build puts it in the entry with the rest of our code.
    const { pdfWorkerUrl } = await import('./worker-url.ts');
    const workerSrc = assetBase ? new URL('legacy/build/pdf.worker.min.mjs', assetBase).href : pdfWorkerUrl;
    // Starting pdf.js's worker takes about as long as loading its main module: do both at once.
    const early = startWorker(workerSrc);
    const lib = await libLoading.catch((error: unknown) => {
      void early.then((port) => port?.terminate());
      throw error;
    });
    // The viewer components read `globalThis.pdfjsLib`, which the import above sets, once, as they
    // load; after that the host's pdf.js gets its global back.
    const viewer = import('pdfjs-dist/legacy/web/pdf_viewer.mjs');
    viewer.catch(() => {}).finally(() => {
      if (hostPdfjs !== undefined) (globalThis as { pdfjsLib?: unknown }).pdfjsLib = hostPdfjs;
    });
    // This copy of pdf.js is the element's own (a host's pdf.js is another one), so its worker
    // options are ours to set.
    lib.GlobalWorkerOptions.workerSrc = workerSrc;
    const port = await early;
    // Without a started worker, pdf.js's own start-up, which falls back to the main thread.
    const worker = port ? lib.PDFWorker.create({ port }) : new lib.PDFWorker();
    const folders = assetUrls(workerSrc);
    return { lib, viewer, viewerCss, worker, assets: keptLayout(workerSrc) ? folders : { ...folders, useWorkerFetch: false, BinaryDataFactory: BundledFiles } };
  })();
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}

/**
 * Starts pdf.js's worker script; resolves once it has said it is ready (its first message), or
 * null if it cannot run here (blocked by CSP, not found), in which case pdf.js's own start-up
 * takes over.
 */
function startWorker(url: string): Promise<Worker | null> {
  return new Promise((resolve) => {
    let worker: Worker;
    try {
      worker = new Worker(url, { type: 'module' });
    } catch {
      resolve(null);
      return;
    }
    const settle = (ready: boolean) => {
      worker.removeEventListener('message', onMessage);
      worker.removeEventListener('error', onError);
      if (!ready) worker.terminate();
      resolve(ready ? worker : null);
    };
    const onMessage = () => settle(true);
    const onError = () => settle(false);
    worker.addEventListener('message', onMessage);
    worker.addEventListener('error', onError);
  });
}

/**
 * The build keeps pdfjs-dist's own layout (the worker in `legacy/build/`, the asset folders two
 * levels up), so one rule finds them in development, in tests and in the build.
 */
function assetUrls(workerSrc: string): PdfAssetUrls {
  const base = new URL('../../', new URL(workerSrc, document.baseURI));
  const dir = (name: string) => new URL(`${name}/`, base).href;
  return {
    cMapUrl: dir('cmaps'),
    standardFontDataUrl: dir('standard_fonts'),
    wasmUrl: dir('wasm'),
    iccUrl: dir('iccs'),
  };
}

/**
 * The folders beside the worker hold pdf.js's files when they kept the package's layout (the
 * drop-in folder, the package served as is, the sources, `setPdfjsBase`). A bundler that built an
 * app from the package has put the worker and each file where it chose (`assets/<name>-<hash>.<ext>`,
 * or a `data:` URL), and those folders are the app's own paths, which answer with its HTML page:
 * then the page fetches each file from the URL the bundler gave it. pdf.js's colour management
 * needs its worker to fetch, so it is off in that case, as pdf.js does without `useWorkerFetch`.
 * The worker tells which it is: a bundler places it as it places the files, by the same
 * `new URL('./…', import.meta.url)`.
 */
function keptLayout(workerSrc: string): boolean {
  return new URL(workerSrc, document.baseURI).pathname.endsWith('/legacy/build/pdf.worker.min.mjs');
}

/**
 * pdf.js's `BinaryDataFactory` when a bundler placed its files: called on the page when the worker
 * asks for a file by name. The list of where each file went loads with the first such request.
 */
class BundledFiles {
  fetch(request: { kind: string; filename: string }): Promise<Uint8Array> {
    return import('./pdfjs-files.ts').then((files) => files.fetchPdfjsFile(request));
  }
}
