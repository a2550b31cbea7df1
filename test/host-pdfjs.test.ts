import { expect } from '@open-wc/testing';
import { openSampleAndExpectDrawn } from './helpers/viewer.ts';

// In a file of its own: the element loads pdf.js once per page, and this is about that first load.
describe('a host page with its own pdf.js', () => {
  it('gets its globalThis.pdfjsLib back once the element has loaded pdf.js', async () => {
    const host = { version: 'the host page’s own pdf.js' };
    (globalThis as { pdfjsLib?: unknown }).pdfjsLib = host;
    try {
      // The element's viewer components bound to the element's pdf.js and drew the page.
      await openSampleAndExpectDrawn();
      expect((globalThis as { pdfjsLib?: unknown }).pdfjsLib === host, 'the host’s pdfjsLib is back').to.equal(true);
    } finally {
      delete (globalThis as { pdfjsLib?: unknown }).pdfjsLib;
    }
  });
});
