// A token belongs to the origin of the document it was given for. When src moves to another
// origin without a new token in the same update, the held token is dropped, never sent there,
// and the element gets one as it would with none.
import { expect, oneEvent } from '@open-wc/testing';
import type { SecureViewer } from '../../src/index.ts';
import { backendUrl, contentRequests, contentUrl, createScenario, mintToken, requestLog } from '../helpers/backend.ts';
import { mountHostPage, unmountHostPages } from '../helpers/host-page.ts';
import { renderedCanvas, sleep, waitForState } from '../helpers/viewer.ts';

/** The same backend under another origin (localhost instead of 127.0.0.1). */
function elsewhere(url: string): string {
  const moved = new URL(url);
  moved.hostname = moved.hostname === 'localhost' ? '127.0.0.1' : 'localhost';
  return moved.href;
}

function jtiOf(token: string): string {
  const payload = token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/');
  return (JSON.parse(atob(payload)) as { jti: string }).jti;
}

async function readyOn(document = 'sample') {
  const id = await createScenario(document);
  const token = await mintToken(id);
  const { viewer } = mountHostPage('<secure-viewer style="height: 400px"></secure-viewer>');
  viewer.token = token;
  viewer.src = contentUrl(id);
  await waitForState(viewer, ['ready']);
  return { id, token, viewer };
}

/** Every token (by jti) the backend saw for the scenario. */
async function jtisSeen(id: string): Promise<Set<string | null>> {
  return new Set(contentRequests(await requestLog(id)).map((r) => r.jti));
}

describe('tokens and origins', () => {
  afterEach(unmountHostPages);

  it('drops the token when src moves to another origin with no new token: nothing to send, unauthorized', async () => {
    const { token, viewer } = await readyOn();
    const other = await createScenario('sample');
    viewer.src = elsewhere(contentUrl(other));
    await waitForState(viewer, ['error']);
    expect(viewer.error!.code).to.equal('unauthorized');
    expect(viewer.token).to.equal(null);
    expect(contentRequests(await requestLog(other)).length, 'no request went to the other origin').to.equal(0);
    void token;
  });

  it('gets a fresh token from renewToken for the other origin and never sends the old one there', async () => {
    const { token, viewer } = await readyOn();
    const other = await createScenario('sample');
    const fresh = await mintToken(other);
    const reasons: string[] = [];
    viewer.renewToken = async ({ reason }) => {
      reasons.push(reason);
      return fresh;
    };
    const loaded = oneEvent(viewer, 'sv-load');
    viewer.src = elsewhere(contentUrl(other));
    await loaded;
    await renderedCanvas(viewer, 1);
    expect(reasons).to.deep.equal(['expiring']);
    const seen = await jtisSeen(other);
    expect(seen.has(jtiOf(token)), 'the old token was not sent').to.equal(false);
    expect([...seen]).to.deep.equal([jtiOf(fresh)]);
  });

  it('keeps a token the host sets in the same update as the new src', async () => {
    const { viewer } = await readyOn();
    const other = await createScenario('sample');
    const next = await mintToken(other);
    let asked = 0;
    viewer.renewToken = async () => {
      asked++;
      return next;
    };
    const loaded = oneEvent(viewer, 'sv-load');
    viewer.token = next;
    viewer.src = elsewhere(contentUrl(other));
    await loaded;
    expect(asked).to.equal(0);
    expect([...(await jtisSeen(other))]).to.deep.equal([jtiOf(next)]);
    expect(viewer.token).to.equal(next);
  });

  it('keeps the token for another document on the same origin', async () => {
    const { token, viewer } = await readyOn();
    const sameOrigin = await createScenario('sample');
    const settled = Promise.race([oneEvent(viewer, 'sv-load'), oneEvent(viewer, 'sv-error')]);
    viewer.src = contentUrl(sameOrigin);
    await settled;
    // The token is scoped to the first document, so the server refuses it; but it was sent.
    expect([...(await jtisSeen(sameOrigin))]).to.deep.equal([jtiOf(token)]);
  });

  it('back on the first origin the dropped token stays dropped', async () => {
    const { id, token, viewer } = await readyOn();
    const before = contentRequests(await requestLog(id)).length;
    const other = await createScenario('sample');
    viewer.src = elsewhere(contentUrl(other));
    await waitForState(viewer, ['error']);
    const fresh = await mintToken(id);
    viewer.renewToken = async () => fresh;
    viewer.src = contentUrl(id);
    await waitForState(viewer, ['ready']);
    await renderedCanvas(viewer, 1);
    const after = contentRequests(await requestLog(id)).slice(before);
    expect(after.length).to.be.greaterThan(0);
    expect(after.every((r) => r.jti === jtiOf(fresh)), 'only the fresh token').to.equal(true);
    void token;
  });

  it('uses a token-url on another origin than the page, and sends its token only to the document', async () => {
    const id = await createScenario('sample');
    const { viewer } = mountHostPage('<secure-viewer style="height: 400px"></secure-viewer>');
    viewer.tokenUrl = `${elsewhere(backendUrl)}demo/session-token?doc=${id}`;
    viewer.src = contentUrl(id);
    await waitForState(viewer, ['ready']);
    await renderedCanvas(viewer, 1);
    const requests = contentRequests(await requestLog(id));
    expect(requests.length).to.be.greaterThan(0);
    expect(requests.every((r) => r.auth === 'bearer')).to.equal(true);
    const names = performance.getEntriesByType('resource').map((entry) => entry.name);
    expect(names.some((name) => name.includes('session-token'))).to.equal(true);
    await sleep(0);
  });

  it('refuses a src that is not an http or https URL with a typed error, before any token is used', async () => {
    const { viewer } = mountHostPage('<secure-viewer style="height: 400px"></secure-viewer>');
    let asked = 0;
    viewer.renewToken = async () => {
      asked++;
      return 'never-used';
    };
    viewer.src = 'javascript:alert(1)';
    await waitForState(viewer, ['error']);
    expect(viewer.error!.code).to.equal('not-found');
    expect(asked).to.equal(0);
    viewer.src = 'http://[not-a-host/doc.pdf';
    await waitForState(viewer, ['error']);
    expect(viewer.error!.code).to.equal('not-found');
  });
});
