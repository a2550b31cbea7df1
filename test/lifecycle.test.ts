import { expect } from '@open-wc/testing';
import { contentRequests, contentUrl, createScenario, mintToken, requestLog } from './helpers/backend.ts';
import { openViewer, renderedCanvas, sleep, waitFor, waitForState } from './helpers/viewer.ts';

// A slow shared link keeps requests in flight long enough to interrupt them.
const SLOW = { bandwidth: 200_000, latency: 150 };

describe('lifecycle', () => {
  it('switching src abandons the old document: no request for it afterwards', async () => {
    const old = await createScenario('large', SLOW);
    const next = await createScenario('sample');
    const el = await openViewer({ token: await mintToken(old), src: contentUrl(old) });
    await waitFor(async () => contentRequests(await requestLog(old)).length > 0);
    await sleep(400);

    el.token = await mintToken(next);
    el.src = contentUrl(next);
    await waitForState(el, ['ready']);
    await renderedCanvas(el, 1);
    const settled = contentRequests(await requestLog(old)).length;
    await sleep(1500);
    expect(contentRequests(await requestLog(old)).length).to.equal(settled);
    expect(el.numPages).to.equal(3);
  });

  it('removal from the page stops every request, timer and callback', async () => {
    const id = await createScenario('large', SLOW);
    const el = await openViewer({ token: await mintToken(id), src: contentUrl(id) });
    const events: string[] = [];
    for (const name of ['sv-load', 'sv-error', 'sv-progress', 'sv-page-change'] as const) {
      el.addEventListener(name, () => events.push(name));
    }
    await waitFor(async () => contentRequests(await requestLog(id)).length > 0);
    el.remove();
    await sleep(300);
    const count = contentRequests(await requestLog(id)).length;
    const eventCount = events.length;
    await sleep(2000);
    expect(contentRequests(await requestLog(id)).length).to.equal(count);
    expect(events.length).to.equal(eventCount);
    expect(el.state).not.to.equal('error');
  });

  it('a viewer put back on the page loads again', async () => {
    const id = await createScenario('sample');
    const el = await openViewer({ token: await mintToken(id), src: contentUrl(id) });
    await waitForState(el, ['ready']);
    const parent = el.parentElement!;
    el.remove();
    parent.append(el);
    await waitForState(el, ['loading', 'ready']);
    await waitForState(el, ['ready']);
    await renderedCanvas(el, 1);
  });

  it('clearing src returns to idle', async () => {
    const id = await createScenario('sample');
    const el = await openViewer({ token: await mintToken(id), src: contentUrl(id) });
    await waitForState(el, ['ready']);
    el.src = null;
    await waitForState(el, ['idle']);
    expect(el.numPages).to.equal(0);
  });
});
