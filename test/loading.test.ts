import { expect, oneEvent } from '@open-wc/testing';
import { contentRequests, contentUrl, createScenario, mintToken, requestLog, sampleDocuments } from './helpers/backend.ts';
import { liveCanvases, openViewer, pixelAt, renderedCanvas, sleep, waitFor, waitForState } from './helpers/viewer.ts';

/** `bytes=a-b` → [a, b]. */
function parseRange(header: string | null): [number, number] {
  const match = /^bytes=(\d+)-(\d+)$/.exec(header ?? '');
  if (!match) throw new Error(`unexpected range ${header}`);
  return [Number(match[1]), Number(match[2])];
}

function jtiOf(token: string): string {
  const payload = token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/');
  return (JSON.parse(atob(payload)) as { jti: string }).jti;
}

describe('loading a protected document', () => {
  it('renders every page of a multi-page PDF from a token-protected URL', async () => {
    const id = await createScenario('sample');
    const token = await mintToken(id);
    const el = await openViewer();
    const loaded = oneEvent(el, 'sv-load');
    el.token = token;
    el.src = contentUrl(id);
    const { detail } = await loaded;
    expect(detail).to.deep.equal({ numPages: 3 });
    expect(el.state).to.equal('ready');
    expect(el.getAttribute('state')).to.equal('ready');
    expect(el.numPages).to.equal(3);

    // Page 1 is red inside its rectangle and white below it; pages 2 and 3 are green and blue.
    const first = await renderedCanvas(el, 1);
    expect(pixelAt(first, 0.5, 0.3)).to.deep.equal([255, 0, 0, 255]);
    expect(pixelAt(first, 0.5, 0.9).slice(0, 3)).to.deep.equal([255, 255, 255]);

    const changed = oneEvent(el, 'sv-page-change');
    el.goToPage(3);
    expect((await changed).detail).to.deep.equal({ page: 3, numPages: 3 });
    const third = await renderedCanvas(el, 3);
    expect(pixelAt(third, 0.5, 0.3)).to.deep.equal([0, 0, 255, 255]);
    el.page = 2;
    const second = await renderedCanvas(el, 2);
    expect(pixelAt(second, 0.5, 0.3)).to.deep.equal([0, 255, 0, 255]);
  });

  it('sends the token only as a bearer header, never in a URL', async () => {
    const id = await createScenario('sample');
    const token = await mintToken(id);
    const el = await openViewer({ token, src: contentUrl(id) });
    await waitForState(el, ['ready']);
    await renderedCanvas(el, 1);

    const requests = contentRequests(await requestLog(id));
    expect(requests.length).to.be.greaterThan(0);
    const segments = token.split('.');
    for (const request of requests) {
      expect(request.auth, `${request.method} ${request.range}`).to.equal('bearer');
      expect(request.jti).to.equal(jtiOf(token));
      for (const part of [token, ...segments]) {
        expect(request.path).not.to.include(part);
        expect(request.query).not.to.include(part);
      }
    }
    // The first request asks for a range, never the whole file.
    expect(requests[0]!.range).to.match(/^bytes=0-\d+$/);
    for (const entry of performance.getEntriesByType('resource')) {
      for (const part of segments) expect(entry.name).not.to.include(part);
    }
    expect(el.getAttribute('token')).to.equal(null);
    expect(el.outerHTML).not.to.include(segments[2]!);
  });

  it('reads a server-rendered token attribute once and removes it from the DOM', async () => {
    const id = await createScenario('sample');
    const token = await mintToken(id);
    const host = document.createElement('div');
    host.innerHTML = `<secure-viewer style="height:400px" src="${contentUrl(id)}" token="${token}"></secure-viewer>`;
    document.body.append(host);
    try {
      const el = host.querySelector('secure-viewer')!;
      expect(el.hasAttribute('token')).to.equal(false);
      expect(host.innerHTML).not.to.include(token.split('.')[2]!);
      await waitForState(el, ['ready']);
      expect(el.token).to.equal(token);
    } finally {
      host.remove();
    }
  });

  it('draws the first page of a 20 MB document long before the whole file has arrived', async () => {
    const docs = await sampleDocuments();
    const large = docs.find((d) => d.id === 'large')!;
    expect(large.size).to.be.greaterThan(20 * 1024 * 1024);
    const id = await createScenario('large');
    const el = await openViewer({ token: await mintToken(id), src: contentUrl(id) });
    const progress: number[] = [];
    el.addEventListener('sv-progress', (e) => progress.push(e.detail.loaded));
    await waitForState(el, ['ready'], 30_000);
    const canvas = await renderedCanvas(el, 1, 30_000);
    const { bytes } = await requestLog(id);
    expect(bytes).to.be.lessThan(large.size / 4);
    // The page shows image noise, not a blank canvas.
    const samples = [0.3, 0.4, 0.5, 0.6].map((y) => pixelAt(canvas, 0.5, y).slice(0, 3).join());
    expect(new Set(samples).size).to.be.greaterThan(1);
    expect(progress.length).to.be.greaterThan(0);
  });

  it('bytes arriving in many pieces redraw the loading indicator only when its percent changes', async () => {
    const id = await createScenario('long', { bandwidth: 1_000_000 });
    const el = await openViewer();
    let renders = 0;
    const render = (el as unknown as { render(): unknown }).render;
    (el as unknown as { render(): unknown }).render = function (this: unknown) {
      renders++;
      return render.call(this);
    };
    const percents: number[] = [];
    el.addEventListener('sv-progress', (e) => percents.push(Math.round((e.detail.loaded / e.detail.total) * 100)));
    el.token = await mintToken(id);
    el.src = contentUrl(id);
    await waitForState(el, ['ready'], 30_000);
    // The events still come for every piece; the indicator is drawn once per new percent.
    const changes = percents.filter((percent, i) => percent !== percents[i - 1]).length;
    // Many more pieces than percents, so that drawing for each piece could not pass.
    expect(percents.length).to.be.greaterThan(2 * (changes + 6));
    expect(renders).to.be.at.most(changes + 6);
  });

  it('streams the front of a large document while pdf.js starts, and never asks for those bytes again', async () => {
    const id = await createScenario('large');
    const el = await openViewer({ token: await mintToken(id), src: contentUrl(id) });
    await renderedCanvas(el, 1, 30_000);
    const ranges = contentRequests(await requestLog(id)).map((r) => parseRange(r.range));
    expect(ranges[0]).to.deep.equal([0, 65_535]);
    const lead = ranges.filter(([begin]) => begin === 65_536);
    expect(lead).to.deep.equal([[65_536, 524_287]]);
    // Everything pdf.js needed from the front came through the stream, not as its own request.
    const overlapping = ranges.filter(([begin, end]) => begin !== 65_536 && begin <= 524_287 && end >= 65_536);
    expect(overlapping).to.deep.equal([]);
  });

  it('stops streaming the front on a slow link once pdf.js needs other parts of the file', async () => {
    // Every page object of this report sits beside an image, throughout the file: pdf.js asks
    // for ranges far from the front at once, and on a slow link those must not queue behind it.
    const id = await createScenario('long', { bandwidth: 250_000 });
    const el = await openViewer({ token: await mintToken(id), src: contentUrl(id) });
    await renderedCanvas(el, 1, 60_000);
    const requests = contentRequests(await requestLog(id));
    const lead = requests.find((r) => r.range === 'bytes=65536-524287');
    expect(lead, 'the front was streamed').to.not.equal(undefined);
    expect(lead!.bytes).to.be.lessThan(524_288 - 65_536 - 131_072);
    expect(requests.some((r) => parseRange(r.range)[0] >= 524_288 && r.range !== lead!.range)).to.equal(true);
  });

  it('opens the document when the streamed front breaks off half-way', async () => {
    // Every response is cut after 200 kB: the front stream (448 KiB) breaks off, and what it did
    // not bring is fetched on request like anything else.
    const id = await createScenario('large', { resetAfterBytes: 200_000 });
    const el = await openViewer({ token: await mintToken(id), src: contentUrl(id) });
    const canvas = await renderedCanvas(el, 1, 30_000);
    const samples = [0.3, 0.4, 0.5, 0.6].map((y) => pixelAt(canvas, 0.5, y).slice(0, 3).join());
    expect(new Set(samples).size).to.be.greaterThan(1);
    const requests = contentRequests(await requestLog(id));
    const lead = requests.find((r) => r.range === 'bytes=65536-524287');
    expect(lead?.bytes).to.be.lessThan(524_288 - 65_536);
    expect(el.error).to.equal(null);
  });

  it('keeps the number of drawn canvases bounded while jumping through 1000 pages', async () => {
    const id = await createScenario('pages-1000');
    const el = await openViewer({ token: await mintToken(id), src: contentUrl(id) });
    await waitForState(el, ['ready'], 20_000);
    expect(el.numPages).to.equal(1000);
    let most = 0;
    for (const page of [1, 150, 300, 450, 600, 750, 900, 1000, 500, 2]) {
      el.goToPage(page);
      await renderedCanvas(el, page, 20_000);
      most = Math.max(most, liveCanvases(el));
    }
    expect(most).to.be.at.most(12);
    expect(el.page).to.equal(2);
  });

  it('runs two viewers on one page, each with its own token', async () => {
    const [a, b] = [await createScenario('sample'), await createScenario('sample')];
    const [tokenA, tokenB] = [await mintToken(a), await mintToken(b)];
    const first = await openViewer({ token: tokenA, src: contentUrl(a), style: 'height:300px' });
    const second = await openViewer({ token: tokenB, src: contentUrl(b), style: 'height:300px' });
    await Promise.all([waitForState(first, ['ready']), waitForState(second, ['ready'])]);
    const logA = contentRequests(await requestLog(a));
    const logB = contentRequests(await requestLog(b));
    expect(logA.length).to.be.greaterThan(0);
    expect(logB.length).to.be.greaterThan(0);
    expect(new Set(logA.map((r) => r.jti))).to.deep.equal(new Set([jtiOf(tokenA)]));
    expect(new Set(logB.map((r) => r.jti))).to.deep.equal(new Set([jtiOf(tokenB)]));
  });

  it('stays idle and makes no request without src', async () => {
    const before = performance.getEntriesByType('resource').length;
    const el = await openViewer({ token: 'opaque-token-value' });
    await sleep(300);
    expect(el.state).to.equal('idle');
    expect(el.getAttribute('state')).to.equal('idle');
    const after = performance.getEntriesByType('resource').slice(before);
    expect(after.filter((entry) => entry.name.includes('/api/documents/'))).to.have.length(0);
  });

  it('opens links in a new tab with noopener and never makes a javascript: link', async () => {
    const id = await createScenario('sample');
    const el = await openViewer({ token: await mintToken(id), src: contentUrl(id) });
    await waitForState(el, ['ready']);
    await renderedCanvas(el, 1);
    const links = await waitFor(() => {
      const found = [...el.shadowRoot!.querySelectorAll<HTMLAnchorElement>('.page[data-page-number="1"] .annotationLayer a')];
      return found.length > 0 ? found : null;
    });
    const external = links.find((a) => a.href.startsWith('https://example.com/docs'));
    expect(external, 'the https link').to.exist;
    expect(external!.target).to.equal('_blank');
    expect(external!.rel.split(' ')).to.include.members(['noopener', 'noreferrer']);
    for (const link of links) expect(link.getAttribute('href') ?? '').not.to.match(/^\s*javascript:/i);
  });

  it('opens at the page given before the document loaded', async () => {
    const id = await createScenario('large');
    const el = await openViewer();
    el.page = 12;
    el.token = await mintToken(id);
    el.src = contentUrl(id);
    await waitForState(el, ['ready']);
    await renderedCanvas(el, 12);
    expect(el.page).to.equal(12);
    const top = el.shadowRoot!.querySelector<HTMLElement>('.page[data-page-number="12"]')!.offsetTop;
    const viewport = el.shadowRoot!.querySelector<HTMLElement>('[part="viewport"]')!;
    expect(Math.abs(viewport.scrollTop - top)).to.be.lessThan(40);
  });

  it('applies zoom keywords and numbers', async () => {
    const id = await createScenario('sample');
    const el = await openViewer({ token: await mintToken(id), src: contentUrl(id) });
    el.zoom = 1;
    await waitForState(el, ['ready']);
    const canvas = await renderedCanvas(el, 1);
    const page = canvas.closest('.page') as HTMLElement;
    await waitFor(() => Math.abs(page.clientWidth - 612 * (96 / 72)) < 3);
    el.zoom = 0.5;
    await waitFor(() => Math.abs(page.clientWidth - 306 * (96 / 72)) < 3);
    el.zoom = 'page-width';
    await waitFor(() => page.clientWidth > 612);
  });
});
