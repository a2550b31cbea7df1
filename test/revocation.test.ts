import { expect } from '@open-wc/testing';
import type { SecureViewer } from '../src/index.ts';
import { contentRequests, contentUrl, createScenario, mintToken, requestLog, revokeSession } from './helpers/backend.ts';
import { heapSearch } from './helpers/devtools.ts';
import { openViewer, renderedCanvas, sleep, waitFor, waitForState } from './helpers/viewer.ts';

// When the session ends on the server's word, the element keeps nothing of the document: no page,
// thumbnail or text layer in its shadow root, no find results, and no string of the document's
// text that the page's JavaScript can still reach.

/**
 * Texts of the `report` sample (a word from its risks page, one from its programmes page, a
 * heading that is also a bookmark), written reversed so this file's own source never holds them.
 */
const REPORT_TEXTS_REVERSED = ['gnigdeH', 'gnillib', 'spets txen dna sksiR'];

/** pdf.js's document, pages and views, and the page viewer and find built on them. */
const DOCUMENT_CLASSES = ['PDFDocumentProxy', 'PDFPageProxy', 'PDFPageView', 'TextLayerBuilder', 'PDFFindController', 'PageViewer'];

/** Where the element holds the document's bytes while it reads them in ranges. */
const BYTE_HOLDERS = ['DocumentClient', 'AuthorizedRangeTransport', 'RangePlanner', 'FrontRead', 'AheadReads', 'PDFDocumentProxy'];

/** Counts that are all zero. */
function none(names: string[]): Record<string, number> {
  return Object.fromEntries(names.map((name) => [name, 0]));
}

function part(el: SecureViewer, name: string): HTMLElement | null {
  return el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
}

/** Canvases in the shadow root that still hold pixels: pages, thumbnails. */
function drawnCanvases(el: SecureViewer): number {
  return [...el.shadowRoot!.querySelectorAll('canvas')].filter((canvas) => canvas.width > 0 && canvas.height > 0).length;
}

/** What the reader could still see or select of the document. */
function shownDocument(el: SecureViewer) {
  const root = el.shadowRoot!;
  return {
    pages: root.querySelectorAll('.page').length,
    textLayers: root.querySelectorAll('.textLayer').length,
    thumbnails: root.querySelectorAll('[part~="thumbnail"]').length,
    canvases: drawnCanvases(el),
    findBar: part(el, 'find-bar') !== null,
  };
}

const NOTHING_SHOWN = { pages: 0, textLayers: 0, thumbnails: 0, canvases: 0, findBar: false };

/** Opens find, searches `query` and waits for its matches to be counted. */
async function find(el: SecureViewer, query: string): Promise<void> {
  part(el, 'find-button')!.click();
  const input = await waitFor(() => part(el, 'find-input') as HTMLInputElement | null);
  input.value = query;
  input.dispatchEvent(new Event('input'));
  await waitFor(() => el.shadowRoot!.querySelector('.find-status')?.textContent?.includes('of'), 20_000);
}

