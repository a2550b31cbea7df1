// Hosts set properties and call methods in every order: before the element is defined, before
// it is on the page, while it loads, after an error. The last navigation wins when the document
// opens. Framework realities too: a double mount, a kept-alive element put back, two viewers.
import { expect } from '@open-wc/testing';
import { SecureViewer } from '../../src/index.ts';
import { contentRequests, contentUrl, createScenario, mintToken, requestLog } from '../helpers/backend.ts';
import { mountHostPage, unmountHostPages } from '../helpers/host-page.ts';
import { pageElement, renderedCanvas, sleep, waitFor, waitForState } from '../helpers/viewer.ts';

/** A slow link, so that calls land while the document is still loading. */
const SLOW = { latency: 250 };

async function scenario(document = 'long', faults = {}) {
  const id = await createScenario(document, faults);
  return { id, token: await mintToken(id), src: contentUrl(id) };
}

/** Page `n` is the current page, drawn, and its box is in view. */
async function expectOnPage(viewer: SecureViewer, n: number): Promise<void> {
  await renderedCanvas(viewer, n);
  await waitFor(() => viewer.page === n, 5_000, () => `page ${viewer.page}, wanted ${n}`);
  const box = pageElement(viewer, n)!.getBoundingClientRect();
  const view = viewer.shadowRoot!.querySelector('[part~="viewport"]')!.getBoundingClientRect();
  expect(box.bottom > view.top && box.top < view.bottom, `page ${n} is in view`).to.equal(true);
}

describe('call order', () => {
  afterEach(unmountHostPages);

  it('properties set before the element is defined apply once it upgrades', async () => {
    const { token, src } = await scenario();
    const { viewer } = mountHostPage('<secure-viewer-late style="display: block; height: 500px"></secure-viewer-late>');
    const late = document.querySelector('secure-viewer-late') as unknown as SecureViewer & Record<string, unknown>;
    late['token'] = token;
    late['page'] = 25;
    late['zoom'] = 'page-fit';
    late['src'] = src;
    void viewer;
    customElements.define('secure-viewer-late', class extends SecureViewer {});
    await waitForState(late, ['ready']);
    await expectOnPage(late, 25);
    expect(late.zoom).to.equal('page-fit');
  });

  it('goToPage() and reload() before connect apply when the element is added', async () => {
    const { token, src } = await scenario();
    const viewer = document.createElement('secure-viewer');
    viewer.style.height = '500px';
    viewer.token = token;
    viewer.src = src;
    viewer.goToPage(30);
    viewer.reload();
    const { root } = mountHostPage('<div></div>');
    root.append(viewer);
    await waitForState(viewer, ['ready']);
    await expectOnPage(viewer, 30);
  });

  it('goToPage() while the document loads is not lost', async () => {
    const { token, src } = await scenario('long', SLOW);
    const { viewer } = mountHostPage('<secure-viewer style="height: 500px"></secure-viewer>');
    viewer.token = token;
    viewer.src = src;
    await sleep(50);
    viewer.goToPage(40);
    expect(viewer.state).to.equal('loading');
    await waitForState(viewer, ['ready']);
    await expectOnPage(viewer, 40);
  });

  it('the page and zoom properties set while loading apply, the last call winning', async () => {
    const { token, src } = await scenario('long', SLOW);
    const { viewer } = mountHostPage('<secure-viewer style="height: 500px; width: 700px"></secure-viewer>');
    viewer.token = token;
    viewer.src = src;
    await sleep(50);
    viewer.goToPage(12);
    viewer.page = 45;
    viewer.zoom = 0.5;
    await waitForState(viewer, ['ready']);
    await expectOnPage(viewer, 45);
    expect(viewer.zoom).to.equal(0.5);
    const toolbarZoom = viewer.shadowRoot!.querySelector('.zoom-level')!.textContent!;
    expect(toolbarZoom).to.contain('50');
  });

  it('navigation set after an error applies to the retried load', async () => {
    const broken = await createScenario('long', { status: 503 });
    const { viewer } = mountHostPage('<secure-viewer style="height: 500px"></secure-viewer>');
    viewer.token = await mintToken(broken);
    viewer.src = contentUrl(broken);
    await waitForState(viewer, ['error']);
    viewer.goToPage(33);
    const { token, src } = await scenario();
    viewer.token = token;
    viewer.src = src;
    await waitForState(viewer, ['ready']);
    await expectOnPage(viewer, 33);
  });

  it('a double mount (added, removed and added again at once) loads once', async () => {
    const { id, token, src } = await scenario('sample');
    const viewer = document.createElement('secure-viewer');
    viewer.token = token;
    viewer.src = src;
    const { root } = mountHostPage('<div></div>');
    root.append(viewer);
    viewer.remove();
    root.append(viewer);
    await waitForState(viewer, ['ready']);
    await renderedCanvas(viewer, 1);
    const probes = contentRequests(await requestLog(id)).filter((r) => r.range === 'bytes=0-65535');
    expect(probes.length).to.equal(1);
  });

  it('an element kept alive and put back (or moved) reopens on the reader’s page', async () => {
    const { token, src } = await scenario();
    const { root, viewer } = mountHostPage('<div class="a"><secure-viewer style="height: 500px"></secure-viewer></div><div class="b"></div>');
    viewer.token = token;
    viewer.src = src;
    await waitForState(viewer, ['ready']);
    viewer.goToPage(20);
    await expectOnPage(viewer, 20);
    viewer.remove();
    await sleep(200);
    root.querySelector('.b')!.append(viewer);
    await waitForState(viewer, ['ready']);
    await expectOnPage(viewer, 20);
  });

  it('two viewers on one page load and navigate independently', async () => {
    const first = await scenario();
    const second = await scenario('sample');
    const { root } = mountHostPage('<secure-viewer class="one" style="height: 400px"></secure-viewer><secure-viewer class="two" style="height: 400px"></secure-viewer>');
    const one = root.querySelector<SecureViewer>('.one')!;
    const two = root.querySelector<SecureViewer>('.two')!;
    Object.assign(one, { token: first.token, src: first.src });
    Object.assign(two, { token: second.token, src: second.src });
    await Promise.all([waitForState(one, ['ready']), waitForState(two, ['ready'])]);
    one.goToPage(15);
    await expectOnPage(one, 15);
    await renderedCanvas(two, 1);
    expect(two.page).to.equal(1);
    expect(one.numPages).to.equal(500);
    expect(two.numPages).to.equal(3);
  });
});
