// Host pages style the element like any block. None of these rules may break the inner layout:
// page 1 is drawn, with ink, in every one of them.
import { expect } from '@open-wc/testing';
import { contentUrl, createScenario, mintToken } from '../helpers/backend.ts';
import { mountHostPage, unmountHostPages, viewportOf } from '../helpers/host-page.ts';
import { pageElement, pixelAt, renderedCanvas, waitFor, waitForState } from '../helpers/viewer.ts';

async function openIn(markup: string, css: string) {
  const { root, viewer } = mountHostPage(markup, css);
  const id = await createScenario('sample');
  viewer.token = await mintToken(id);
  viewer.src = contentUrl(id);
  await waitForState(viewer, ['ready', 'error']);
  expect(viewer.error).to.equal(null);
  const canvas = await renderedCanvas(viewer, 1, 10_000);
  // The sample's page 1 is a red rectangle on white.
  const ink = [0.3, 0.4, 0.5].map((y) => pixelAt(canvas, 0.5, y).slice(0, 3).join());
  expect(ink.some((rgb) => rgb !== '255,255,255'), 'ink on page 1').to.equal(true);
  return { root, viewer };
}

describe('host CSS', () => {
  afterEach(unmountHostPages);

  const layouts: Array<[string, string, string, number]> = [
    ['display: block with a height', '<secure-viewer></secure-viewer>', 'secure-viewer { display: block; height: 700px; }', 700],
    ['display: inline-block', '<secure-viewer></secure-viewer>', 'secure-viewer { display: inline-block; height: 500px; }', 500],
    ['a grid item', '<div class="grid"><secure-viewer></secure-viewer></div>', '.grid { display: grid; grid-template-rows: 640px; } secure-viewer { display: block; }', 640],
    ['a flex item (flex: 1)', '<div class="col"><header style="height: 40px"></header><secure-viewer></secure-viewer></div>', '.col { display: flex; flex-direction: column; height: 560px; } secure-viewer { flex: 1; display: block; min-height: 0; }', 520],
    ['display: flex on the element itself', '<secure-viewer></secure-viewer>', 'secure-viewer { display: flex; height: 450px; }', 450],
    ['height: 100% in a sized parent', '<div style="height: 480px"><secure-viewer></secure-viewer></div>', 'secure-viewer { display: block; height: 100%; }', 480],
    ['a min-height above the default', '<secure-viewer></secure-viewer>', 'secure-viewer { display: block; min-height: 800px; }', 800],
    ['height: auto with a smaller min-height (the default applies)', '<secure-viewer></secure-viewer>', 'secure-viewer { display: block; height: auto; min-height: 420px; }', 600],
  ];
  for (const [name, markup, css, height] of layouts) {
    it(`draws page 1 with ${name}`, async () => {
      const { viewer } = await openIn(markup, css);
      expect(viewer.getBoundingClientRect().height).to.be.closeTo(height, 1);
      expect(viewportOf(viewer).clientWidth, 'the viewport has a width').to.be.greaterThan(200);
    });
  }

  it('keeps the documented 600 px height and fills the width when the host sets nothing', async () => {
    const { viewer } = await openIn('<div style="width: 640px"><secure-viewer></secure-viewer></div>', '');
    expect(viewer.getBoundingClientRect().height).to.equal(600);
    expect(viewer.getBoundingClientRect().width).to.equal(640);
  });

  it('is unaffected by a host box-sizing reset and a 10 px root font size', async () => {
    const { viewer } = await openIn(
      '<secure-viewer style="height: 500px"></secure-viewer>',
      '*, *::before, *::after { box-sizing: content-box; } html { font-size: 10px; } secure-viewer { padding: 0; }',
    );
    const toolbar = viewer.shadowRoot!.querySelector<HTMLElement>('[part~="toolbar"]')!;
    expect(toolbar.getBoundingClientRect().height).to.be.greaterThan(30);
  });

  it('hides with the hidden attribute, also under a host [hidden] rule, and draws again when shown', async () => {
    const { viewer } = await openIn('<secure-viewer style="height: 500px"></secure-viewer>', '[hidden] { display: none !important; }');
    viewer.hidden = true;
    await waitFor(() => viewer.getBoundingClientRect().height === 0);
    viewer.hidden = false;
    await waitFor(() => viewer.getBoundingClientRect().height === 500);
    await renderedCanvas(viewer, 1);
  });

  it('draws and navigates in a right-to-left page', async () => {
    document.documentElement.setAttribute('dir', 'rtl');
    const { viewer } = await openIn('<secure-viewer style="height: 500px; width: 600px"></secure-viewer>', '');
    viewer.goToPage(3);
    await renderedCanvas(viewer, 3);
    await waitFor(() => viewer.page === 3);
    const page = pageElement(viewer, 3)!.getBoundingClientRect();
    const box = viewportOf(viewer).getBoundingClientRect();
    expect(page.right, 'page 3 is within the viewport horizontally').to.be.greaterThan(box.left);
    expect(page.left).to.be.lessThan(box.right);
  });

  it('lets the host style every page box through ::part(page)', async () => {
    const { viewer } = await openIn(
      '<secure-viewer style="height: 500px"></secure-viewer>',
      'secure-viewer::part(page) { outline: 3px solid rgb(0, 128, 0); }',
    );
    const pages = [1, 2, 3].map((n) => pageElement(viewer, n)!);
    for (const page of pages) expect(getComputedStyle(page).outlineColor).to.equal('rgb(0, 128, 0)');
  });
});