describe('a session that ends', () => {
  it('a refused renewal drops pages, thumbnails, text layers, find results and the text in memory, and says why', async function () {
    this.timeout(120_000);
    const id = await createScenario('report');
    let refuse = () => {};
    const refused = new Promise<void>((resolve) => (refuse = resolve));
    let renewals = 0;
    const el = await openViewer();
    el.renewTimeout = 100_000;
    el.renewToken = async () => {
      renewals++;
      await refused;
      throw new Error('the host ended this session');
    };
    // Short-lived: renewal is asked for two seconds in, and held until the test refuses it.
    el.token = await mintToken(id, { ttl: 4, permissions: ['read', 'copy'] });
    el.src = contentUrl(id);
    await waitForState(el, ['ready']);
    await renderedCanvas(el, 1);
    await waitFor(() => el.shadowRoot!.querySelector('.textLayer span'));
    // The sidebar holds the outline (the document's headings) and a thumbnail per page.
    el.sidebarOpen = true;
    await waitFor(() => el.shadowRoot!.querySelectorAll('[part~="thumbnail"]').length === 6);
    await find(el, 'quarter');
    // The check sees the document while it is open.
    const open = await heapSearch({ reversedTexts: REPORT_TEXTS_REVERSED, classes: DOCUMENT_CLASSES });
    expect(open.texts).to.deep.equal([true, true, true]);
    expect(open.objects['PDFDocumentProxy']).to.be.greaterThan(0);
    expect(open.objects['TextLayerBuilder']).to.be.greaterThan(0);

    await waitFor(() => renewals === 1, 10_000);
    refuse();
    await waitForState(el, ['error']);
    await el.updateComplete;

    expect(el.error?.code).to.equal('renewal-failed');
    expect(part(el, 'error')?.textContent).to.include('could not be renewed');
    expect(shownDocument(el)).to.deep.equal(NOTHING_SHOWN);
    expect(el.shadowRoot!.textContent).not.to.include('quarter');
    expect(el.numPages).to.equal(0);
    const after = await heapSearch({ reversedTexts: REPORT_TEXTS_REVERSED, classes: DOCUMENT_CLASSES });
    expect(after.texts, 'the document text still reachable').to.deep.equal([false, false, false]);
    expect(after.objects).to.deep.equal(none(DOCUMENT_CLASSES));
  });

  it('a 401 that says the session was revoked clears the screen at once, without asking for a new token', async function () {
    this.timeout(60_000);
    const id = await createScenario('long');
    let renewals = 0;
    const el = await openViewer();
    el.renewToken = async () => {
      renewals++;
      return mintToken(id);
    };
    el.token = await mintToken(id, { permissions: ['read', 'copy'] });
    el.src = contentUrl(id);
    await waitForState(el, ['ready']);
    await renderedCanvas(el, 1);
    await waitFor(() => el.shadowRoot!.querySelector('.textLayer span'));
    el.sidebarOpen = true;
    await waitFor(() => [...el.shadowRoot!.querySelectorAll<HTMLCanvasElement>('[part~="thumbnail"] canvas')].some((c) => c.width > 0));

    const open = await heapSearch({ classes: BYTE_HOLDERS });
    expect(open.objects['DocumentClient']).to.be.greaterThan(0);
    expect(open.objects['AuthorizedRangeTransport']).to.be.greaterThan(0);

    await revokeSession(id);
    // A far page needs bytes the viewer does not have yet: the next request meets the revocation.
    el.goToPage(400);
    await waitForState(el, ['error']);
    await el.updateComplete;

    expect(el.error).to.deep.equal({ code: 'revoked', message: 'Your access to this document was revoked.', status: 401 });
    expect(part(el, 'error')?.textContent).to.include('was revoked');
    expect(shownDocument(el)).to.deep.equal(NOTHING_SHOWN);
    expect(renewals, 'a revoked session is not renewed').to.equal(0);
    // Requests that were on their way when the session ended let go once their abort has run through.
    let held = (await heapSearch({ classes: BYTE_HOLDERS })).objects;
    for (let attempt = 0; attempt < 3 && Object.values(held).some((count) => count > 0); attempt++) {
      await sleep(500);
      held = (await heapSearch({ classes: BYTE_HOLDERS })).objects;
    }
    expect(held, 'what held the bytes').to.deep.equal(none(BYTE_HOLDERS));
    const requests = contentRequests(await requestLog(id));
    const first401 = requests.findIndex((request) => request.status === 401);
    expect(first401).to.be.at.least(0);
    // Nothing asked again once the server said revoked (requests already on their way may be refused too).
    expect(requests.slice(first401).every((request) => request.status === 401)).to.equal(true);
  });

  it('a token revoked before the document opens ends the load as revoked, with one request and no renewal', async () => {
    const id = await createScenario('sample');
    const token = await mintToken(id);
    await revokeSession(id);
    let renewals = 0;
    const el = await openViewer();
    el.renewToken = async () => {
      renewals++;
      return mintToken(id);
    };
    el.token = token;
    el.src = contentUrl(id);
    await waitForState(el, ['error']);
    expect(el.error?.code).to.equal('revoked');
    expect(renewals).to.equal(0);
    expect(contentRequests(await requestLog(id)).map((request) => request.status)).to.deep.equal([401]);
  });
});
