import { expect, oneEvent } from '@open-wc/testing';
import type { SecureViewer } from '../src/index.ts';
import { ZOOM_SETTLE_MS } from '../src/server-pages/server-page-view.ts';
import { backendUrl, contentUrl, createScenario, mintToken, requestLog, revokeSession, type LoggedRequest, type MintOptions } from './helpers/backend.ts';
import { cdp, heapSearch } from './helpers/devtools.ts';
import { openViewer, renderedCanvas, sleep, waitFor, waitForState } from './helpers/viewer.ts';

// `render="server"`: the element shows pages the server rendered (watermark in the pixels) and
// never asks for the PDF. Against the reference backend's server-side viewing routes.

function manifestUrl(id: string): string {
  return `${backendUrl}/api/documents/${id}/pages`;
}

async function openServer(document: string, mint: MintOptions = { permissions: ['read'] }, setup?: (el: SecureViewer) => void) {
  const id = await createScenario(document);
  const el = await openViewer();
  el.renderMode = 'server';
  setup?.(el);
  el.token = await mintToken(id, mint);
  el.src = manifestUrl(id);
  return { id, el };
}

function gets(log: { requests: LoggedRequest[] }): LoggedRequest[] {
  return log.requests.filter((r) => r.method === 'GET');
}

function drawnPage(el: SecureViewer, page: number, timeoutMs = 15_000): Promise<HTMLCanvasElement> {
  return waitFor(
    () => {
      const box = el.shadowRoot!.querySelector(`.page[data-page-number="${page}"]`);
      const canvas = box?.querySelector('canvas');
      return box?.getAttribute('data-rendered') === 'true' && canvas && canvas.width > 0 ? canvas : null;
    },
    timeoutMs,
    () => `page ${page} not drawn (state ${el.state}, ${el.error?.code ?? 'no error'})`,
  );
}

/** Share of pixels in a band (fractions of the height) that pass `test`. */
function shareOf(canvas: HTMLCanvasElement, top: number, bottom: number, test: (r: number, g: number, b: number) => boolean): number {
  const data = canvas.getContext('2d')!.getImageData(0, Math.floor(canvas.height * top), canvas.width, Math.floor(canvas.height * (bottom - top))).data;
  let hits = 0;
  for (let i = 0; i < data.length; i += 4) if (test(data[i]!, data[i + 1]!, data[i + 2]!)) hits++;
  return hits / (data.length / 4);
}

function part(el: SecureViewer, name: string): HTMLElement | null {
  return el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
}

