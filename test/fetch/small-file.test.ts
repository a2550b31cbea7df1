// A file small enough to read whole (up to 4 MiB) is read in the requests that start every load;
// when that read breaks off, the load goes on by ranges.
import { expect } from '@open-wc/testing';
import { contentRequests, contentUrl, createScenario, mintToken, requestLog, sampleDocuments, type Faults } from '../helpers/backend.ts';
import { openViewer, renderedCanvas, waitForState } from '../helpers/viewer.ts';

async function open(document: string, faults: Faults = {}) {
  const id = await createScenario(document, faults);
  const el = await openViewer();
  el.token = await mintToken(id);
  el.src = contentUrl(id);
  await waitForState(el, ['ready', 'error'], 30_000);
  return { id, el, log: contentRequests(await requestLog(id)) };
}

describe('small files', () => {
  it('are read whole in the first three requests, each byte once', async () => {
    const size = (await sampleDocuments()).find((d) => d.id === 'pages-1000')!.size;
    expect(size, 'a file larger than the first requests alone, smaller than 4 MiB').to.be.within(400_000, 4_194_304);
    const { id, el, log } = await open('pages-1000', { latency: 30 });
    expect(el.error).to.equal(null);
    await renderedCanvas(el, 1);
    el.page = 900;
    await renderedCanvas(el, 900);
    // Page 900 too came from memory: nothing was asked after the first three.
    const after = contentRequests(await requestLog(id));
    expect(after.map((r) => r.status)).to.deep.equal([206, 206, 206]);
    expect(after.reduce((sum, r) => sum + r.bytes, 0)).to.equal(size);
    expect(log).to.have.length(3);
  });

  it('load by ranges when the whole read breaks off', async () => {
    const { el, log } = await open('pages-1000', { resetAfterBytes: 200_000 });
    expect(el.error).to.equal(null);
    await renderedCanvas(el, 1);
    expect(log.length).to.be.greaterThan(3);
    expect(log.every((r) => r.status === 206)).to.equal(true);
  });
});
