import { expect, oneEvent } from '@open-wc/testing';
import { contentRequests, contentUrl, createScenario, mintToken, requestLog } from './helpers/backend.ts';
import { openViewer, sleep } from './helpers/viewer.ts';

// A token minted for server-rendered pages only (render: "server") opens no PDF: the content route
// answers 403, and the element in PDF mode ends with `forbidden` after that one request, without
// asking the host for another token or trying again.
describe('a render-only token in PDF mode', () => {
  it('ends as forbidden after exactly one content request', async () => {
    const id = await createScenario('sample');
    const token = await mintToken(id, { render: 'server' });
    let renewals = 0;
    const el = await openViewer();
    el.renewToken = async () => {
      renewals++;
      return mintToken(id, { render: 'server' });
    };
    const failed = oneEvent(el, 'sv-error');
    el.token = token;
    el.src = contentUrl(id);
    const { detail } = await failed;
    expect(detail.code).to.equal('forbidden');
    expect(detail.status).to.equal(403);
    expect(el.state).to.equal('error');
    expect(JSON.stringify(detail)).not.to.include(token.split('.')[2]!);
    // Long enough for a retry or a renewal to have shown up.
    await sleep(1500);
    const requests = contentRequests(await requestLog(id));
    expect(requests).to.have.length(1);
    expect(requests[0]!.status).to.equal(403);
    expect(renewals).to.equal(0);
    expect(el.state).to.equal('error');
  });
});