describe('render="server"', () => {
  it('shows the server\u2019s watermarked pages, never asks for the PDF and loads no PDF engine', async () => {
    const id = await createScenario('sample');
    const el = await openViewer();
    el.setAttribute('render', 'server');
    const loaded = oneEvent(el, 'sv-load');
    el.token = await mintToken(id, { permissions: ['read'], sub: 'reader@example.com' });
    el.src = manifestUrl(id);
    expect((await loaded).detail).to.deep.equal({ numPages: 3 });
    expect(el.renderMode).to.equal('server');
    expect(el.state).to.equal('ready');
    expect(el.numPages).to.equal(3);
    const canvas = await drawnPage(el, 1);
    // Page 1's red rectangle, and the server's red-tinted watermark over the white margin below it.
    expect(shareOf(canvas, 0.2, 0.4, (r, g, b) => r > 200 && g < 80 && b < 80)).to.be.greaterThan(0.5);
    expect(shareOf(canvas, 0.7, 0.95, (r, g, b) => r > g + 25 && r > b + 25 && g < 245)).to.be.greaterThan(0.005);
    await sleep(500);
    const requests = gets(await requestLog(id));
    expect(requests.filter((r) => r.path.endsWith('/content'))).to.deep.equal([]);
    // Every answer the browser had is the manifest (JSON) or a page image (WebP): none is the PDF.
    expect(requests.every((r) => r.path === `/api/documents/${id}/pages` || /\/pages\/\d+\/image$/.test(r.path))).to.equal(true);
    expect(requests.every((r) => r.auth === 'bearer' && !r.query.includes('token'))).to.equal(true);
    const engine = performance.getEntriesByType('resource').filter((entry) => /pdfjs-dist|pdf\.worker/.test(entry.name));
    expect(engine.map((entry) => entry.name)).to.deep.equal([]);
  });

  it('asks for a sharper image once, after the zoom settles', async () => {
    const { id, el } = await openServer('sample');
    el.zoom = 0.5;
    await waitForState(el, ['ready']);
    const first = await drawnPage(el, 1);
    await sleep(ZOOM_SETTLE_MS + 300);
    const before = gets(await requestLog(id)).length;
    const width = first.width;
    // Three steps in quick succession, as a reader pressing zoom in.
    part(el, 'zoom-in-button')!.click();
    part(el, 'zoom-in-button')!.click();
    el.zoom = 1;
    await sleep(ZOOM_SETTLE_MS / 3);
    expect(gets(await requestLog(id)).length, 'nothing asked for while zooming').to.equal(before);
    await waitFor(async () => (await drawnPage(el, 1)).width > width);
    await sleep(ZOOM_SETTLE_MS * 2);
    const page1 = gets(await requestLog(id))
      .slice(before)
      .filter((r) => r.path.endsWith('/pages/1/image'));
    expect(page1.map((r) => r.query)).to.deep.equal([`scale=${devicePixelRatio === 1 ? '1.5' : '3'}`]);
  });

  it('navigates with page, the toolbar and the keyboard, firing sv-page-change', async () => {
    const { el } = await openServer('long');
    await waitForState(el, ['ready']);
    const changed = oneEvent(el, 'sv-page-change');
    el.goToPage(250);
    expect((await changed).detail).to.deep.equal({ page: 250, numPages: el.numPages });
    await drawnPage(el, 250);
    part(el, 'next-button')!.click();
    await waitFor(() => el.page === 251);
    await drawnPage(el, 251);
    el.shadowRoot!.querySelector<HTMLElement>('.viewport')!.focus();
    el.dispatchEvent(new KeyboardEvent('keydown', { key: 'Home', bubbles: true, composed: true }));
    await waitFor(() => el.page === 1);
    await drawnPage(el, 1);
    // Only a bounded number of pages keep their pixels.
    expect([...el.shadowRoot!.querySelectorAll('canvas')].filter((c) => c.width > 0).length).to.be.at.most(8);
  });

  it('renews once on a 401 and goes on', async () => {
    const id = await createScenario('sample');
    let renewals = 0;
    const el = await openViewer();
    el.renderMode = 'server';
    el.renewToken = async () => {
      renewals++;
      return mintToken(id, { permissions: ['read'] });
    };
    el.token = await mintToken(id, { permissions: ['read'], ttl: -10 });
    el.src = manifestUrl(id);
    await waitForState(el, ['ready']);
    await drawnPage(el, 1);
    expect(renewals).to.equal(1);
    const statuses = gets(await requestLog(id)).map((r) => r.status);
    expect(statuses[0]).to.equal(401);
    expect(statuses.filter((s) => s === 401)).to.have.length(1);
  });

  it('clears the screen when the session is revoked, without asking for a new token', async () => {
    let renewals = 0;
    const { id, el } = await openServer('long', { permissions: ['read'] }, (viewer) => {
      viewer.renewToken = async () => {
        renewals++;
        return mintToken(id, { permissions: ['read'] });
      };
    });
    await waitForState(el, ['ready']);
    await drawnPage(el, 1);
    await revokeSession(id);
    el.goToPage(300);
    await waitForState(el, ['error']);
    await el.updateComplete;
    expect(el.error).to.deep.equal({ code: 'revoked', message: 'Your access to this document was revoked.', status: 401 });
    expect(part(el, 'error')?.textContent).to.include('was revoked');
    expect(el.shadowRoot!.querySelectorAll('.page').length).to.equal(0);
    expect([...el.shadowRoot!.querySelectorAll('canvas')].filter((c) => c.width > 0)).to.have.length(0);
    expect(el.numPages).to.equal(0);
    expect(renewals).to.equal(0);
  });
});

