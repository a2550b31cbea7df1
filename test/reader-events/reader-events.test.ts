// Reader events against the reference backend: fired on the element without any secret in them,
// and with `analytics-url` sent in batches with the document's token (a 401 renews once through
// the same session as the document's requests), and with keepalive when the page goes away.
import { expect } from '@open-wc/testing';
import type { SecureViewer } from '../../src/index.ts';
import { backendUrl, contentUrl, createScenario, mintToken, requestLog, revokeTokens, type LoggedRequest } from '../helpers/backend.ts';
import { openViewer, pageElement, renderedCanvas, sleep, waitFor, waitForState } from '../helpers/viewer.ts';

const READER_EVENTS = ['sv-page-view', 'sv-copy', 'sv-print', 'sv-download', 'sv-zoom', 'sv-find'] as const;

interface StoredEvent {
  type: string;
  tokenId: string;
  doc: string;
  receivedAt: number;
  [field: string]: unknown;
}

async function storedEvents(id: string): Promise<StoredEvent[]> {
  const response = await fetch(`${backendUrl}/__test/scenarios/${id}/audit`);
  if (!response.ok) throw new Error(`audit ${response.status}`);
  return ((await response.json()) as { events: StoredEvent[] }).events;
}

function eventPosts(log: { requests: LoggedRequest[] }): LoggedRequest[] {
  return log.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/events'));
}

