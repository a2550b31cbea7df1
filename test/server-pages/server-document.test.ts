import { expect, fixture, html } from '@open-wc/testing';
import { ViewerError } from '../../src/errors.ts';
import type { TokenAccess } from '../../src/net/token-access.ts';
import { openServerDocument, ServerFinder, type ServerDocument, type ServerFindResult } from '../../src/server-pages/server-document.ts';
import { ZOOM_SETTLE_MS } from '../../src/server-pages/server-page-view.ts';
import { backendUrl, createScenario, mintToken, requestLog, type LoggedRequest } from '../helpers/backend.ts';
import { sleep, waitFor } from '../helpers/viewer.ts';

// The server-rendered column on its own, against the reference backend: what it asks for, when,
// and what it draws.

function manifestUrl(id: string): string {
  return `${backendUrl}/api/documents/${id}/pages`;
}

function imageRequests(log: { requests: LoggedRequest[] }): LoggedRequest[] {
  return log.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/image'));
}

interface Opened {
  doc: ServerDocument;
  container: HTMLDivElement;
  errors: ViewerError[];
  pages: number[];
  abort: AbortController;
}

async function open(id: string, tokens: TokenAccess, zoom: number | 'auto' = 'auto'): Promise<Opened> {
  const host = await fixture<HTMLDivElement>(html`<div></div>`);
  const shadow = host.attachShadow({ mode: 'open' });
  const container = document.createElement('div');
  container.style.cssText = 'height: 600px; width: 700px; overflow: auto; position: relative';
  const viewer = document.createElement('div');
  container.append(viewer);
  shadow.append(container);
  const errors: ViewerError[] = [];
  const pages: number[] = [];
  const abort = new AbortController();
  const doc = await openServerDocument({
    url: manifestUrl(id),
    tokens,
    signal: abort.signal,
    container,
    viewer,
    shadowRoot: shadow,
    pageLabel: (page) => `Page ${page}`,
    view: () => ({ page: 1, zoom }),
    onPageChange: (page) => pages.push(page),
    onScaleChange: () => {},
    onError: (error) => errors.push(error),
  });
  return { doc, container, errors, pages, abort };
}

function fixedToken(token: string): TokenAccess {
  return { token: async () => token, renewAfterRejection: async () => Promise.reject(new ViewerError('unauthorized')) };
}

function drawnCanvas(container: HTMLElement, page: number): Promise<HTMLCanvasElement> {
  return waitFor(() => {
    const box = container.querySelector(`.page[data-page-number="${page}"]`);
    const canvas = box?.querySelector('canvas');
    return box?.getAttribute('data-rendered') === 'true' && canvas && canvas.width > 0 ? canvas : null;
  });
}

function shareOf(canvas: HTMLCanvasElement, top: number, bottom: number, test: (r: number, g: number, b: number) => boolean): number {
  const y = Math.floor(canvas.height * top);
  const data = canvas.getContext('2d')!.getImageData(0, y, canvas.width, Math.floor(canvas.height * (bottom - top))).data;
  let hits = 0;
  for (let i = 0; i < data.length; i += 4) if (test(data[i]!, data[i + 1]!, data[i + 2]!)) hits++;
  return hits / (data.length / 4);
}