describe('render="server" and back', () => {
  it('switches between the modes on one element: each shows its pages, nothing of the other stays', async () => {
    const id = await createScenario('sample');
    const el = await openViewer({ token: await mintToken(id, { permissions: ['read'] }), src: contentUrl(id) });
    await waitForState(el, ['ready']);
    await renderedCanvas(el, 1);
    el.renderMode = 'server';
    el.token = await mintToken(id, { permissions: ['read'] });
    el.src = manifestUrl(id);
    await waitFor(() => el.shadowRoot!.querySelector('.sv-server-column'));
    await waitForState(el, ['ready']);
    const canvas = await drawnPage(el, 1);
    // Laid out as the column places it, whatever pdf.js's page styles (loaded before) say.
    expect((canvas.parentElement as HTMLElement).offsetTop).to.equal(10);
    expect(shareOf(canvas, 0.2, 0.4, (r, g, b) => r > 200 && g < 80 && b < 80)).to.be.greaterThan(0.5);
    el.setAttribute('render', 'pdf');
    el.token = await mintToken(id, { permissions: ['read'] });
    el.src = contentUrl(id);
    await waitFor(() => (el.shadowRoot!.querySelector('.sv-server-column') ? null : true));
    await waitForState(el, ['ready']);
    await renderedCanvas(el, 1);
  });
});

describe('render="server" touch', () => {
  before(() => cdp('Emulation.setTouchEmulationEnabled', { enabled: true, maxTouchPoints: 5 }));
  after(() => cdp('Emulation.setTouchEmulationEnabled', { enabled: false }));

  it('a pinch zooms around its centre and asks for a sharper image once the fingers lift', async () => {
    const { id, el } = await openServer('sample');
    el.zoom = 0.5;
    await waitForState(el, ['ready']);
    const canvas = await drawnPage(el, 1);
    await sleep(ZOOM_SETTLE_MS + 300);
    const before = gets(await requestLog(id)).length;
    const box = canvas.getBoundingClientRect();
    // Where the zoomed page can be scrolled to keep it there (not past its column's left edge).
    const centre = { x: box.left + box.width * 0.6, y: box.top + box.height * 0.4 };
    const width = canvas.width;
    const touch = (type: string, points: Array<{ x: number; y: number }>) =>
      cdp('Input.dispatchTouchEvent', { type, touchPoints: points.map((p, i) => ({ x: p.x, y: p.y, id: i })) });
    await touch('touchStart', [{ x: centre.x - 50, y: centre.y }, { x: centre.x + 50, y: centre.y }]);
    for (const spread of [70, 90, 100]) await touch('touchMove', [{ x: centre.x - spread, y: centre.y }, { x: centre.x + spread, y: centre.y }]);
    await touch('touchEnd', []);
    await waitFor(() => el.zoom === 1, 5_000, () => `zoom ${String(el.zoom)}`);
    // The point under the pinch centre is still under it.
    const after = (await drawnPage(el, 1)).getBoundingClientRect();
    expect(Math.abs(after.left + after.width * 0.6 - centre.x), 'x drift in px').to.be.lessThan(4);
    expect(Math.abs(after.top + after.height * 0.4 - centre.y), 'y drift in px').to.be.lessThan(4);
    await waitFor(async () => (await drawnPage(el, 1)).width > width || null);
    await sleep(ZOOM_SETTLE_MS * 2);
    const page1 = gets(await requestLog(id))
      .slice(before)
      .filter((r) => r.path.endsWith('/pages/1/image'));
    expect(page1).to.have.length(1);
  });
});

