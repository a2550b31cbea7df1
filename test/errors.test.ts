import { expect, oneEvent } from '@open-wc/testing';
import type { ErrorCode } from '../src/index.ts';
import { contentRequests, contentUrl, createScenario, mintToken, requestLog, type Faults } from './helpers/backend.ts';
import { openViewer, renderedCanvas, sleep, waitForState } from './helpers/viewer.ts';

async function failWith(faults: Faults, document = 'sample') {
  const id = await createScenario(document, faults);
  const token = await mintToken(id);
  const el = await openViewer();
  const failed = oneEvent(el, 'sv-error');
  el.token = token;
  el.src = contentUrl(id);
  const { detail } = await failed;
  return { el, detail, id, token };
}

const cases: Array<[string, Faults, ErrorCode, number | undefined]> = [
  ['401 with nothing to renew', { status: 401 }, 'unauthorized', 401],
  ['403', { status: 403 }, 'forbidden', 403],
  ['404', { status: 404 }, 'not-found', 404],
  ['429', { status: 429, retryAfter: 120 }, 'rate-limited', 429],
  ['500', { status: 500 }, 'server', 500],
  ['an HTML page served with 200', { html: true }, 'invalid-document', 200],
  ['a redirect', { redirectTo: 'https://elsewhere.invalid/x.pdf' }, 'network', undefined],
];

describe('errors', () => {
  for (const [name, faults, code, status] of cases) {
    it(`${name} → ${code}`, async () => {
      const { el, detail, token } = await failWith(faults);
      expect(detail.code).to.equal(code);
      expect(detail.status).to.equal(status);
      expect(el.state).to.equal('error');
      expect(el.error).to.deep.equal(detail);
      expect(JSON.stringify(detail)).not.to.include(token.split('.')[2]!);
      await el.updateComplete;
      const panel = el.shadowRoot!.querySelector('[part="error"]')!;
      expect(panel).to.exist;
      expect(panel.getAttribute('role')).to.equal('alert');
      expect(panel.textContent).to.include(detail.message);
      expect(panel.querySelector('button')).to.exist;
    });
  }

  it('a truncated file → invalid-document', async () => {
    const { detail } = await failWith({ truncateTo: 2_000_000 }, 'long');
    expect(detail.code).to.equal('invalid-document');
  });

  it('a range answer with the wrong Content-Range → invalid-document, no corrupt render', async () => {
    const { detail } = await failWith({ badContentRange: true }, 'large');
    expect(detail.code).to.equal('invalid-document');
  });

  it('a server that ignores Range still renders from the whole body', async () => {
    const id = await createScenario('sample', { ignoreRange: true });
    const el = await openViewer({ token: await mintToken(id), src: contentUrl(id) });
    await waitForState(el, ['ready']);
    await renderedCanvas(el, 1);
    const requests = contentRequests(await requestLog(id));
    expect(requests).to.have.length(1);
    expect(requests[0]!.status).to.equal(200);
  });

  it('an unreachable server → network', async () => {
    const el = await openViewer({ token: 'opaque-token', src: 'http://127.0.0.1:9/api/documents/x/content' });
    await waitForState(el, ['error']);
    expect(el.error?.code).to.equal('network');
  });

  it('an unknown document → not-found, and the retry button reloads', async () => {
    const { el, id } = await failWith({ status: 404 });
    const before = contentRequests(await requestLog(id)).length;
    await el.updateComplete;
    const retry = el.shadowRoot!.querySelector<HTMLButtonElement>('[part="error"] button')!;
    const again = oneEvent(el, 'sv-error');
    retry.click();
    expect(el.state === 'loading' || (await waitForState(el, ['loading', 'error']))).to.be.ok;
    expect((await again).detail.code).to.equal('not-found');
    expect(contentRequests(await requestLog(id)).length).to.equal(before + 1);
  });

  it('a malformed token is refused before any request is made', async () => {
    const id = await createScenario('sample');
    const el = await openViewer({ token: 'bad token\r\nX-Injected: 1', src: contentUrl(id) });
    await waitForState(el, ['error']);
    await sleep(200);
    expect(contentRequests(await requestLog(id))).to.have.length(0);
  });
});
