// The pages the browser loads. Their scripts are plain JavaScript in strings: code passed to
// page.evaluate() as a function would be serialized after tsx has transformed it.

export const TOKEN = 'bench-token';

/** Waits until the element marks a page view drawn (`data-rendered`), as pdf.js's own render promise would. */
const pageReadyFunctions = `
  const pageDiv = (root, n) => root?.querySelector('.page[data-page-number="' + n + '"]');
  const isPageShown = (root, n) => {
    const div = pageDiv(root, n);
    if (!div || div.getAttribute('data-rendered') !== 'true') return false;
    const canvas = div.querySelector('canvas');
    return !!canvas && canvas.width > 0 && canvas.isConnected;
  };
  // Checked as soon as a page view below root is marked drawn, and every 100 ms: polling at every
  // frame would take the main thread (and frames drawn for nothing) from what is measured.
  const waitFor = (test, timeoutMs, root) => new Promise((resolve, reject) => {
    let observer = null, timer = 0, deadline = 0;
    const done = (error) => {
      observer?.disconnect();
      clearInterval(timer);
      clearTimeout(deadline);
      if (error) reject(error); else resolve();
    };
    const check = () => { try { if (test()) done(); } catch (error) { done(error); } };
    observer = new MutationObserver(check);
    observer.observe(root, { subtree: true, attributes: true, attributeFilter: ['data-rendered'] });
    timer = setInterval(check, 100);
    deadline = setTimeout(() => done(new Error('timed out')), timeoutMs);
    check();
  });
  const mark = (label) => fetch('/__mark?label=' + encodeURIComponent(label), { cache: 'no-store' });
  const canvasWidth = (root, n) => pageDiv(root, n)?.querySelector('canvas')?.width ?? null;
  // Room for every range request of a long document (the default buffer keeps 250 entries).
  performance.setResourceTimingBufferSize(100000);
  /** The protocols the document's requests went over (Resource Timing's nextHopProtocol: http/1.1, h2). */
  const documentProtocols = () => [...new Set(performance.getEntriesByType('resource')
    .filter((entry) => new URL(entry.name).pathname.includes('/docs/'))
    .map((entry) => entry.nextHopProtocol || 'unknown'))];
`;

/** <secure-viewer> from the build, with the functions the bench calls. */
export function elementPage(script: string): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>secure-viewer bench</title>
<style>body { margin: 0 } secure-viewer { width: 1000px; height: 860px }</style>
<script type="module" src="${script}"></script>
</head><body>
<secure-viewer id="viewer"></secure-viewer>
<script type="module">
  ${pageReadyFunctions}
  const el = document.getElementById('viewer');
  const viewport = () => el.shadowRoot.querySelector('[part~="viewport"]');
  window.bench = {
    async firstPage(url) {
      await customElements.whenDefined('secure-viewer');
      let loadedAt = 0;
      el.addEventListener('sv-load', () => { loadedAt = performance.now(); }, { once: true });
      let failure = null;
      el.addEventListener('sv-error', (event) => { failure = event.detail; }, { once: true });
      const start = performance.now();
      el.token = '${TOKEN}';
      el.src = url;
      await waitFor(() => { if (failure) throw new Error('sv-error ' + JSON.stringify(failure)); return isPageShown(el.shadowRoot, 1); }, 120000, el.shadowRoot);
      const ms = performance.now() - start;
      await mark('first-page');
      return {
        ms,
        loadMs: loadedAt ? loadedAt - start : null,
        numPages: el.numPages,
        canvasWidth: canvasWidth(el.shadowRoot, 1),
        protocols: documentProtocols(),
      };
    },
    /** The scrolling area pdf.js lays pages out in (the toolbar takes the rest). */
    async viewportSize() {
      await customElements.whenDefined('secure-viewer');
      await el.updateComplete;
      return { width: viewport().clientWidth, height: viewport().clientHeight };
    },
    async jump(n) {
      const start = performance.now();
      el.goToPage(n);
      await waitFor(() => isPageShown(el.shadowRoot, n), 30000, el.shadowRoot);
      const ms = performance.now() - start;
      await mark('jump-' + n);
      return { ms, page: el.page };
    },
    /** Scrolls page n to the top of the view and waits until it is drawn (or gives up). */
    async scrollTo(n, timeoutMs) {
      const div = pageDiv(el.shadowRoot, n);
      viewport().scrollTop = div.offsetTop;
      try { await waitFor(() => isPageShown(el.shadowRoot, n), timeoutMs, el.shadowRoot); return true; } catch { return false; }
    },
    canvases() {
      const all = [...el.shadowRoot.querySelectorAll('.page canvas')];
      const live = all.filter((canvas) => canvas.width > 0);
      return { live: live.length, pixels: live.reduce((sum, canvas) => sum + canvas.width * canvas.height, 0) };
    },
  };
  window.benchReady = true;