describe('render="server" reader events', () => {
  it('page views, zoom and searches fire as in PDF mode', async () => {
    const { el } = await openServer('long', { permissions: ['read', 'copy'] });
    const fired: Array<{ type: string; detail: unknown }> = [];
    for (const type of ['sv-page-view', 'sv-zoom', 'sv-find']) el.addEventListener(type, (event) => fired.push({ type, detail: (event as CustomEvent).detail }));
    el.setAttribute('share-find-query', '');
    await waitForState(el, ['ready']);
    await sleep(1200);
    el.goToPage(40);
    const view = await waitFor(() => fired.find((e) => e.type === 'sv-page-view'));
    expect((view.detail as { page: number }).page).to.equal(1);
    expect((view.detail as { ms: number }).ms).to.be.within(1000, 20_000);
    el.zoom = 1.5;
    const zoom = await waitFor(() => fired.find((e) => e.type === 'sv-zoom'), 5_000);
    expect(zoom.detail).to.deep.equal({ zoom: 1.5, scale: 1.5 });
    part(el, 'find-button')!.click();
    const input = await waitFor(() => part(el, 'find-input') as HTMLInputElement | null);
    input.value = 'Page 3';
    input.dispatchEvent(new Event('input'));
    const find = await waitFor(() => fired.find((e) => e.type === 'sv-find'), 5_000);
    expect(find.detail).to.deep.equal({ query: 'Page 3' });
  });
});

describe('render="server" when the session ends', () => {
  /** Texts of the `report` sample (see revocation.test.ts), reversed so this file never holds them. */
  const REPORT_TEXTS_REVERSED = ['gnigdeH', 'gnillib', 'spets txen dna sksiR'];
  const HOLDERS = ['ServerPageView', 'ServerFinder', 'ServerPagesClient', 'PageEvents', 'PageTexts'];

  it('a revoked session drops pages, find results, text layers and the text read, in the shadow root and in memory', async function () {
    this.timeout(90_000);
    const { id, el } = await openServer('report', { permissions: ['read', 'copy'] });
    await waitForState(el, ['ready']);
    await drawnPage(el, 1);
    await waitFor(() => el.shadowRoot!.querySelector('.page[data-page-number="1"] .sv-text-layer span'), 20_000);
    el.sidebarOpen = true;
    await waitFor(() => el.shadowRoot!.querySelector('[part~="outline-item"]'));
    part(el, 'find-button')!.click();
    const input = await waitFor(() => part(el, 'find-input') as HTMLInputElement | null);
    input.value = 'quarter';
    input.dispatchEvent(new Event('input'));
    await waitFor(() => el.shadowRoot!.querySelector('.find-status')?.textContent?.includes('of'), 30_000);
    const open = await heapSearch({ reversedTexts: REPORT_TEXTS_REVERSED, classes: HOLDERS });
    expect(open.texts).to.deep.equal([true, true, true]);
    expect(open.objects['ServerFinder']).to.be.greaterThan(0);

    await revokeSession(id);
    // The next request meets the revocation: a sharper image once the zoom settles.
    el.zoom = 2;
    await waitForState(el, ['error']);
    await el.updateComplete;
    expect(el.error?.code).to.equal('revoked');
    const root = el.shadowRoot!;
    expect([root.querySelectorAll('.page').length, root.querySelectorAll('.sv-match').length, root.querySelectorAll('.sv-text-layer').length, root.querySelectorAll('[part~="thumbnail"], [part~="outline-item"]').length]).to.deep.equal([0, 0, 0, 0]);
    expect(part(el, 'find-bar')).to.equal(null);
    let after = await heapSearch({ reversedTexts: REPORT_TEXTS_REVERSED, classes: HOLDERS });
    // Requests on their way when the session ended let go once their abort has run through.
    for (let attempt = 0; attempt < 3 && Object.values(after.objects).some((count) => count > 0); attempt++) {
      await sleep(500);
      after = await heapSearch({ reversedTexts: REPORT_TEXTS_REVERSED, classes: HOLDERS });
    }
    expect(after.texts, 'the document text still reachable').to.deep.equal([false, false, false]);
    expect(after.objects).to.deep.equal(Object.fromEntries(HOLDERS.map((name) => [name, 0])));
  });
});

