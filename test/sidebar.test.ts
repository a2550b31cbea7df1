import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { SecureViewer, SvSidebarToggleDetail } from '../src/index.ts';
import { answeredRequestLog, contentRequests, contentUrl, createScenario, mintToken, sampleDocuments } from './helpers/backend.ts';
import { inkIn, openViewer, pageElement, renderedCanvas, sleep, waitFor, waitForState } from './helpers/viewer.ts';

async function readyViewer(document: string, extra: { watermark?: string; style?: string; permissions?: string[] } = {}): Promise<{ el: SecureViewer; id: string }> {
  const id = await createScenario(document);
  const el = await openViewer(extra.style ? { style: extra.style } : {});
  if (extra.watermark) el.watermark = extra.watermark;
  el.token = await mintToken(id, { permissions: extra.permissions ?? ['read'], sub: 'alice@example.com' });
  el.src = contentUrl(id);
  await waitForState(el, ['ready']);
  await renderedCanvas(el, 1);
  return { el, id };
}

function part(el: SecureViewer, name: string): HTMLElement | null {
  return el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
}

function thumbnail(el: SecureViewer, page: number): HTMLButtonElement | null {
  return el.shadowRoot!.querySelector<HTMLButtonElement>(`[part~="thumbnail"][data-page="${page}"]`);
}

/** The drawn canvas of a thumbnail, once it has one. */
function thumbnailCanvas(el: SecureViewer, page: number, timeoutMs = 15_000): Promise<HTMLCanvasElement> {
  return waitFor(
    () => {
      const canvas = thumbnail(el, page)?.querySelector('canvas');
      return canvas && canvas.width > 0 ? canvas : null;
    },
    timeoutMs,
    () => `thumbnail ${page} not drawn`,
  );
}


/** How long the viewer waits for resizing to settle before it fits the pages again (src/pdf/page-viewer.ts). */
const RESIZE_SETTLE_MS = 120;

function treeItems(el: SecureViewer): HTMLElement[] {
  return [...el.shadowRoot!.querySelectorAll<HTMLElement>('[part~="outline"] [role="treeitem"]')];
}

