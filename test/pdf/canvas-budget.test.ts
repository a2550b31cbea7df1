import { expect } from '@open-wc/testing';
import type { SecureViewer } from '../../src/index.ts';
import { isWebKit, LIVE_PAGE_CANVASES, maxCanvasPixels, WEBKIT_CANVAS_PIXELS } from '../../src/pdf/canvas-budget.ts';
import { contentUrl, createScenario, mintToken } from '../helpers/backend.ts';
import { engine } from '../helpers/engine.ts';
import { inkIn, openViewer, pageElement, waitFor, waitForState } from '../helpers/viewer.ts';

// navigator.vendor as each engine reports it: every WebKit build (Safari, Chrome and Firefox on
// iOS, WebKitGTK) says Apple; Chrome, Edge, Opera and headless Chromium say Google; Firefox nothing.
const APPLE = 'Apple Computer, Inc.';
const GOOGLE = 'Google Inc.';
const MOZILLA = '';

/** Pixels of every page canvas pdf.js keeps drawn. */
function livePixels(el: SecureViewer): number {
  return [...el.shadowRoot!.querySelectorAll<HTMLCanvasElement>('.page canvas')].reduce((sum, c) => sum + c.width * c.height, 0);
}

describe('canvas budget', () => {
  it('knows WebKit by its vendor, in the engine running this test too', () => {
    expect(isWebKit(APPLE)).to.equal(true);
    expect(isWebKit(GOOGLE)).to.equal(false);
    expect(isWebKit(MOZILLA)).to.equal(false);
    expect(isWebKit(navigator.vendor), navigator.vendor).to.equal(engine === 'webkit');
  });

  it("keeps WebKit's page canvases under its limits: 16.7 Mpx each, 256 MiB together", () => {
    expect(WEBKIT_CANVAS_PIXELS).to.equal(Math.floor((256 * 2 ** 20) / 4 / LIVE_PAGE_CANVASES));
    expect(maxCanvasPixels(APPLE)).to.equal(WEBKIT_CANVAS_PIXELS);
    expect(maxCanvasPixels(GOOGLE)).to.equal(2 ** 24);
    expect(maxCanvasPixels(MOZILLA)).to.equal(2 ** 24);
  });

  it('at 400 % every page visited is drawn, each canvas and all of them within the budget', async function () {
    this.timeout(120_000);
    const perCanvas = maxCanvasPixels(navigator.vendor);
    const id = await createScenario('report');
    const el = await openViewer({ style: 'height: 500px; width: 600px' });
    el.token = await mintToken(id);
    el.src = contentUrl(id);
    await waitForState(el, ['ready']);
    await waitFor(() => pageElement(el, 1)?.getAttribute('data-rendered') === 'true');
    el.zoom = 4;
    // A US-letter page at 400 %: 3264 CSS pixels wide.
    const atZoom = 612 * 4 * (96 / 72) - 1;
    for (const page of [1, 2, 3, 4, 5, 6]) {
      el.goToPage(page);
      const canvas = await waitFor(
        () => {
          const node = pageElement(el, page);
          const drawn = node?.querySelector('canvas');
          return node && node.getBoundingClientRect().width >= atZoom && node.getAttribute('data-rendered') === 'true' && drawn && drawn.width > 0 ? drawn : null;
        },
        30_000,
        () => `page ${page} not drawn at 400 %`,
      );
      expect(canvas.width * canvas.height, `page ${page}: one canvas`).to.be.at.most(perCanvas);
      // The page's top, where its heading or the running title is: ink, not a blank canvas.
      expect(inkIn(canvas, 0, 0.25), `page ${page}: ink`).to.be.greaterThan(0.001);
      expect(livePixels(el), `after page ${page}: all canvases`).to.be.at.most(perCanvas * LIVE_PAGE_CANVASES);
    }
  });
});