describe('render="server" errors', () => {
  async function failWith(src: (id: string) => string, document = 'sample', before?: (id: string, token: string) => Promise<void>) {
    const id = await createScenario(document);
    const token = await mintToken(id, { permissions: ['read'] });
    await before?.(id, token);
    const el = await openViewer();
    el.renderMode = 'server';
    const failed = oneEvent(el, 'sv-error');
    el.token = token;
    el.src = src(id);
    return { el, detail: (await failed).detail, id };
  }

  it('an unknown document → not-found', async () => {
    const { detail } = await failWith(() => manifestUrl('no-such-document'));
    expect(detail).to.include({ code: 'not-found', status: 404 });
  });

  it('the render budget spent → rate-limited', async function () {
    this.timeout(60_000);
    const { detail } = await failWith(manifestUrl, 'sample', async (id, token) => {
      // The budget counts every request of the token: spend it on cheap refusals (a scale not offered).
      const spend = () => fetch(`${backendUrl}/api/documents/${id}/pages/1/image?scale=7`, { headers: { Authorization: `Bearer ${token}` } }).then((r) => r.status);
      for (let sent = 0; sent < 300; sent += 25) await Promise.all(Array.from({ length: 25 }, spend));
    });
    expect(detail).to.include({ code: 'rate-limited', status: 429 });
  });

  it('a damaged PDF → invalid-document, and the next document opens', async () => {
    const id = await createScenario('sample', { truncateTo: 600 });
    const el = await openViewer();
    el.renderMode = 'server';
    const failed = oneEvent(el, 'sv-error');
    el.token = await mintToken(id, { permissions: ['read'] });
    el.src = manifestUrl(id);
    expect((await failed).detail).to.include({ code: 'invalid-document', status: 422 });
    const good = await createScenario('sample');
    el.token = await mintToken(good, { permissions: ['read'] });
    el.src = manifestUrl(good);
    await waitForState(el, ['ready']);
    await drawnPage(el, 1);
  });

  it('a src that is the PDF itself, not a manifest → invalid-document', async () => {
    const { detail, el } = await failWith(contentUrl);
    expect(detail.code).to.equal('invalid-document');
    expect(detail.message).to.include('not the expected page manifest');
    expect(el.numPages).to.equal(0);
  });
});

describe('render="server" find, download and print', () => {
  it('finds with a copy token; download and print only with their permissions', async () => {
    const { el } = await openServer('report', { permissions: ['read', 'copy'] });
    await waitForState(el, ['ready']);
    await el.updateComplete;
    expect(part(el, 'download-button')).to.equal(null);
    expect(part(el, 'print-button')).to.equal(null);
    part(el, 'find-button')!.click();
    const input = await waitFor(() => part(el, 'find-input') as HTMLInputElement | null);
    input.value = 'quarter';
    input.dispatchEvent(new Event('input'));
    await waitFor(() => el.shadowRoot!.querySelector('.find-status')?.textContent?.includes('of'), 30_000);
    expect(el.shadowRoot!.querySelectorAll('.sv-match.selected').length).to.be.greaterThan(0);
  });

  it('saves the server\u2019s stamped copy with the download permission', async () => {
    const { id, el } = await openServer('sample', { permissions: ['read', 'download'] });
    await waitForState(el, ['ready']);
    await el.updateComplete;
    expect(part(el, 'download-button')).not.to.equal(null);
    const saved = oneEvent(el, 'sv-download');
    await el.download();
    expect((await saved).detail).to.deep.equal({ numPages: 3 });
    const downloads = gets(await requestLog(id)).filter((r) => r.path.endsWith('/download'));
    expect(downloads.map((r) => [r.status, r.auth])).to.deep.equal([[200, 'bearer']]);
    expect(gets(await requestLog(id)).filter((r) => r.path.endsWith('/content'))).to.deep.equal([]);
  });
});

