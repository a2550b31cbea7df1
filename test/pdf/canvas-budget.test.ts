import { expect } from '@open-wc/testing';
import type { SecureViewer } from '../../src/index.ts';
import { canvasBudget, isWebKit, LIVE_PAGE_CANVASES } from '../../src/pdf/canvas-budget.ts';
import { contentUrl, createScenario, mintToken } from '../helpers/backend.ts';
import { engine } from '../helpers/engine.ts';
import { inkIn, openViewer, pageElement, waitFor, waitForState } from '../helpers/viewer.ts';

const SAFARI_MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.5 Safari/605.1.15';
const CHROME_IOS = 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/138.0.7204.156 Mobile/15E148 Safari/604.1';
const FIREFOX_IOS = 'Mozilla/5.0 (iPad; CPU OS 18_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/141.0 Mobile/15E148 Safari/605.1.15';
const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36';
const EDGE = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36 Edg/156.0.0.0';
const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:153.0) Gecko/20100101 Firefox/153.0';

/** Pixels of every page canvas pdf.js keeps drawn. */
function livePixels(el: SecureViewer): number {
  return [...el.shadowRoot!.querySelectorAll<HTMLCanvasElement>('.page canvas')].reduce((sum, c) => sum + c.width * c.height, 0);
}

describe('canvas budget', () => {
  it('knows WebKit by its user agent, every browser on iOS included', () => {
    for (const ua of [SAFARI_MAC, CHROME_IOS, FIREFOX_IOS]) expect(isWebKit(ua), ua).to.equal(true);
    for (const ua of [CHROME, EDGE, FIREFOX]) expect(isWebKit(ua), ua).to.equal(false);
    // And the engine running this test is the one its user agent says.
    expect(isWebKit(navigator.userAgent)).to.equal(engine === 'webkit');
  });

  it("keeps WebKit's page canvases under its limits: 16.7 Mpx each, 256 MiB together", () => {
    const webkit = canvasBudget(SAFARI_MAC);
    expect(webkit.maxCanvasPixels).to.be.at.most(2 ** 24);
    expect(webkit.totalPixels * 4).to.be.at.most(256 * 2 ** 20);
    expect(webkit.totalPixels).to.equal(webkit.maxCanvasPixels * LIVE_PAGE_CANVASES);
    expect(canvasBudget(CHROME).maxCanvasPixels).to.equal(2 ** 24);
    expect(canvasBudget(FIREFOX).maxCanvasPixels).to.equal(2 ** 24);
  });

  it('at 400 % every page visited is drawn, each canvas and all of them within the budget', async function () {
    this.timeout(120_000);
    const budget = canvasBudget(navigator.userAgent);
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
      expect(canvas.width * canvas.height, `page ${page}: one canvas`).to.be.at.most(budget.maxCanvasPixels);
      // The page's top, where its heading or the running title is: ink, not a blank canvas.
      expect(inkIn(canvas, 0, 0.25), `page ${page}: ink`).to.be.greaterThan(0.001);
      expect(livePixels(el), `after page ${page}: all canvases`).to.be.at.most(budget.totalPixels);
    }
  });
});
