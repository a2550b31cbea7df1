// The element follows its own size: shown after being hidden, sized after being zero, resized
// while loading or while drawn. Fit zooms are re-applied, the reader keeps their place, and a
// burst of resizes redraws once.
import { expect } from '@open-wc/testing';
import type { SecureViewer } from '../../src/index.ts';
import { contentUrl, createScenario, mintToken } from '../helpers/backend.ts';
import { mountHostPage, unmountHostPages, viewportOf } from '../helpers/host-page.ts';
import { pageElement, renderedCanvas, sleep, waitFor, waitForState } from '../helpers/viewer.ts';

async function load(viewer: SecureViewer, document = 'sample', faults = {}) {
  const id = await createScenario(document, faults);
  viewer.token = await mintToken(id);
  viewer.src = contentUrl(id);
  return id;
}

/** Width of page `n`'s box as a share of the viewport's width. */
function pageWidthShare(viewer: SecureViewer, n: number): number {
  return pageElement(viewer, n)!.getBoundingClientRect().width / viewportOf(viewer).clientWidth;
}

/** Counts pages starting to draw (pdf.js clears `data-rendered` when it starts a page). */
function countRenderStarts(viewer: SecureViewer): { readonly count: number; stop(): void } {
  let count = 0;
  const observer = new MutationObserver((records) => {
    for (const record of records) {
      if (record.oldValue === 'true' && !(record.target as HTMLElement).hasAttribute('data-rendered')) count++;
    }
  });
  observer.observe(viewer.shadowRoot!, { subtree: true, attributes: true, attributeFilter: ['data-rendered'], attributeOldValue: true });
  return {
    get count() {
      return count;
    },
    stop: () => observer.disconnect(),
  };
}

describe('visibility and size', () => {
  afterEach(unmountHostPages);

  it('a viewer loaded inside a closed tab (display: none) draws page 1 when the tab opens', async () => {
    const { root, viewer } = mountHostPage('<div class="tab" style="display: none"><secure-viewer style="height: 500px"></secure-viewer></div>');
    await load(viewer);
    await waitForState(viewer, ['ready']);
    await sleep(300);
    root.querySelector<HTMLElement>('.tab')!.style.display = 'block';
    await renderedCanvas(viewer, 1, 8_000);
    expect(pageWidthShare(viewer, 1)).to.be.greaterThan(0.3);
  });

  it('a viewer in a <dialog> that is not open yet draws when the dialog opens', async () => {
    const { root, viewer } = mountHostPage('<dialog><secure-viewer style="height: 400px; width: 500px"></secure-viewer></dialog>');
    await load(viewer);
    await waitForState(viewer, ['ready']);
    await sleep(300);
    root.querySelector('dialog')!.showModal();
    await renderedCanvas(viewer, 1, 8_000);
    root.querySelector('dialog')!.close();
  });

  it('a viewer of zero size draws once it is given one', async () => {
    const { viewer } = mountHostPage('<secure-viewer style="height: 0; width: 0"></secure-viewer>');
    await load(viewer);
    await waitForState(viewer, ['ready']);
    await sleep(300);
    viewer.style.cssText = 'height: 500px; width: 600px';
    await renderedCanvas(viewer, 1, 8_000);
    expect(pageWidthShare(viewer, 1)).to.be.greaterThan(0.5);
  });

  it('re-fits page-width when the element shrinks, and keeps the reader on their page', async () => {
    const { viewer } = mountHostPage('<secure-viewer zoom="page-width" style="height: 600px; width: 900px"></secure-viewer>');
    await load(viewer, 'long');
    await waitForState(viewer, ['ready']);
    viewer.goToPage(40);
    await renderedCanvas(viewer, 40);
    const before = pageWidthShare(viewer, 40);
    expect(before).to.be.within(0.85, 1);
    viewer.style.width = '450px';
    await waitFor(() => Math.abs(pageWidthShare(viewer, 40) - before) < 0.05 && pageElement(viewer, 40)!.getBoundingClientRect().width < 450);
    await renderedCanvas(viewer, 40);
    expect(viewer.page).to.equal(40);
    expect(viewer.zoom).to.equal('page-width');
  });

  it('keeps a numeric zoom when resized', async () => {
    const { viewer } = mountHostPage('<secure-viewer zoom="1" style="height: 600px; width: 900px"></secure-viewer>');
    await load(viewer);
    await waitForState(viewer, ['ready']);
    await renderedCanvas(viewer, 1);
    const width = pageElement(viewer, 1)!.getBoundingClientRect().width;
    viewer.style.width = '500px';
    await sleep(600);
    expect(pageElement(viewer, 1)!.getBoundingClientRect().width).to.be.closeTo(width, 1);
    expect(viewer.zoom).to.equal(1);
  });

  it('fits the size it has when loading ends, after a resize during loading', async () => {
    const { viewer } = mountHostPage('<secure-viewer zoom="page-width" style="height: 600px; width: 900px"></secure-viewer>');
    await load(viewer, 'sample', { latency: 300 });
    await sleep(100);
    viewer.style.width = '420px';
    await waitForState(viewer, ['ready']);
    await renderedCanvas(viewer, 1);
    await waitFor(() => pageElement(viewer, 1)!.getBoundingClientRect().width < 420);
    expect(pageWidthShare(viewer, 1)).to.be.greaterThan(0.85);
  });

  it('redraws once after a burst of resizes, not once per resize', async () => {
    const { viewer } = mountHostPage('<secure-viewer zoom="page-width" style="height: 500px; width: 800px"></secure-viewer>');
    await load(viewer);
    await waitForState(viewer, ['ready']);
    await renderedCanvas(viewer, 1);
    await sleep(300);
    const renders = countRenderStarts(viewer);
    for (let width = 790; width >= 600; width -= 10) {
      viewer.style.width = `${width}px`;
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
    await sleep(800);
    await renderedCanvas(viewer, 1);
    renders.stop();
    // Page 1 and the page or two under it are drawn again once; twenty resizes never twenty times.
    expect(renders.count).to.be.within(1, 6);
    expect(pageWidthShare(viewer, 1)).to.be.greaterThan(0.85);
  });
});
