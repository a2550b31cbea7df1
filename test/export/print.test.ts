import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { SecureViewer } from '../../src/index.ts';
import { contentUrl, createScenario, mintToken } from '../helpers/backend.ts';
import { rendererMemory } from '../helpers/devtools.ts';
import { openViewer, renderedCanvas, sleep, waitFor, waitForState } from '../helpers/viewer.ts';

/** What the renderer's allocator holds per byte of a JPEG image blob, with its bookkeeping. */
const IMAGE_ALLOCATION_OVERHEAD = 1.25;

/** One US-letter page at print resolution (150 dpi), RGBA: what one page of canvas costs. */
const ONE_PAGE_CANVAS_BYTES = Math.floor((612 * 150) / 72) * Math.floor((792 * 150) / 72) * 4;

async function printableViewer(document: string): Promise<SecureViewer> {
  const id = await createScenario(document);
  const el = await openViewer();
  el.watermark = 'PRINTED {sub}';
  el.token = await mintToken(id, { permissions: ['read', 'print'], sub: 'alice@example.com' });
  el.src = contentUrl(id);
  await waitForState(el, ['ready']);
  await renderedCanvas(el, 1);
  return el;
}

function printButton(el: SecureViewer): HTMLButtonElement {
  return el.shadowRoot!.querySelector<HTMLButtonElement>('[part~="print-button"]')!;
}

/** The percentage the print button shows while a print is being prepared, or null. */
function shownProgress(el: SecureViewer): number | null {
  const text = printButton(el)?.querySelector('.print-progress')?.textContent;
  return text ? Number.parseInt(text, 10) : null;
}

/**
 * Records what printing produces: the images handed to the print container (by watching blob
 * URLs being made) and whether the print dialog was asked for, with `window.print` replaced.
 */
function watchPrinting() {
  const images: number[] = [];
  let printed: HTMLImageElement[] | null = null;
  const createObjectURL = URL.createObjectURL;
  const print = window.print;
  URL.createObjectURL = (object: Blob | MediaSource) => {
    if (object instanceof Blob && object.type.startsWith('image/')) images.push(object.size);
    return createObjectURL.call(URL, object);
  };
  window.print = () => {
    printed = [...document.querySelectorAll<HTMLImageElement>('[data-secure-viewer-print] img')];
  };
  return {
    images,
    printed: () => printed,
    restore() {
      URL.createObjectURL = createObjectURL;
      window.print = print;
    },
  };
}

function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