function jtiOf(token: string): string {
  return (JSON.parse(atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as { jti: string }).jti;
}

interface Setup {
  document?: string;
  permissions?: string[];
  analytics?: boolean | string;
  renew?: boolean;
}

async function readyViewer(setup: Setup = {}) {
  const id = await createScenario(setup.document ?? 'long');
  const el = await openViewer();
  const tokens: string[] = [];
  const renewals: string[] = [];
  const fired: Array<{ type: string; detail: unknown }> = [];
  for (const type of READER_EVENTS) el.addEventListener(type, (event) => fired.push({ type, detail: (event as CustomEvent).detail }));
  if (setup.analytics) el.analyticsUrl = typeof setup.analytics === 'string' ? setup.analytics : `${backendUrl}/api/documents/${id}/events`;
  const permissions = setup.permissions ?? ['read', 'copy'];
  if (setup.renew) {
    el.renewToken = async ({ reason }) => {
      renewals.push(reason);
      const token = await mintToken(id, { permissions });
      tokens.push(token);
      return token;
    };
  }
  const token = await mintToken(id, { permissions });
  tokens.push(token);
  el.token = token;
  el.src = contentUrl(id);
  await waitForState(el, ['ready']);
  await renderedCanvas(el, 1);
  return { id, el, tokens, renewals, fired };
}

function viewport(el: SecureViewer): HTMLElement {
  return el.shadowRoot!.querySelector<HTMLElement>('[part~="viewport"]')!;
}

/** Sets the zoom and waits until the element has reported it (changes settle for 300 ms). */
async function zoomTo(el: SecureViewer, fired: Array<{ type: string }>, zoom: SecureViewer['zoom']): Promise<void> {
  const before = fired.filter((e) => e.type === 'sv-zoom').length;
  el.zoom = zoom;
  await waitFor(() => fired.filter((e) => e.type === 'sv-zoom').length > before, 5000, () => `no sv-zoom for ${zoom}`);
}

describe('reader events', () => {
  it('page views with attention time, zoom, find and copy: composed, bubbling, typed, never a token', async () => {
    const { el, tokens, fired } = await readyViewer();
    const outside: string[] = [];
    const listener = (event: Event) => outside.push(event.type);
    for (const type of READER_EVENTS) document.body.addEventListener(type, listener);
    try {
      await sleep(1200);
      el.goToPage(40);
      const view = await waitFor(() => fired.find((e) => e.type === 'sv-page-view'));
      expect((view.detail as { page: number }).page).to.equal(1);
      expect((view.detail as { ms: number }).ms).to.be.within(1000, 20_000);
      // The contract's name for it, and the first name, carry the same number.
      expect((view.detail as { visibleMs: number; ms: number }).visibleMs).to.equal((view.detail as { ms: number }).ms);

      await zoomTo(el, fired, 1.5);
      expect(fired.find((e) => e.type === 'sv-zoom')!.detail).to.deep.equal({ zoom: 1.5, scale: 1.5 });

      // The query stays private unless the host opts in.
      el.shadowRoot!.querySelector<HTMLElement>('[part~="find-button"]')!.click();
      const input = await waitFor(() => el.shadowRoot!.querySelector<HTMLInputElement>('[part~="find-input"]'));
      input.value = 'Page 3';
      input.dispatchEvent(new Event('input'));
      const find = await waitFor(() => fired.find((e) => e.type === 'sv-find'), 5000);
      expect(find.detail).to.deep.equal({});
      el.setAttribute('share-find-query', '');
      input.value = 'Page 7';
      input.dispatchEvent(new Event('input'));
      await waitFor(() => fired.filter((e) => e.type === 'sv-find').length === 2, 5000);
      expect(fired.filter((e) => e.type === 'sv-find')[1]!.detail).to.deep.equal({ query: 'Page 7' });
      // The property, once set, wins over the attribute.
      el.shareFindQuery = false;
      input.value = 'Page 9';
      input.dispatchEvent(new Event('input'));
      await waitFor(() => fired.filter((e) => e.type === 'sv-find').length === 3, 5000);
      expect(fired.filter((e) => e.type === 'sv-find')[2]!.detail).to.deep.equal({});

      expect([...new Set(outside)]).to.include.members(['sv-page-view', 'sv-zoom', 'sv-find']);
      const details = JSON.stringify(fired);
      for (const token of tokens) expect(details).not.to.include(token);
    } finally {
      for (const type of READER_EVENTS) document.body.removeEventListener(type, listener);
    }
  });

  it('copy: how many characters were copied, never the text', async () => {
    const { el, tokens, fired } = await readyViewer();
    const span = await waitFor(
      () => [...pageElement(el, 1)!.querySelectorAll('.textLayer span')].find((node) => (node.textContent ?? '').trim().length > 3),
      10_000,
    );
    document.getSelection()!.selectAllChildren(span);
    const text = (el.shadowRoot as ShadowRoot & { getSelection(): Selection }).getSelection().toString();
    expect(text.length).to.be.above(0);
    // pdf.js's text layer writes the copied text into the event's clipboard data.
    span.dispatchEvent(new ClipboardEvent('copy', { bubbles: true, composed: true, cancelable: true, clipboardData: new DataTransfer() }));
    expect(fired.filter((e) => e.type === 'sv-copy').map((e) => e.detail)).to.deep.equal([{ chars: text.length }]);
    const details = JSON.stringify(fired);
    expect(details).not.to.include(text);
    for (const token of tokens) expect(details).not.to.include(token);
  });

  it('no copy event when copying is not allowed (the copy is blocked)', async () => {
    const { el, fired } = await readyViewer({ permissions: ['read'] });
    viewport(el).dispatchEvent(new Event('copy', { bubbles: true, composed: true, cancelable: true }));
    await sleep(50);
    expect(fired.filter((e) => e.type === 'sv-copy')).to.deep.equal([]);
  });

  it('a page view pauses while the tab is hidden, and is reported when it is hidden', async () => {
    const { el, fired } = await readyViewer();
    await sleep(800);
    const hidden = Object.getOwnPropertyDescriptor(Document.prototype, 'visibilityState')!;
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
    try {
      document.dispatchEvent(new Event('visibilitychange'));
      const view = fired.find((e) => e.type === 'sv-page-view');
      expect(view, 'reported when the tab is hidden').to.exist;
      expect((view!.detail as { ms: number }).ms).to.be.within(700, 10_000);
      await sleep(1500);
    } finally {
      delete (document as { visibilityState?: unknown }).visibilityState;
      expect(Object.getOwnPropertyDescriptor(Document.prototype, 'visibilityState')).to.deep.equal(hidden);
      document.dispatchEvent(new Event('visibilitychange'));
    }
    await sleep(600);
    el.goToPage(60);
    await waitFor(() => fired.filter((e) => e.type === 'sv-page-view').length >= 2);
    const second = fired.filter((e) => e.type === 'sv-page-view')[1]!.detail as { page: number; ms: number };
    // The 1.5 s hidden do not count: only the time since the tab came back.
    expect(second.page).to.equal(1);
    expect(second.ms).to.be.within(500, 1400);
  });
});

describe('reader events sent to analytics-url', () => {
  it('in batches, with the document token in the Authorization header, stored under its id', async () => {
    const { id, el, tokens, fired } = await readyViewer({ analytics: true });
    await zoomTo(el, fired, 1.25);
    await zoomTo(el, fired, 'page-fit');
    await zoomTo(el, fired, 2);
    await waitFor(async () => (await storedEvents(id)).length >= 3, 15_000, () => 'events not stored');
    const stored = await storedEvents(id);
    expect(stored.map((e) => [e.type, e.zoom])).to.deep.equal([
      ['zoom', 2],
      ['zoom', 'page-fit'],
      ['zoom', 1.25],
    ]);
    // One request carried the three.
    expect(new Set(stored.map((e) => e.receivedAt)).size).to.equal(1);
    const posts = eventPosts(await requestLog(id));
    expect(posts.length).to.equal(1);
    expect(posts[0]).to.include({ status: 202, auth: 'bearer', jti: jtiOf(tokens[0]!), query: '' });
    expect(stored.every((e) => e.tokenId === jtiOf(tokens[0]!) && e.doc === id)).to.equal(true);
  });

  it('a 401 renews the token once, through the same renewal as the document requests, and the batch goes again', async () => {
    const { id, el, tokens, renewals, fired } = await readyViewer({ analytics: true, renew: true });
    await revokeTokens(id);
    // Tokens issued in the second of a revocation are refused too: the renewal must come later.
    await sleep(1100);
    await zoomTo(el, fired, 1.75);
    window.dispatchEvent(new PageTransitionEvent('pagehide'));
    await waitFor(async () => (await storedEvents(id)).length >= 1, 15_000, () => 'events not stored');
    expect(renewals).to.deep.equal(['unauthorized']);
    const posts = eventPosts(await requestLog(id));
    expect(posts.map((p) => [p.status, p.jti])).to.deep.equal([
      [401, jtiOf(tokens[0]!)],
      [202, jtiOf(tokens[1]!)],
    ]);
    const stored = await storedEvents(id);
    expect(stored.find((e) => e.type === 'zoom')).to.include({ zoom: 1.75, tokenId: jtiOf(tokens[1]!), doc: id });
    expect(stored.every((e) => e.tokenId === jtiOf(tokens[1]!))).to.equal(true);
    expect(el.state).to.equal('ready');
  });

  it('print and download are announced and sent once done', async () => {
    const { id, el, fired } = await readyViewer({ document: 'sample', permissions: ['read', 'print', 'download'], analytics: true });
    const print = window.print;
    const click = HTMLAnchorElement.prototype.click;
    const saved: string[] = [];
    window.print = () => {};
    // The file is not written anywhere: the link the download clicks is only recorded.
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      saved.push(this.download);
    };
    try {
      await el.print();
      await el.download();
    } finally {
      window.print = print;
      HTMLAnchorElement.prototype.click = click;
    }
    expect(saved.length).to.equal(1);
    expect(fired.filter((e) => e.type === 'sv-print' || e.type === 'sv-download')).to.deep.equal([
      { type: 'sv-print', detail: { numPages: 3 } },
      { type: 'sv-download', detail: { numPages: 3 } },
    ]);
    window.dispatchEvent(new PageTransitionEvent('pagehide'));
    await waitFor(async () => (await storedEvents(id)).some((e) => e.type === 'download'), 5000, () => 'not sent');
    const types = (await storedEvents(id)).map((e) => e.type);
    expect(types).to.include.members(['print', 'download']);
  });

  it('on pagehide what is queued goes out at once with keepalive', async () => {
    const { id, el, fired } = await readyViewer({ analytics: true });
    const sent: RequestInit[] = [];
    const realFetch = window.fetch;
    window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
      if (String(input).endsWith('/events')) sent.push(init ?? {});
      return realFetch(input, init);
    };
    try {
      await zoomTo(el, fired, 1.5);
      const queuedAt = performance.now();
      window.dispatchEvent(new PageTransitionEvent('pagehide'));
      await waitFor(async () => (await storedEvents(id)).length >= 1, 4000, () => 'not sent on pagehide');
      // Well before the batch would have gone out by itself (5 s after its first event).
      expect(performance.now() - queuedAt).to.be.below(4000);
      expect(sent.length).to.equal(1);
      expect(sent[0]).to.include({ keepalive: true, credentials: 'omit', method: 'POST' });
      const fields = JSON.parse(String(sent[0]!.body)) as { events: Array<Record<string, unknown>> };
      expect(fields.events.map((e) => e['type'])).to.include('zoom');
      expect(String(sent[0]!.body)).not.to.match(/ey[A-Za-z0-9_-]{10,}\./);
    } finally {
      window.fetch = realFetch;
    }
  });

  it('an analytics-url on another origin than the document gets nothing (the token stays with the document)', async () => {
    const requested: string[] = [];
    const realFetch = window.fetch;
    window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
      requested.push(String(input));
      return realFetch(input, init);
    };
    try {
      const { el, fired } = await readyViewer({ analytics: `${location.origin}/events` });
      await zoomTo(el, fired, 1.5);
      window.dispatchEvent(new PageTransitionEvent('pagehide'));
      await sleep(300);
      expect(requested.filter((url) => url.includes('/events'))).to.deep.equal([]);
    } finally {
      window.fetch = realFetch;
    }
  });
});