</script>
</body></html>`;
}

/** pdf.js used directly, two ways; pdf.js is imported inside the timed part, as the element does. */
export function pdfjsPage(pdfjsBase: string): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>pdf.js bench</title></head><body>
<canvas id="canvas"></canvas>
<script type="module">
  ${pageReadyFunctions}
  const auth = { Authorization: 'Bearer ${TOKEN}' };
  async function loadPdfjs() {
    const lib = await import('${pdfjsBase}/legacy/build/pdf.min.mjs');
    lib.GlobalWorkerOptions.workerSrc = '${pdfjsBase}/legacy/build/pdf.worker.min.mjs';
    return lib;
  }
  async function renderFirstPage(task) {
    const pdf = await task.promise;
    const page = await pdf.getPage(1);
    // pdf.js's viewer caps its automatic zoom at 1.25; render page 1 at that size.
    const viewport = page.getViewport({ scale: 1.25 * devicePixelRatio });
    const canvas = document.getElementById('canvas');
    canvas.width = Math.floor(viewport.width);
    canvas.height = Math.floor(viewport.height);
    await page.render({ canvas, viewport }).promise;
    return { numPages: pdf.numPages, canvasWidth: canvas.width };
  }
  window.bench = {
    async defaults(url) {
      const start = performance.now();
      const lib = await loadPdfjs();
      const shown = await renderFirstPage(lib.getDocument({ url, httpHeaders: auth }));
      const ms = performance.now() - start;
      await mark('first-page');
      return { ms, ...shown, protocols: documentProtocols() };
    },
    async wholeFile(url) {
      const start = performance.now();
      const [lib, bytes] = await Promise.all([
        loadPdfjs(),
        fetch(url, { headers: auth, cache: 'no-store' }).then(async (response) => {
          if (!response.ok) throw new Error('HTTP ' + response.status);
          return new Uint8Array(await response.arrayBuffer());
        }),
      ]);
      const shown = await renderFirstPage(lib.getDocument({ data: bytes }));
      const ms = performance.now() - start;
      await mark('first-page');
      return { ms, ...shown, protocols: documentProtocols() };
    },
  };
  window.benchReady = true;
</script>
</body></html>`;
}

/**
 * The CPU floor: the file is already in memory when timing starts, so what is left is pdf.js
 * starting and drawing page 1 as the element draws it (src/pdf/pdfjs.ts, open-document.ts,
 * page-viewer.ts): its worker started alongside its main module, its viewer components loaded
 * once the main module has run, getDocument({ data }) with the element's options, and a
 * PDFViewer with the element's options (text layer, annotations, 16 Mpx canvases, no detail
 * canvas) at zoom 'auto' in a scrolling area the size of the element's. Page 1 counts as shown
 * when pdf.js reports it drawn (`pagerendered`), as the element's `data-rendered` does.
 * pdf.js's viewer stylesheet is linked before timing (the element loads it, inlined, with pdf.js).
 */