describe('print', () => {
  it('prints the 1000-page sample one page at a time, with progress, within one page of canvas beyond what its images hold', async function () {
    this.timeout(300_000);
    const el = await printableViewer('pages-1000');
    const watch = watchPrinting();
    const seen = new Set<number>();
    let sampling = true;
    try {
      collectGarbage();
      await sleep(500);
      const baseline = await rendererMemory();
      // Each sample with the number of page images made by then. Printing has a start-up cost that
      // does not grow with the document and differs by machine, fonts and browser build (pdf.js's
      // worker and fonts warming up, the JPEG encoder, the allocator's pools): about 45 MiB by the
      // 200th page here, and a whole print grew by 73 to 152 MiB from run to run. What must not happen is growth with the document's length beyond its
      // images (a canvas or a decoded page kept per page), so the growth is measured from the
      // sample at a fifth of the pages to the peak after it, against the images made in between
      // plus one page of canvas.
      const samples: Array<{ images: number; bytes: number }> = [];
      const sampler = (async () => {
        while (sampling) {
          const images = watch.images.length;
          // What is held, not what awaits collection: V8 collects when it likes, later on a
          // busy machine, and its garbage would count as growth.
          collectGarbage();
          samples.push({ images, bytes: await rendererMemory() });
          await sleep(100);
        }
      })();
      const done = el.print();
      await waitFor(() => shownProgress(el) !== null, 10_000);
      expect(printButton(el).disabled, 'the button stays pressable to cancel').to.equal(false);
      expect(printButton(el).getAttribute('aria-label')).to.match(/Preparing to print, \d+ %/);
      while (watch.printed() === null) {
        const percent = shownProgress(el);
        if (percent !== null) seen.add(percent);
        await sleep(50);
      }
      await done;
      sampling = false;
      await sampler;
      const printed = watch.printed()!;
      expect(printed).to.have.length(1000);
      expect(watch.images).to.have.length(1000);
      // Seen moving through the whole run, not only at its ends.
      expect([...seen].filter((p) => p > 0 && p < 100).length, `progress seen: ${[...seen].join(',')}`).to.be.greaterThan(10);
      expect(Math.min(...seen)).to.be.lessThan(20);
      expect(Math.max(...seen)).to.be.greaterThan(80);
      // Back to a plain print button, nothing left in the host page.
      await waitFor(() => shownProgress(el) === null && printButton(el).getAttribute('aria-label') === 'Print');
      expect(document.querySelector('[data-secure-viewer-print]')).to.equal(null);
      const bytesOf = (from: number, to: number) => watch.images.slice(from, to).reduce((sum, size) => sum + size, 0);
      const imageBytes = bytesOf(0, watch.images.length);
      const mark = samples.findIndex((sample) => sample.images >= watch.images.length / 5);
      expect(mark, 'sampled at a fifth of the pages').to.be.greaterThan(-1);
      const later = samples.slice(mark + 1);
      expect(later.length, 'samples after the mark').to.be.greaterThan(20);
      const reference = samples[mark]!;
      // Memory held, not a collection's timing: each sample is taken as the median of the five
      // around it (half a second), so garbage V8 has not yet collected on a busy machine does not
      // count as growth, while anything kept per page (which lasts) still does.
      const held = (index: number) => {
        const window = samples.slice(Math.max(0, index - 2), index + 3).map((sample) => sample.bytes).sort((a, b) => a - b);
        return window[Math.floor(window.length / 2)]!;
      };
      const peak = Math.max(...later.map((_, i) => held(mark + 1 + i)));
      const growth = peak - held(mark);
      const madeSince = bytesOf(reference.images, watch.images.length);
      const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
      console.log(
        `print of 1000 pages: renderer grew ${mib(Math.max(...samples.map((s) => s.bytes)) - baseline)} MiB at peak ` +
          `(baseline ${mib(baseline)} MiB, ${mib(reference.bytes - baseline)} MiB by page ${reference.images}, then ` +
          `${mib(growth)} MiB while ${mib(madeSince)} MiB of images were made), images ${mib(imageBytes)} MiB, ` +
          `one page of canvas ${mib(ONE_PAGE_CANVAS_BYTES)} MiB`,
      );
      // Each image is a blob in the renderer's own allocator, which costs more than its bytes: 1.19
      // to 1.23 times them in runs on one machine, after full collections. A canvas or a decoded
      // page kept per page would cost ten times this bound and more.
      expect(growth, `renderer grew ${mib(growth)} MiB from page ${reference.images} on, images made since ${mib(madeSince)} MiB`).to.be.lessThan(
        madeSince * IMAGE_ALLOCATION_OVERHEAD + ONE_PAGE_CANVAS_BYTES,
      );
    } finally {
      sampling = false;
      watch.restore();
    }
  });

  it('cancels with a second press of the print button, and with Escape', async function () {
    this.timeout(120_000);
    const el = await printableViewer('pages-1000');
    const watch = watchPrinting();
    try {
      for (const cancel of ['button', 'escape'] as const) {
        const before = watch.images.length;
        const done = el.print();
        await waitFor(() => (shownProgress(el) ?? 0) >= 1 && watch.images.length - before >= 5, 30_000);
        if (cancel === 'button') {
          printButton(el).click();
        } else {
          printButton(el).focus();
          await sendKeys({ press: 'Escape' });
        }
        await done;
        await waitFor(() => shownProgress(el) === null, 5_000, () => `${cancel}: still preparing`);
        expect(printButton(el).getAttribute('aria-label'), cancel).to.equal('Print');
        expect(document.querySelector('[data-secure-viewer-print]'), cancel).to.equal(null);
        // No more pages are prepared once cancelled.
        const made = watch.images.length;
        await sleep(600);
        expect(watch.images.length, `${cancel}: pages made after cancelling`).to.equal(made);
        expect(made - before, cancel).to.be.lessThan(1000);
      }
      expect(watch.printed(), 'the print dialog never opened').to.equal(null);
    } finally {
      watch.restore();
    }
  });
});
