import { expect, oneEvent } from '@open-wc/testing';
import type { SvTokenRenewDetail } from '../src/index.ts';
import { DocumentClient } from '../src/fetch/document-client.ts';
import { receiveToken } from '../src/token/token-response.ts';
import { realClock } from '../src/token/token-controller.ts';
import { TokenSession } from '../src/token/token-session.ts';
import { backendUrl, contentRequests, contentUrl, createScenario, mintToken, requestLog, revokeTokens, setFaults } from './helpers/backend.ts';
import { openViewer, pixelAt, renderedCanvas, sleep, waitFor, waitForState } from './helpers/viewer.ts';

/** A renewToken callback that mints real tokens from the backend and counts its calls. */
function minter(document: string, ttl?: number) {
  const calls: string[] = [];
  const callback = async ({ reason }: { reason: string }) => {
    calls.push(reason);
    return mintToken(document, ttl === undefined ? {} : { ttl });
  };
  return { calls, callback };
}

/** A ready viewer on a fresh scenario, with a token and a counting renewal callback. */
async function openWithRenewal(document: string) {
  const id = await createScenario(document);
  const renew = minter(id);
  const el = await openViewer();
  el.renewToken = renew.callback;
  el.token = await mintToken(id);
  el.src = contentUrl(id);
  await waitForState(el, ['ready']);
  return { id, el, renew };
}

function renewEvents(el: HTMLElement): SvTokenRenewDetail[] {
  const details: SvTokenRenewDetail[] = [];
  el.addEventListener('sv-token-renew', (event) => details.push(event.detail));
  return details;
}

