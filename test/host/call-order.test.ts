// Hosts set properties and call methods in every order: before the element is defined, before
// it is on the page, while it loads, after an error. The last navigation wins when the document
// opens. Framework realities too: a double mount, a kept-alive element put back, two viewers.
import { expect } from '@open-wc/testing';
import { SecureViewer } from '../../src/index.ts';
import { backendUrl, contentRequests, contentUrl, createScenario, mintToken, requestLog } from '../helpers/backend.ts';
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

/** Types a password into the open dialog and submits it as a reader would. */
async function answerPasswordDialog(viewer: SecureViewer, password: string): Promise<void> {
  const input = await waitFor(() => {
    const dialog = viewer.shadowRoot!.querySelector<HTMLDialogElement>('[part="password-dialog"]');
    const field = viewer.shadowRoot!.querySelector<HTMLInputElement>('[part="password-input"]');
    return dialog?.open && field && !field.readOnly ? field : null;
  }, 10_000, () => `no open password dialog (state ${viewer.state})`);
  input.value = password;
  input.form!.requestSubmit();
}

/**
 * Opens a document whose tokens in use stop working after two requests, with `src` and `token`
 * set first; `setLate` gives the element a way to renew only once the load has started.
 */
async function openThenSetLate(setLate: (viewer: SecureViewer, id: string) => void) {
  const { id, token, src } = await scenario('long', { ...SLOW, unauthorizedAfter: 2 });
  const { viewer } = mountHostPage('<secure-viewer style="height: 500px"></secure-viewer>');
  viewer.token = token;
  viewer.src = src;
  await sleep(50);
  expect(viewer.state).to.equal('loading');
  setLate(viewer, id);
  return { id, viewer };
}

/** Pages far apart, so that ranges beyond the refused ones are needed. */
async function readFarPages(viewer: SecureViewer): Promise<void> {
  for (const page of [250, 500]) {
    viewer.goToPage(page);
    await expectOnPage(viewer, page);
  }
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

  it('a renewToken set after src and token renews after a 401', async () => {
    const reasons: string[] = [];
    const { viewer } = await openThenSetLate((el, id) => {
      el.renewToken = async ({ reason }) => {
        reasons.push(reason);
        return mintToken(id);
      };
    });
    await waitForState(viewer, ['ready']);
    await readFarPages(viewer);
    expect(reasons).to.deep.equal(['unauthorized']);
    expect(viewer.state).to.equal('ready');
  });

  it('a token-url set after src and token renews after a 401', async () => {
    const { id, viewer } = await openThenSetLate((el, doc) => {
      el.tokenUrl = `${backendUrl}/demo/session-token?doc=${doc}`;
    });
    await waitForState(viewer, ['ready']);
    await readFarPages(viewer);
    const refused = contentRequests(await requestLog(id)).filter((r) => r.status === 401);
    expect(refused.length).to.be.at.least(1);
    expect(viewer.state).to.equal('ready');
  });

  it('an exchangePassword set after src and token asks the reader after a 401', async () => {
    const passwords: string[] = [];
    const { viewer } = await openThenSetLate((el, id) => {
      el.exchangePassword = async (password) => {
        passwords.push(password);
        return mintToken(id);
      };
    });
    await answerPasswordDialog(viewer, 'reader-password');
    await waitForState(viewer, ['ready']);
    await readFarPages(viewer);
    expect(passwords).to.deep.equal(['reader-password']);
    expect(viewer.state).to.equal('ready');
  });

  it('a renewToken set after the token arrived renews it before it expires', async () => {
    const id = await createScenario('sample');
    const { viewer } = mountHostPage('<secure-viewer style="height: 500px"></secure-viewer>');
    viewer.token = await mintToken(id, { ttl: 4 });
    viewer.src = contentUrl(id);
    await waitForState(viewer, ['ready']);
    const reasons: string[] = [];
    viewer.renewToken = async ({ reason }) => {
      reasons.push(reason);
      return mintToken(id, { ttl: 60 });
    };
    await waitFor(() => reasons.length > 0, 6_000, () => 'no renewal before the token expired');
    expect(reasons).to.deep.equal(['expiring']);
    expect(viewer.state).to.equal('ready');
  });
});
