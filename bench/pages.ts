// The pages the browser loads. Their scripts are plain JavaScript in strings: code passed to
// page.evaluate() as a function would be serialized after tsx has transformed it.

export const TOKEN = 'bench-token';

/** Waits until the element marks a page view drawn (`data-rendered`), as pdf.js's own render promise would. */
const pageReadyFunctions = `
  const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));
  const pageDiv = (el, n) => el.shadowRoot?.querySelector('.page[data-page-number="' + n + '"]');
  const isPageShown = (el, n) => {
    const div = pageDiv(el, n);
    if (!div || div.getAttribute('data-rendered') !== 'true') return false;
    const canvas = div.querySelector('canvas');
    return !!canvas && canvas.width > 0 && canvas.isConnected;
  };
  const waitFor = async (test, timeoutMs) => {
    const until = performance.now() + timeoutMs;
    while (!test()) {
      if (performance.now() > until) throw new Error('timed out');
      await nextFrame();
    }
  };
  const mark = (label) => fetch('/__mark?label=' + encodeURIComponent(label), { cache: 'no-store' });
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
      await waitFor(() => { if (failure) throw new Error('sv-error ' + JSON.stringify(failure)); return isPageShown(el, 1); }, 120000);
      const ms = performance.now() - start;
      await mark('first-page');
      return { ms, loadMs: loadedAt ? loadedAt - start : null, numPages: el.numPages };
    },
    async jump(n) {
      const start = performance.now();
      el.goToPage(n);
      await waitFor(() => isPageShown(el, n), 30000);
      const ms = performance.now() - start;
      await mark('jump-' + n);
      return { ms, page: el.page };
    },
    /** Scrolls page n to the top of the view and waits until it is drawn (or gives up). */
    async scrollTo(n, timeoutMs) {
      const div = pageDiv(el, n);
      viewport().scrollTop = div.offsetTop;
      try { await waitFor(() => isPageShown(el, n), timeoutMs); return true; } catch { return false; }
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
    return pdf.numPages;
  }
  window.bench = {
    async defaults(url) {
      const start = performance.now();
      const lib = await loadPdfjs();
      const numPages = await renderFirstPage(lib.getDocument({ url, httpHeaders: auth }));
      const ms = performance.now() - start;
      await mark('first-page');
      return { ms, numPages };
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
      const numPages = await renderFirstPage(lib.getDocument({ data: bytes }));
      const ms = performance.now() - start;
      await mark('first-page');
      return { ms, numPages };
    },
  };
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