describe('server-rendered column', () => {
  it('draws page 1 from the server with the watermark in its pixels, and asks for no more than it shows', async () => {
    const id = await createScenario('sample');
    const { doc, container, abort } = await open(id, fixedToken(await mintToken(id, { permissions: ['read'] })));
    expect(doc.manifest.pageCount).to.equal(3);
    const canvas = await drawnCanvas(container, 1);
    // The probe rectangle (red on page 1) and, below it, the page's white margin tinted by the watermark.
    expect(shareOf(canvas, 0.2, 0.4, (r, g, b) => r > 200 && g < 80 && b < 80)).to.be.greaterThan(0.5);
    expect(shareOf(canvas, 0.7, 0.95, (r, g, b) => r > g + 25 && r > b + 25 && g < 245)).to.be.greaterThan(0.005);
    await sleep(300);
    const images = imageRequests(await requestLog(id));
    // Page 1 in view at 700 px, page 2 one ahead; page 3 not.
    expect(images.map((r) => r.path).sort()).to.deep.equal([`/api/documents/${id}/pages/1/image`, `/api/documents/${id}/pages/2/image`]);
    expect(images.every((r) => r.auth === 'bearer' && !/token|jwt/i.test(r.query))).to.equal(true);
    abort.abort();
    expect(container.querySelectorAll('canvas').length).to.equal(0);
  });

  it('stretches while zooming and asks for one sharper image per page once the zoom settles', async () => {
    const id = await createScenario('sample');
    const { doc, container } = await open(id, fixedToken(await mintToken(id, { permissions: ['read'] })), 0.5);
    await drawnCanvas(container, 1);
    await sleep(300);
    const before = imageRequests(await requestLog(id)).length;
    const firstWidth = (await drawnCanvas(container, 1)).width;
    doc.pages.zoom = 0.6;
    doc.pages.zoom = 0.8;
    doc.pages.zoom = 1;
    // Mid-zoom: the same image, stretched; nothing asked for yet.
    await sleep(ZOOM_SETTLE_MS / 3);
    expect(imageRequests(await requestLog(id)).length).to.equal(before);
    expect((await drawnCanvas(container, 1)).width).to.equal(firstWidth);
    await waitFor(async () => (await drawnCanvas(container, 1)).width > firstWidth);
    await sleep(ZOOM_SETTLE_MS * 2);
    const after = imageRequests(await requestLog(id)).slice(before);
    const page1 = after.filter((r) => r.path.endsWith('/pages/1/image'));
    expect(page1.map((r) => r.query)).to.deep.equal([`scale=${devicePixelRatio === 1 ? '1.5' : '3'}`]);
  });

  it('moves to a page, reports it and draws it', async () => {
    const id = await createScenario('long');
    const { doc, container, pages } = await open(id, fixedToken(await mintToken(id, { permissions: ['read'] })));
    doc.pages.page = 250;
    expect(pages.at(-1)).to.equal(250);
    await drawnCanvas(container, 250);
    container.scrollTop += container.clientHeight * 3;
    await waitFor(() => (pages.at(-1)! > 250 ? true : null));
    expect(container.querySelectorAll('canvas').length).to.be.at.most(8);
  });

  it('renews once on a 401 and goes on', async () => {
    const id = await createScenario('sample');
    let renewals = 0;
    const fresh = await mintToken(id, { permissions: ['read'] });
    const tokens: TokenAccess = {
      token: async () => (renewals === 0 ? expired : fresh),
      renewAfterRejection: async () => {
        renewals++;
        return fresh;
      },
    };
    const expired = await mintToken(id, { permissions: ['read'], ttl: -10 });
    const { container } = await open(id, tokens);
    await drawnCanvas(container, 1);
    expect(renewals).to.equal(1);
    // Once every request sent has its answer.
    const requests = await waitFor(async () => {
      const gets = (await requestLog(id)).requests.filter((r) => r.method === 'GET');
      return gets.length >= 3 && gets.every((r) => r.status !== 0) ? gets : null;
    });
    const statuses = requests.map((r) => r.status);
    expect(statuses[0]).to.equal(401);
    expect(statuses.slice(1).every((s) => s === 200)).to.equal(true);
  });

  it('finds in the server\u2019s text with a copy token, and reads no text without one', async () => {
    for (const permissions of [['read', 'copy'], ['read']]) {
      const id = await createScenario('report');
      const opened = await open(id, fixedToken(await mintToken(id, { permissions })));
      const results: ServerFindResult[] = [];
      const finder = new ServerFinder({
        pages: opened.doc.pages,
        texts: opened.doc.texts,
        onResult: (result) => results.push(result),
        onError: (error) => opened.errors.push(error),
      });
      finder.find('quarter');
      const settled = await waitFor(() => results.find((r) => r.status !== 'pending'));
      const texts = (await requestLog(id)).requests.filter((r) => r.method === 'GET' && r.path.endsWith('/text'));
      if (permissions.includes('copy')) {
        expect(settled.status).to.equal('found');
        expect(settled.total).to.be.greaterThan(0);
        // Once a page: the text layers in view and find share what is read.
        expect(texts).to.have.length(opened.doc.manifest.pageCount);
        expect(new Set(texts.map((r) => r.path)).size).to.equal(texts.length);
        expect(opened.container.querySelectorAll('.sv-match.selected').length).to.be.greaterThan(0);
        finder.find('quarter', { again: true });
        expect(results.at(-1)!.current).to.equal(settled.total > 1 ? 2 : 1);
        finder.close();
        expect(opened.container.querySelectorAll('.sv-match').length).to.equal(0);
      } else {
        expect(opened.doc.manifest.urls.text).to.equal(null);
        expect(settled).to.deep.equal({ status: 'not-found', current: 0, total: 0 });
        expect(texts).to.have.length(0);
      }
      expect(opened.errors).to.deep.equal([]);
      opened.abort.abort();
    }
  });
});
