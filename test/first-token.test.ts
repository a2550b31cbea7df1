// A first token that cannot be had is its own failure, token-failed, named apart from a renewal
// that failed; and nothing of pdf.js is downloaded for a document that cannot be opened.
import { expect, oneEvent } from '@open-wc/testing';
import { backendUrl, contentRequests, contentUrl, createScenario, mintToken, requestLog } from './helpers/backend.ts';
import { openViewer, renderedCanvas, waitForState } from './helpers/viewer.ts';

function pdfjsDownloads(): string[] {
  return performance
    .getEntriesByType('resource')
    .map((entry) => entry.name)
    .filter((name) => name.includes('pdfjs-dist') || name.includes('pdf.worker'));
}

describe('the first token', () => {
  // First in this file: the page has loaded no pdf.js yet.
  it('an unreachable token-url ends in token-failed, fires sv-error, and downloads no pdf.js', async () => {
    const id = await createScenario('sample');
    const el = await openViewer();
    const failed = oneEvent(el, 'sv-error');
    el.tokenUrl = 'http://127.0.0.1:9/no-token-here';
    el.src = contentUrl(id);
    const { detail } = await failed;
    expect(detail.code).to.equal('token-failed');
    expect(detail.message).to.match(/token endpoint/);
    expect(detail.message).to.contain('CORS');
    expect(el.state).to.equal('error');
    expect(pdfjsDownloads()).to.deep.equal([]);
    expect(contentRequests(await requestLog(id))).to.have.length(0);
  });

  it('a token-url that refuses names its status', async () => {
    const id = await createScenario('sample');
    const el = await openViewer();
    el.tokenUrl = `${backendUrl}/demo/session-token?doc=no-such-document`;
    el.src = contentUrl(id);
    await waitForState(el, ['error']);
    expect(el.error).to.deep.include({ code: 'token-failed', status: 404 });
  });

  it('a renewToken callback that fails for the first token is token-failed too, a later failure renewal-failed', async () => {
    const id = await createScenario('sample');
    const first = await openViewer();
    first.renewToken = () => Promise.reject(new Error('signed out'));
    first.src = contentUrl(id);
    await waitForState(first, ['error']);
    expect(first.error?.code).to.equal('token-failed');

    const later = await openViewer();
    later.renewToken = () => Promise.reject(new Error('signed out'));
    later.token = await mintToken(id, { ttl: -10 });
    later.src = contentUrl(id);
    await waitForState(later, ['error']);
    expect(later.error?.code).to.equal('renewal-failed');
  });

  it('with a token the document opens and pdf.js loads as before', async () => {
    const id = await createScenario('sample');
    const el = await openViewer({ token: await mintToken(id), src: contentUrl(id) });
    await waitForState(el, ['ready']);
    await renderedCanvas(el, 1);
    expect(pdfjsDownloads().length).to.be.greaterThan(0);
  });
});
