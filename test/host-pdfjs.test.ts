import { expect } from '@open-wc/testing';
import { contentUrl, createScenario, mintToken } from './helpers/backend.ts';
import { openViewer, pixelAt, renderedCanvas, waitForState } from './helpers/viewer.ts';

// In a file of its own: the element loads pdf.js once per page, and this is about that first load.
describe('a host page with its own pdf.js', () => {
  it('gets its globalThis.pdfjsLib back once the element has loaded pdf.js', async () => {
    const host = { version: 'the host page’s own pdf.js' };
    (globalThis as { pdfjsLib?: unknown }).pdfjsLib = host;
    try {
      const id = await createScenario('sample');
      const el = await openViewer({ token: await mintToken(id), src: contentUrl(id) });
      await waitForState(el, ['ready', 'error'], 30_000);
      expect(el.error).to.equal(null);
      // The element's viewer components bound to the element's pdf.js and drew the page.
      const canvas = await renderedCanvas(el, 1, 30_000);
      const samples = [0.2, 0.4, 0.6].map((y) => pixelAt(canvas, 0.5, y).slice(0, 3).join());
      expect(samples.some((rgb) => rgb !== '255,255,255')).to.equal(true);
      expect((globalThis as { pdfjsLib?: unknown }).pdfjsLib === host, 'the host’s pdfjsLib is back').to.equal(true);
    } finally {
      delete (globalThis as { pdfjsLib?: unknown }).pdfjsLib;
    }
  });
});