export function floorPage(pdfjsBase: string): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>CPU floor</title>
<link rel="stylesheet" href="${pdfjsBase}/legacy/web/pdf_viewer.css">
<style>body { margin: 0 } #viewerContainer { position: absolute; overflow: auto; left: 0; top: 0 }</style>
</head><body>
<div id="viewerContainer"><div class="pdfViewer"></div></div>
<script type="module">
  ${pageReadyFunctions}
  const auth = { Authorization: 'Bearer ${TOKEN}' };
  const workerSrc = '${pdfjsBase}/legacy/build/pdf.worker.min.mjs';
  const folder = (name) => new URL('${pdfjsBase}/' + name + '/', location.href).href;
  let bytes = null;
  // As the element's startWorker(): the worker script loads while pdf.js's main module does.
  function startWorker(url) {
    return new Promise((resolve) => {
      const worker = new Worker(url, { type: 'module' });
      worker.addEventListener('message', () => resolve(worker), { once: true });
      worker.addEventListener('error', () => { worker.terminate(); resolve(null); }, { once: true });
    });
  }
  window.bench = {
    /** Untimed: the whole file into memory. */
    async prefetch(url) {
      const response = await fetch(url, { headers: auth, cache: 'no-store' });
      if (!response.ok) throw new Error('HTTP ' + response.status);
      bytes = new Uint8Array(await response.arrayBuffer());
      return bytes.byteLength;
    },
    /** The file in memory, opened whole. */
    cpuFloor(width, height) {
      const data = bytes;
      bytes = null;
      return drawFirstPage(width, height, () => ({ data }));
    },
    /**
     * The file in memory, read by pdf.js through ranges as the element's are, each answered at
     * once: what pdf.js's own handling of ranges costs, the best any loader by ranges can do.
     */
    rangeFloor(width, height, chunkSize, initialBytes) {
      const data = bytes;
      bytes = null;
      return drawFirstPage(width, height, (lib) => {
        class InMemory extends lib.PDFDataRangeTransport {
          requestDataRange(begin, end) {
            queueMicrotask(() => this.onDataRange(begin, data.slice(begin, end)));
          }
        }
        return {
          range: new InMemory(data.byteLength, data.slice(0, initialBytes)),
          rangeChunkSize: chunkSize,
          disableAutoFetch: true,
          disableStream: true,
        };
      });
    },
  };
  /** pdf.js started and page 1 drawn the way the element does it, from the source given. */
  async function drawFirstPage(width, height, source) {
    const container = document.getElementById('viewerContainer');
    container.style.width = width + 'px';
    container.style.height = height + 'px';
    const start = performance.now();
    const early = startWorker(workerSrc);
    const lib = await import('${pdfjsBase}/legacy/build/pdf.min.mjs');
    // The viewer components read globalThis.pdfjsLib, which the main module sets.
    const components = import('${pdfjsBase}/legacy/web/pdf_viewer.mjs');
    lib.GlobalWorkerOptions.workerSrc = workerSrc;
    const port = await early;
    const worker = port ? lib.PDFWorker.create({ port }) : new lib.PDFWorker();
    const task = lib.getDocument({
      ...source(lib),
      worker,
      enableXfa: false,
      cMapUrl: folder('cmaps'),
      standardFontDataUrl: folder('standard_fonts'),
      wasmUrl: folder('wasm'),
      iccUrl: folder('iccs'),
      cMapPacked: true,
      stopAtErrors: false,
    });
    const pdf = await task.promise;
    const viewerLib = await components;
    const eventBus = new viewerLib.EventBus();
    const links = new viewerLib.PDFLinkService({ eventBus, externalLinkTarget: viewerLib.LinkTarget.BLANK, externalLinkRel: 'noopener noreferrer nofollow' });
    const findController = new viewerLib.PDFFindController({ eventBus, linkService: links });
    const viewer = new viewerLib.PDFViewer({
      container,
      viewer: container.firstElementChild,
      eventBus,
      linkService: links,
      findController,
      textLayerMode: 1,
      annotationMode: lib.AnnotationMode.ENABLE,
      annotationEditorMode: lib.AnnotationEditorType.DISABLE,
      maxCanvasPixels: 2 ** 24,
      enableAutoLinking: false,
      enableDetailCanvas: false,
    });
    links.setViewer(viewer);
    eventBus.on('pagesinit', () => { viewer.currentScaleValue = 'auto'; });
    eventBus.on('pagerendered', (event) => {
      if (!event.isDetailView && !event.error) event.source.div?.setAttribute('data-rendered', 'true');
    });
    viewer.setDocument(pdf);
    links.setDocument(pdf, null);
    await waitFor(() => isPageShown(document, 1), 120000, document);
    const ms = performance.now() - start;
    await mark('first-page');
    // The document came before timing: its one request tells the protocol all the same.
    return { ms, numPages: pdf.numPages, canvasWidth: canvasWidth(document, 1), protocols: documentProtocols() };
  }
  window.benchReady = true;
</script>
</body></html>`;
}

/** Only defines the element: nothing of pdf.js may load until a document is requested. */
export function defineOnlyPage(script: string): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>define only</title>
<script type="module" src="${script}"></script>
</head><body>
<secure-viewer id="viewer" style="width:800px;height:600px"></secure-viewer>
<script type="module">
  await customElements.whenDefined('secure-viewer');
  window.benchReady = true;
</script>
</body></html>`;
}