describe('token renewal', () => {
  it('tells renewToken the absolute URL of the document the token is for, and nothing more', async () => {
    const id = await createScenario('long', { unauthorizedAfter: 2 });
    const contexts: unknown[] = [];
    const el = await openViewer();
    el.renewToken = async (context) => {
      contexts.push({ ...context });
      return mintToken(id);
    };
    el.token = await mintToken(id);
    el.src = contentUrl(id);
    await waitForState(el, ['ready']);
    el.goToPage(250);
    await renderedCanvas(el, 250);
    expect(contexts).to.deep.equal([{ reason: 'unauthorized', src: new URL(contentUrl(id), document.baseURI).href }]);
  });

  it('renews once when the token is refused during range loading, and the document completes', async () => {
    const id = await createScenario('long', { unauthorizedAfter: 2 });
    const renew = minter(id);
    const el = await openViewer();
    const events = renewEvents(el);
    el.renewToken = renew.callback;
    el.token = await mintToken(id);
    el.src = contentUrl(id);
    await waitForState(el, ['ready']);
    for (const page of [250, 500, 1]) {
      el.goToPage(page);
      await renderedCanvas(el, page);
    }
    expect(renew.calls).to.deep.equal(['unauthorized']);
    expect(events.map((e) => e.reason)).to.deep.equal(['unauthorized']);
    expect(el.state).to.equal('ready');
    const requests = contentRequests(await requestLog(id));
    const refused = requests.filter((r) => r.status === 401);
    expect(refused.length).to.be.at.least(1);
    // Every refused range was asked again with the new token and served.
    expect(requests.filter((r) => r.status === 206).length).to.be.greaterThan(3);
  });

  it('turns 24 concurrent 401s into one renewal, and retries each request once', async () => {
    const id = await createScenario('long');
    let renewals = 0;
    const session = new TokenSession({
      source: async () => {
        renewals++;
        return receiveToken(await mintToken(id), {}, realClock.now(), realClock.wallNow());
      },
      onToken: () => {},
      onFailure: () => {},
      timeoutMs: 10_000,
      clock: realClock,
    });
    session.set(receiveToken(await mintToken(id), {}, realClock.now(), realClock.wallNow()));
    await revokeTokens(id);
    const client = new DocumentClient(contentUrl(id), session, { signal: new AbortController().signal });
    const probe = await client.probe(1024);
    const chunks = await Promise.all(Array.from({ length: 24 }, (_, i) => client.fetchRange(4096 * i, 4096 * i + 1000)));
    expect(renewals).to.equal(1);
    expect(chunks.every((chunk) => chunk.byteLength === 1000)).to.equal(true);
    expect(probe.kind === 'ranged' && probe.total > 100_000).to.equal(true);
    const requests = contentRequests(await requestLog(id));
    expect(requests.filter((r) => r.status === 401).length).to.be.at.least(1).and.at.most(25);
    expect(requests.filter((r) => r.status === 206)).to.have.length(25);
    session.dispose();
  });

  it('renews before expiry without touching the view', async () => {
    const id = await createScenario('long');
    const renew = minter(id, 60);
    const el = await openViewer();
    const events = renewEvents(el);
    el.renewToken = renew.callback;
    el.token = await mintToken(id, { ttl: 4 });
    el.src = contentUrl(id);
    await waitForState(el, ['ready']);
    el.zoom = 1.25;
    el.goToPage(7);
    const canvas = await renderedCanvas(el, 7);
    const viewport = el.shadowRoot!.querySelector<HTMLElement>('[part="viewport"]')!;
    const scrollTop = viewport.scrollTop;
    await waitFor(() => events.length === 1, 6_000);
    expect(events[0]!.reason).to.equal('expiring');
    expect(events[0]!.expiresAt).to.be.a('number');
    expect(Object.keys(events[0]!)).to.have.members(['reason', 'expiresAt']);
    await sleep(300);
    expect(el.page).to.equal(7);
    expect(el.zoom).to.equal(1.25);
    expect(viewport.scrollTop).to.equal(scrollTop);
    // The same canvas, still drawn: nothing was re-rendered.
    expect((await renderedCanvas(el, 7))).to.equal(canvas);
    expect(renew.calls).to.deep.equal(['expiring']);
  });

  it('ends in renewal-failed when the host rejects, with no request afterwards', async () => {
    const id = await createScenario('large');
    const el = await openViewer();
    let calls = 0;
    el.renewToken = () => {
      calls++;
      return Promise.reject(new Error('session over'));
    };
    const failed = oneEvent(el, 'sv-error');
    // Renewed at half-life, 5 s after arrival: the document is open by then.
    el.token = await mintToken(id, { ttl: 10 });
    el.src = contentUrl(id);
    await waitForState(el, ['ready']);
    expect((await failed).detail.code).to.equal('renewal-failed');
    expect(el.state).to.equal('error');
    expect(calls).to.equal(1);
    const before = contentRequests(await requestLog(id)).length;
    el.goToPage(30);
    await sleep(2_000);
    expect(contentRequests(await requestLog(id)).length).to.equal(before);
  });

  it('times out a renewal callback that never settles', async () => {
    const id = await createScenario('long');
    const el = await openViewer();
    el.renewTimeout = 500;
    el.renewToken = () => new Promise(() => {});
    el.token = await mintToken(id, { ttl: 10 });
    el.src = contentUrl(id);
    await waitForState(el, ['ready']);
    await waitForState(el, ['error'], 8_000);
    expect(el.error?.code).to.equal('renewal-failed');
  });

  it('never renews on 403', async () => {
    const { id, el, renew } = await openWithRenewal('large');
    await setFaults(id, { status: 403 });
    el.goToPage(30);
    await waitForState(el, ['error']);
    expect(el.error?.code).to.equal('forbidden');
    expect(renew.calls).to.deep.equal([]);
  });

  it('gives unauthorized, not a storm, when the server keeps refusing fresh tokens', async () => {
    const { id, el, renew } = await openWithRenewal('large');
    await setFaults(id, { status: 401 });
    el.goToPage(30);
    await waitForState(el, ['error']);
    expect(el.error?.code).to.equal('unauthorized');
    expect(renew.calls.length).to.be.at.least(1).and.at.most(4);
  });

  for (const shiftHours of [2, -2]) {
    it(`keeps renewals bounded when the page clock is ${shiftHours > 0 ? 'ahead' : 'behind'} by 2 hours`, async () => {
      const realNow = Date.now;
      Date.now = () => realNow() + shiftHours * 3600_000;
      try {
        const id = await createScenario('long');
        const renew = minter(id, 4);
        const el = await openViewer();
        el.renewToken = renew.callback;
        el.token = await mintToken(id, { ttl: 4 });
        const arrived = performance.now();
        el.src = contentUrl(id);
        await waitForState(el, ['ready']);
        await sleep(Math.max(0, arrived + 5_000 - performance.now()));
        // A 4 s token renews every 2 s: two or three times in 5 s, never a loop, never missed.
        expect(renew.calls.length).to.be.within(2, 3);
        expect(el.state).to.equal('ready');
        el.goToPage(300);
        await renderedCanvas(el, 300);
      } finally {
        Date.now = realNow;
      }
    });
  }

  it('does nothing after removal: no renewal, no request', async () => {
    const id = await createScenario('long');
    const renew = minter(id);
    const el = await openViewer();
    el.renewToken = renew.callback;
    // A 10 s token is renewed at half-life: 5 s after it arrives, time enough to load first.
    el.token = await mintToken(id, { ttl: 10 });
    const arrived = Date.now();
    el.src = contentUrl(id);
    await waitForState(el, ['ready']);
    expect(renew.calls, 'no renewal was due before the removal').to.deep.equal([]);
    const before = contentRequests(await requestLog(id)).length;
    el.remove();
    // Wait until well past the time the renewal would have run.
    await sleep(Math.max(0, arrived + 7_000 - Date.now()));
    expect(renew.calls).to.deep.equal([]);
    expect(contentRequests(await requestLog(id)).length).to.equal(before);
  });

  it('keeps the token out of every URL, console line, attribute, storage, cookie, message and event', async function () {
    this.timeout(60_000);
    const id = await createScenario('large');
    const seen: string[] = [];
    const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;
    const originals = methods.map((m) => console[m]);
    methods.forEach((m) => {
      console[m] = (...args: unknown[]) => {
        seen.push(args.map(String).join(' '));
        originals[methods.indexOf(m)]!.apply(console, args);
      };
    });
    const tokens: string[] = [];
    try {
      const el = await openViewer({ style: 'height: 600px; width: 700px' });
      const details: unknown[] = [];
      for (const name of ['sv-load', 'sv-error', 'sv-page-change', 'sv-progress', 'sv-token-renew', 'sv-password-required']) {
        el.addEventListener(name, (event) => details.push((event as CustomEvent).detail));
      }
      el.renewToken = async () => {
        const token = await mintToken(id, { ttl: 4 });
        tokens.push(token);
        return token;
      };
      const first = await mintToken(id, { ttl: 4 });
      tokens.push(first);
      el.setAttribute('token', first);
      el.src = contentUrl(id);
      await waitForState(el, ['ready']);
      el.goToPage(12);
      await renderedCanvas(el, 12);
      await waitFor(() => tokens.length >= 3, 8_000);
      // An error and a retry.
      await setFaults(id, { status: 500 });
      el.goToPage(36);
      await waitForState(el, ['error'], 20_000);
      seen.push(el.error?.message ?? '', el.shadowRoot!.textContent ?? '');
      await setFaults(id, {});
      el.reload();
      await waitForState(el, ['ready']);
      const attributes = [...el.attributes].map((a) => `${a.name}=${a.value}`).join(' ');
      el.remove();

      const haystacks = [
        ...performance.getEntriesByType('resource').map((e) => e.name),
        ...seen,
        attributes,
        document.cookie,
        JSON.stringify({ ...localStorage }),
        JSON.stringify({ ...sessionStorage }),
        JSON.stringify(details),
        ...contentRequests(await requestLog(id)).map((r) => `${r.path}?${r.query}`),
      ];
      expect(tokens.length).to.be.at.least(3);
      for (const token of tokens) {
        const signature = token.split('.')[2]!;
        for (const text of haystacks) {
          expect(text.includes(token) || text.includes(signature), text.slice(0, 120)).to.equal(false);
        }
      }
    } finally {
      methods.forEach((m, i) => (console[m] = originals[i]!));
    }
  });
});