describe('render="server" print', () => {
  it('prints the server\u2019s page images with the print permission', async () => {
    const { id, el } = await openServer('sample', { permissions: ['read', 'print'] });
    await waitForState(el, ['ready']);
    await el.updateComplete;
    expect(part(el, 'print-button')).not.to.equal(null);
    expect(part(el, 'download-button')).to.equal(null);
    // The print dialog is replaced: what it would print is counted instead.
    const print = window.print;
    let images = 0;
    window.print = () => {
      images = document.querySelectorAll('[data-secure-viewer-print] img').length;
    };
    try {
      const printed = oneEvent(el, 'sv-print');
      await el.print();
      expect((await printed).detail).to.deep.equal({ numPages: 3 });
    } finally {
      window.print = print;
    }
    expect(images).to.equal(3);
    const printRequests = gets(await requestLog(id)).filter((r) => r.query === 'scale=3');
    expect(printRequests.map((r) => r.path).sort()).to.deep.equal([1, 2, 3].map((n) => `/api/documents/${id}/pages/${n}/image`));
    expect(gets(await requestLog(id)).filter((r) => r.path.endsWith('/content') || r.path.endsWith('/download'))).to.deep.equal([]);
  });
});

describe('render="server" sidebar', () => {
  it('shows the manifest\u2019s outline, follows it, and draws thumbnails from the server', async () => {
    const id = await createScenario('report');
    const token = await mintToken(id, { permissions: ['read'] });
    const el = await openViewer();
    el.renderMode = 'server';
    el.token = token;
    el.src = manifestUrl(id);
    await waitForState(el, ['ready']);
    el.sidebarOpen = true;
    const items = await waitFor(() => {
      const found = [...el.shadowRoot!.querySelectorAll<HTMLElement>('[part~="outline-item"]')];
      return found.length > 0 ? found : null;
    });
    // The first bookmark leads where the manifest says; from the last page, the reader moves there.
    const manifest = (await (await fetch(manifestUrl(id), { headers: { Authorization: `Bearer ${token}` } })).json()) as { outline: Array<{ page: number }> };
    el.goToPage(el.numPages);
    await waitFor(() => el.page === el.numPages);
    const changed = oneEvent(el, 'sv-page-change');
    items[0]!.click();
    expect((await changed).detail.page).to.equal(manifest.outline[0]!.page);
    el.shadowRoot!.querySelector<HTMLElement>('[part~="thumbnails-tab"]')!.click();
    await waitFor(() => [...el.shadowRoot!.querySelectorAll<HTMLCanvasElement>('[part~="thumbnail"] canvas')].some((c) => c.width > 0));
    const thumbnails = gets(await requestLog(id)).filter((r) => r.query === 'scale=0.25' || r.query === 'scale=0.5');
    expect(thumbnails.length).to.be.greaterThan(0);
    expect(gets(await requestLog(id)).filter((r) => r.path.endsWith('/content'))).to.deep.equal([]);
  });
});