describe('sidebar', () => {
  it('is closed by default and opens and closes from the toolbar and with F4', async () => {
    const { el } = await readyViewer('report');
    const toggles: SvSidebarToggleDetail[] = [];
    el.addEventListener('sv-sidebar-toggle', (event) => toggles.push(event.detail));
    const button = part(el, 'sidebar-toggle-button') as HTMLButtonElement;
    expect(part(el, 'sidebar')!.hidden).to.equal(true);
    expect(button.getAttribute('aria-expanded')).to.equal('false');
    const viewportLeft = part(el, 'viewport')!.getBoundingClientRect().left;
    button.click();
    await el.updateComplete;
    expect(el.sidebarOpen).to.equal(true);
    expect(part(el, 'sidebar')!.hidden).to.equal(false);
    expect(button.getAttribute('aria-expanded')).to.equal('true');
    // Wide enough: the pages move aside rather than being covered.
    expect(part(el, 'viewport')!.getBoundingClientRect().left).to.be.greaterThan(viewportLeft + 100);
    part(el, 'viewport')!.focus();
    await sendKeys({ press: 'F4' });
    await waitFor(() => !el.sidebarOpen);
    await sendKeys({ press: 'F4' });
    await waitFor(() => el.sidebarOpen);
    // From the keyboard, focus moves into the sidebar.
    await waitFor(() => part(el, 'sidebar')!.contains(el.shadowRoot!.activeElement));
    expect(toggles).to.deep.equal([{ open: true }, { open: false }, { open: true }]);
  });

  it('folds over the pages under 520 px and closes after navigating', async () => {
    const { el } = await readyViewer('report', { style: 'height: 500px; width: 400px' });
    const viewportLeft = part(el, 'viewport')!.getBoundingClientRect().left;
    el.sidebarOpen = true;
    await waitFor(() => treeItems(el).length > 0);
    expect(part(el, 'viewport')!.getBoundingClientRect().left).to.equal(viewportLeft);
    treeItems(el)[0]!.focus();
    await sendKeys({ press: 'ArrowRight' });
    await waitFor(() => treeItems(el).length === 6);
    treeItems(el).find((item) => item.textContent === 'Programmes')!.click();
    await waitFor(() => el.page === 5);
    await waitFor(() => !el.sidebarOpen);
  });

  it('outline: a tree of the bookmarks; a click or Enter goes there; arrows move, open and close', async () => {
    const { el } = await readyViewer('report');
    el.sidebarOpen = true;
    await waitFor(() => treeItems(el).length > 0);
    expect(part(el, 'outline-tab')!.getAttribute('aria-selected')).to.equal('true');
    expect(part(el, 'outline')!.getAttribute('role')).to.equal('tree');
    // The top entry starts collapsed.
    let items = treeItems(el);
    expect(items.map((i) => i.textContent)).to.deep.equal(['Annual report 2025']);
    expect(items[0]!.getAttribute('aria-expanded')).to.equal('false');
    expect(items[0]!.tabIndex).to.equal(0);
    items[0]!.focus();
    await sendKeys({ press: 'ArrowRight' });
    await waitFor(() => treeItems(el).length === 6);
    items = treeItems(el);
    expect(items[0]!.getAttribute('aria-expanded')).to.equal('true');
    expect(items.slice(1).map((i) => [i.textContent, i.getAttribute('aria-level')])).to.deep.equal([
      ['Summary', '2'],
      ['Results by quarter', '2'],
      ['Revenue trend', '2'],
      ['Programmes', '2'],
      ['Risks and next steps', '2'],
    ]);
    await sendKeys({ press: 'ArrowRight' }); // into the first child
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'ArrowDown' });
    await waitFor(() => el.shadowRoot!.activeElement?.textContent === 'Revenue trend');
    expect(el.page, 'arrow keys in the tree do not turn pages').to.equal(1);
    await sendKeys({ press: 'Enter' });
    await waitFor(() => el.page === 4);
    await renderedCanvas(el, 4);
    // A click on another entry.
    treeItems(el).find((i) => i.textContent === 'Summary')!.click();
    await waitFor(() => el.page === 2);
    // ← goes to the parent, ← again closes it.
    (el.shadowRoot!.activeElement as HTMLElement | null)?.blur();
    treeItems(el).find((i) => i.textContent === 'Summary')!.focus();
    await sendKeys({ press: 'ArrowLeft' });
    await waitFor(() => el.shadowRoot!.activeElement?.textContent === 'Annual report 2025');
    await sendKeys({ press: 'ArrowLeft' });
    await waitFor(() => treeItems(el).length === 1);
  });

  it('outline: a jump just after the viewer was resized stays where it went', async () => {
    // Fitting the pages to a new size keeps the reader's place; it must be the place after the jump.
    const { el } = await readyViewer('report');
    el.sidebarOpen = true;
    await waitFor(() => treeItems(el).length > 0);
    treeItems(el)[0]!.focus();
    await sendKeys({ press: 'ArrowRight' });
    await waitFor(() => treeItems(el).length === 6);
    el.goToPage(4);
    await renderedCanvas(el, 4);
    // The viewer narrows and fits the pages to the new width once the resizing has settled (a
    // debounced timer). The jump lands in the same task just before that fit, before any scroll
    // event has told pdf.js where the reader went: the order a reader hits when the two coincide.
    const viewport = part(el, 'viewport')!;
    const setTimer = window.setTimeout;
    const jumped = new Promise<void>((resolve) => {
      window.setTimeout = ((handler: () => void, delay?: number) => {
        if (delay !== RESIZE_SETTLE_MS) return setTimer(handler, delay);
        window.setTimeout = setTimer;
        return setTimer(async () => {
          const before = viewport.scrollTop;
          treeItems(el).find((i) => i.textContent === 'Summary')!.click();
          // pdf.js resolves the destination in promise callbacks: still this task, before any frame.
          for (let i = 0; i < 100 && viewport.scrollTop === before; i++) await Promise.resolve();
          handler();
          resolve();
        }, delay);
      }) as typeof window.setTimeout;
    });
    try {
      el.style.width = '640px';
      await jumped;
    } finally {
      window.setTimeout = setTimer;
    }
    await waitFor(() => el.page === 2);
    await sleep(RESIZE_SETTLE_MS * 3);
    expect(el.page, 'still where the outline went').to.equal(2);
    const box = pageElement(el, 2)!.getBoundingClientRect();
    const view = viewport.getBoundingClientRect();
    expect(box.bottom > view.top && box.top < view.bottom, 'page 2 in view').to.equal(true);
  });

  it('outline: hidden when the document has no bookmarks', async () => {
    const { el } = await readyViewer('sample');
    el.sidebarOpen = true;
    await waitFor(() => part(el, 'thumbnails-tab')?.getAttribute('aria-selected') === 'true');
    await sleep(300);
    expect(part(el, 'outline-tab')).to.equal(null);
    expect(part(el, 'outline')).to.equal(null);
  });

  it('thumbnails: drawn near the view only, current page highlighted, a click or Enter goes there', async function () {
    this.timeout(60_000);
    const { el, id } = await readyViewer('long');
    el.sidebarOpen = true;
    await waitFor(() => part(el, 'thumbnails-tab')?.getAttribute('aria-selected') === 'true');
    const first = await thumbnailCanvas(el, 1);
    expect(inkIn(first, 0.1, 0.5), 'thumbnail 1 has ink').to.be.greaterThan(0.2);
    expect(thumbnail(el, 1)!.getAttribute('aria-current')).to.equal('page');
    expect(el.shadowRoot!.querySelectorAll('[part~="thumbnail"]').length).to.equal(500);
    // Scroll the thumbnails far down: those there are drawn from the document, those left behind let go.
    thumbnail(el, 300)!.scrollIntoView({ block: 'center' });
    const far = await thumbnailCanvas(el, 300, 20_000);
    expect(inkIn(far, 0.1, 0.5), 'thumbnail 300 has ink').to.be.greaterThan(0.2);
    await waitFor(() => !thumbnail(el, 1)!.querySelector('canvas'), 5_000, () => 'thumbnail 1 still holds a canvas');
    const drawn = [...el.shadowRoot!.querySelectorAll('[part~="thumbnail"] canvas')].length;
    expect(drawn, 'thumbnails holding a canvas').to.be.lessThan(40);
    // Click one: the pages follow, and its thumbnail becomes the current one.
    thumbnail(el, 300)!.click();
    await waitFor(() => el.page === 300);
    await waitFor(() => thumbnail(el, 300)!.getAttribute('aria-current') === 'page');
    expect(thumbnail(el, 300)!.tabIndex).to.equal(0);
    // Keyboard: ↓ moves focus, Enter goes there.
    thumbnail(el, 300)!.focus();
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'Enter' });
    await waitFor(() => el.page === 301);
    await renderedCanvas(el, 301);
    const log = contentRequests(await answeredRequestLog(id));
    expect(log.every((r) => r.range !== null && r.status === 206), 'only range requests').to.equal(true);
  });

  it('thumbnails fetch only the pages they show: a 24 MB scan is not downloaded for them', async function () {
    this.timeout(60_000);
    const { el, id } = await readyViewer('large');
    const size = (await sampleDocuments()).find((d) => d.id === 'large')!.size;
    el.sidebarOpen = true;
    // Page 3's image is not needed by the pages in view: its thumbnail is drawn from the document.
    const third = await thumbnailCanvas(el, 3, 30_000);
    expect(pageElement(el, 3)!.getAttribute('data-rendered')).to.equal(null);
    expect(inkIn(third, 0.3, 0.6), 'the scanned image').to.be.greaterThan(0.5);
    await sleep(1000);
    const drawn = el.shadowRoot!.querySelectorAll('[part~="thumbnail"] canvas').length;
    expect(drawn, 'thumbnails drawn').to.be.within(3, 20);
    const log = contentRequests(await answeredRequestLog(id));
    const fetched = log.reduce((sum, r) => sum + r.bytes, 0);
    expect(fetched, `fetched ${fetched} of ${size} bytes`).to.be.lessThan(size / 2);
    expect(log.every((r) => r.range !== null && r.status === 206), 'only range requests').to.equal(true);
  });

  it('thumbnails of a 1000-page document carry the watermark; only those near the view are drawn', async function () {
    this.timeout(60_000);
    const { el } = await readyViewer('pages-1000', { watermark: 'CONFIDENTIAL {sub}' });
    el.sidebarOpen = true;
    await waitFor(() => thumbnail(el, 700));
    thumbnail(el, 700)!.scrollIntoView({ block: 'center' });
    // Page 700 is not drawn in the viewer: its thumbnail is drawn from the document, watermark included.
    const canvas = await thumbnailCanvas(el, 700, 20_000);
    expect(pageElement(el, 700)!.getAttribute('data-rendered')).to.equal(null);
    expect(inkIn(canvas, 0.75, 0.98), 'watermark in the empty lower part').to.be.greaterThan(0.01);
    expect(inkIn(canvas, 0.15, 0.45), 'the page itself').to.be.greaterThan(0.2);
    await sleep(500);
    const drawn = [...el.shadowRoot!.querySelectorAll<HTMLElement>('[part~="thumbnail"][data-drawn]')].map((b) => Number(b.dataset['page']));
    expect(drawn.length, 'thumbnails drawn').to.be.within(3, 40);
    expect(Math.min(...drawn), 'nothing drawn far above').to.be.greaterThan(650);
  });

  it('a page drawn in the viewer gives its thumbnail, watermark included', async () => {
    const { el } = await readyViewer('sample', { watermark: 'CONFIDENTIAL {sub}' });
    el.sidebarOpen = true;
    const canvas = await thumbnailCanvas(el, 1);
    expect(inkIn(canvas, 0.75, 0.98)).to.be.greaterThan(0.01);
    const plain = await readyViewer('sample');
    plain.el.sidebarOpen = true;
    expect(inkIn(await thumbnailCanvas(plain.el, 1), 0.75, 0.98)).to.equal(0);
  });
});