describe('token-url', () => {
  it('POSTs for the first token and again to renew, and sends nothing in the URL but what the host wrote', async () => {
    const id = await createScenario('large');
    const el = await openViewer();
    const events = renewEvents(el);
    el.tokenUrl = `${backendUrl}/demo/session-token?doc=${id}&ttl=6`;
    el.src = contentUrl(id);
    await waitForState(el, ['ready']);
    expect(pixelAt(await renderedCanvas(el, 1), 0.5, 0.3)).to.deep.equal([255, 0, 0, 255]);
    await waitFor(() => events.length >= 1, 8_000);
    expect(events[0]!.reason).to.equal('expiring');
    const calls = performance.getEntriesByType('resource').filter((e) => e.name.includes(`/demo/session-token?doc=${id}&`));
    expect(calls.length).to.be.at.least(2);
    expect(contentRequests(await requestLog(id)).every((r) => r.auth === 'bearer')).to.equal(true);
    el.goToPage(20);
    await renderedCanvas(el, 20);
  });

  it('a token-url that fails for the first token gives token-failed with its status', async () => {
    const id = await createScenario('sample');
    const el = await openViewer();
    el.tokenUrl = `${backendUrl}/demo/session-token?doc=no-such-document`;
    el.src = contentUrl(id);
    await waitForState(el, ['error']);
    expect(el.error?.code).to.equal('token-failed');
    expect(el.error?.status).to.equal(404);
    expect(contentRequests(await requestLog(id))).to.have.length(0);
  });
});

describe('pixels after renewal', () => {
  it('still draws the right page after a reactive renewal', async () => {
    const id = await createScenario('sample');
    const el = await openViewer();
    el.renewToken = async () => mintToken(id);
    el.token = await mintToken(id, { ttl: -10 });
    el.src = contentUrl(id);
    await waitForState(el, ['ready']);
    expect(pixelAt(await renderedCanvas(el, 1), 0.5, 0.3)).to.deep.equal([255, 0, 0, 255]);
  });
});