describe('render="server" text selection', () => {
  function textLayer(el: SecureViewer, page: number): Promise<HTMLElement> {
    return waitFor(
      () => el.shadowRoot!.querySelector<HTMLElement>(`.page[data-page-number="${page}"] .sv-text-layer:has(span)`),
      20_000,
      () => `no text layer on page ${page} (state ${el.state}, ${el.error?.code ?? 'no error'})`,
    );
  }

  /** A span's box as fractions of its page's canvas. */
  function share(span: Element, canvas: Element): number[] {
    const a = span.getBoundingClientRect();
    const b = canvas.getBoundingClientRect();
    return [(a.left - b.left) / b.width, (a.top - b.top) / b.height, a.width / b.width, a.height / b.height];
  }

  it('with copy, the page\u2019s text selects and copies over its image, and sv-copy fires', async () => {
    const { id, el } = await openServer('long', { permissions: ['read', 'copy'] });
    const copies: unknown[] = [];
    el.addEventListener('sv-copy', (event) => copies.push((event as CustomEvent).detail));
    await drawnPage(el, 1);
    const layer = await textLayer(el, 1);
    const spans = layer.querySelectorAll('span');
    const range = document.createRange();
    range.setStartBefore(spans[0]!);
    range.setEndAfter(spans[spans.length - 1]!);
    const selection = document.getSelection()!;
    selection.removeAllRanges();
    selection.addRange(range);
    const selected = (el.shadowRoot as ShadowRoot & { getSelection(): Selection }).getSelection().toString();
    expect(selected.trim()).to.equal('Page 1');
    // The copy command the keyboard gives (Ctrl+C), as the browser runs it.
    const copied = oneEvent(el, 'copy');
    await cdp('Input.dispatchKeyEvent', { type: 'keyDown', key: 'c', code: 'KeyC', windowsVirtualKeyCode: 67, modifiers: 2, commands: ['copy'] });
    await cdp('Input.dispatchKeyEvent', { type: 'keyUp', key: 'c', code: 'KeyC', windowsVirtualKeyCode: 67, modifiers: 2 });
    expect((await copied).isTrusted).to.equal(true);
    await waitFor(() => copies.length > 0, 5_000);
    expect(copies).to.deep.equal([{ chars: selected.length }]);
    selection.removeAllRanges();
    // Read once a page, whatever asks for it.
    const texts = gets(await requestLog(id)).filter((r) => r.path.endsWith('/text') && r.status === 200);
    expect(new Set(texts.map((r) => r.path)).size).to.equal(texts.length);
  });

  it('without copy, no text is asked for, nothing is selectable and no sv-copy fires', async () => {
    const { id, el } = await openServer('long', { permissions: ['read'] });
    const copies: unknown[] = [];
    el.addEventListener('sv-copy', (event) => copies.push((event as CustomEvent).detail));
    await drawnPage(el, 1);
    await drawnPage(el, 2);
    await sleep(500);
    expect(el.shadowRoot!.querySelectorAll('.sv-text-layer').length).to.equal(0);
    expect(gets(await requestLog(id)).filter((r) => r.path.endsWith('/text'))).to.deep.equal([]);
    const box = el.shadowRoot!.querySelector('.page[data-page-number="1"]')!;
    document.getSelection()!.selectAllChildren(box);
    expect((el.shadowRoot as ShadowRoot & { getSelection(): Selection }).getSelection().toString()).to.equal('');
    box.dispatchEvent(new ClipboardEvent('copy', { bubbles: true, composed: true, cancelable: true, clipboardData: new DataTransfer() }));
    await sleep(50);
    expect(copies).to.deep.equal([]);
    document.getSelection()!.removeAllRanges();
  });

  it('the text stays over the image when zooming', async () => {
    const { el } = await openServer('long', { permissions: ['read', 'copy'] }, (viewer) => (viewer.zoom = 1));
    const canvas = await drawnPage(el, 1);
    const span = (await textLayer(el, 1)).querySelector('span')!;
    const before = share(span, canvas);
    const width = canvas.getBoundingClientRect().width;
    // "Page 1" is drawn 72 points from the left of a 612-point page.
    expect(before[0]).to.be.closeTo(72 / 612, 0.005);
    el.zoom = 2.5;
    await waitFor(() => Math.abs(canvas.getBoundingClientRect().width - 2.5 * width) < 1, 5_000, () => `canvas ${canvas.getBoundingClientRect().width} wide`);
    const after = share(span, canvas);
    for (let i = 0; i < 4; i++) expect(after[i], `box ${i}`).to.be.closeTo(before[i]!, 0.003);
    expect(span.getBoundingClientRect().width).to.be.closeTo(2.5 * before[2]! * width, 1.5);
  });
});
