import { expect } from '@open-wc/testing';
import type { SecureViewer } from '../src/index.ts';
import { contentUrl, createScenario, mintToken } from './helpers/backend.ts';
import { cdp } from './helpers/devtools.ts';
import { openViewer, pageElement, renderedCanvas, sleep, waitFor, waitForState } from './helpers/viewer.ts';

interface Point {
  x: number;
  y: number;
}

/**
 * Chromium's own touch input (CDP `Input.dispatchTouchEvent`), as a finger on a touch screen gives it.
 * `at` (ms since the epoch) stamps the event's time, so gestures that depend on timing do not depend on
 * how long each command takes to reach the browser on a loaded machine.
 */
function touch(type: 'touchStart' | 'touchMove' | 'touchEnd', points: Point[], at?: number): Promise<unknown> {
  const timestamp = at === undefined ? {} : { timestamp: at / 1000 };
  return cdp('Input.dispatchTouchEvent', { type, touchPoints: points.map((p, id) => ({ x: p.x, y: p.y, id })), ...timestamp });
}

async function readyViewer(): Promise<SecureViewer> {
  const id = await createScenario('report');
  const el = await openViewer({ style: 'height: 600px; width: 700px' });
  el.token = await mintToken(id);
  el.src = contentUrl(id);
  await waitForState(el, ['ready']);
  el.zoom = 1;
  await waitFor(() => Math.abs((pageElement(el, 1)?.clientWidth ?? 0) - 816) < 3, 15_000, () => `page width ${pageElement(el, 1)?.clientWidth}`);
  await renderedCanvas(el, 1);
  return el;
}

/** Where a client point falls on page 1, as fractions of the page box. */
function onPage(el: SecureViewer, point: Point): Point {
  const box = pageElement(el, 1)!.querySelector('.canvasWrapper')!.getBoundingClientRect();
  return { x: (point.x - box.left) / box.width, y: (point.y - box.top) / box.height };
}

describe('touch', () => {
  before(() => cdp('Emulation.setTouchEmulationEnabled', { enabled: true, maxTouchPoints: 5 }));
  after(() => cdp('Emulation.setTouchEmulationEnabled', { enabled: false }));

  it('pinch zooms around its centre: scaled with CSS while moving, drawn once when the fingers lift', async () => {
    const el = await readyViewer();
    const viewport = el.shadowRoot!.querySelector<HTMLElement>('[part~="viewport"]')!.getBoundingClientRect();
    const centre = { x: viewport.left + viewport.width * 0.4, y: viewport.top + viewport.height * 0.5 };
    const before = onPage(el, centre);
    const canvas = await renderedCanvas(el, 1);
    const drawnWidth = canvas.width;
    const content = el.shadowRoot!.querySelector<HTMLElement>('.pdfViewer')!;
    // Each time pdf.js starts drawing page 1 it clears data-rendered.
    let draws = 0;
    const watcher = new MutationObserver((records) => {
      for (const record of records) if (record.oldValue === 'true' && !(record.target as HTMLElement).hasAttribute('data-rendered')) draws++;
    });
    watcher.observe(pageElement(el, 1)!, { attributes: true, attributeFilter: ['data-rendered'], attributeOldValue: true });
    await touch('touchStart', [{ x: centre.x - 50, y: centre.y }, { x: centre.x + 50, y: centre.y }]);
    for (const spread of [70, 90, 100]) {
      await touch('touchMove', [{ x: centre.x - spread, y: centre.y }, { x: centre.x + spread, y: centre.y }]);
    }
    // Mid-gesture: scaled by CSS, not drawn again, and the document's zoom not yet changed.
    expect(content.style.transform).to.equal('scale(2)');
    expect(el.zoom).to.equal(1);
    expect(canvas.width).to.equal(drawnWidth);
    await sleep(300);
    expect(draws, 'draws during the gesture').to.equal(0);
    await touch('touchEnd', []);
    await waitFor(() => el.zoom === 2, 5_000, () => `zoom ${String(el.zoom)}`);
    expect(content.style.transform).to.equal('');
    await waitFor(() => Math.abs(pageElement(el, 1)!.clientWidth - 1632) < 4);
    // The point under the pinch centre is still under it.
    const after = onPage(el, centre);
    expect(Math.abs(after.x - before.x) * 1632, 'x drift in px').to.be.lessThan(6);
    expect(Math.abs(after.y - before.y) * 2112, 'y drift in px').to.be.lessThan(6);
    // Drawn again, once, at the new scale (pdf.js caps a canvas's pixels to the screen's, so
    // it is larger but not necessarily twice as large).
    await waitFor(async () => (await renderedCanvas(el, 1)).width > drawnWidth, 10_000, () => 'page 1 not redrawn larger');
    await sleep(500);
    watcher.disconnect();
    expect(draws, 'draws of page 1 after the gesture').to.equal(1);
  });

  it('double tap toggles fit width and 100 %', async () => {
    const el = await readyViewer();
    const box = pageElement(el, 1)!.getBoundingClientRect();
    const point = { x: box.left + 200, y: box.top + 200 };
    // Each tap's time is given (50 ms down), so the gaps between taps are the ones written here.
    let clock = Date.now();
    const tap = async (after: number) => {
      clock += after;
      await touch('touchStart', [point], clock);
      await touch('touchEnd', [], clock + 50);
      clock += 50;
    };
    await tap(0);
    await tap(60);
    await waitFor(() => el.zoom === 'page-width');
    const viewport = el.shadowRoot!.querySelector<HTMLElement>('[part~="viewport"]')!;
    await waitFor(() => Math.abs(pageElement(el, 1)!.clientWidth - viewport.clientWidth) < 60);
    await sleep(400);
    await tap(400);
    await tap(60);
    await waitFor(() => el.zoom === 1);
    // Single taps, apart in time, do nothing.
    await sleep(400);
    await tap(400);
    await tap(500);
    await sleep(200);
    expect(el.zoom).to.equal(1);
  });

  it('one finger scrolls natively', async () => {
    const el = await readyViewer();
    const viewport = el.shadowRoot!.querySelector<HTMLElement>('[part~="viewport"]')!;
    const box = viewport.getBoundingClientRect();
    const x = box.left + box.width / 2;
    await touch('touchStart', [{ x, y: box.top + 400 }]);
    for (let y = 380; y >= 100; y -= 20) await touch('touchMove', [{ x, y: box.top + y }]);
    await touch('touchEnd', []);
    await waitFor(() => viewport.scrollTop > 150, 3_000, () => `scrollTop ${viewport.scrollTop}`);
    expect(el.zoom).to.equal(1);
  });
});
