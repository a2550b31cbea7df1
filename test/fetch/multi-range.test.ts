// Many ranges in one request, against the reference backend and each way a server may answer:
// multipart parts, one merged part, the whole file (200), lying parts, a 401 in between.
import { expect } from '@open-wc/testing';
import { contentRequests, contentUrl, createScenario, mintToken, requestLog, sampleDocuments, type Faults } from '../helpers/backend.ts';
import { DocumentClient } from '../../src/fetch/document-client.ts';
import { openViewer, renderedCanvas, waitForState } from '../helpers/viewer.ts';

async function open(document: string, faults: Faults = {}, renew = false) {
  const id = await createScenario(document, faults);
  const el = await openViewer();
  if (renew) el.renewToken = () => mintToken(id);
  el.token = await mintToken(id);
  el.src = contentUrl(id);
  await waitForState(el, ['ready', 'error'], 30_000);
  const log = contentRequests(await requestLog(id));
  return { id, el, log, multi: log.filter((r) => (r.range ?? '').includes(',')) };
}

async function sizeOf(document: string): Promise<number> {
  return (await sampleDocuments()).find((d) => d.id === document)!.size;
}

/** A client for a scenario, probed as the viewer does, whose 401s are renewed with a fresh token. */
async function clientFor(document: string, faults: Faults = {}) {
  const id = await createScenario(document, faults);
  let token = await mintToken(id);
  const tokens = {
    token: () => Promise.resolve(token),
    renewAfterRejection: async () => (token = await mintToken(id)),
  };
  const client = new DocumentClient(contentUrl(id), tokens, { signal: new AbortController().signal });
  const probe = await client.probe(65_536);
  expect(probe.kind).to.equal('ranged');
  return { id, client };
}

/** Collects what fetchRanges hands out, by start. */
function collector() {
  const got = new Map<number, Uint8Array>();
  return { got, onRange: (begin: number, bytes: Uint8Array) => got.set(begin, bytes) };
}

const FAR: Array<readonly [number, number]> = [
  [100_000, 100_100],
  [2_000_000, 2_000_500],
  [4_000_000, 4_000_050],
];

describe('DocumentClient.fetchRanges against each server answer', () => {
  it('multipart: every range handed out with exactly its bytes, in one request', async () => {
    const { id, client } = await clientFor('long');
    const { got, onRange } = collector();
    const single = await clientFor('long');
    const result = await client.fetchRanges(FAR, onRange);
    expect(result).to.deep.equal({ answer: 'multipart', missing: [] });
    for (const [begin, end] of FAR) {
      const alone = await single.client.fetchRange(begin, end);
      expect([...got.get(begin)!]).to.deep.equal([...alone]);
    }
    const multi = contentRequests(await requestLog(id)).filter((r) => (r.range ?? '').includes(','));
    expect(multi.map((r) => r.status)).to.deep.equal([206]);
  });

  it('one merged part: taken when it is not much more than asked, otherwise left to single requests', async () => {
    const near = await clientFor('long', { multiRange: 'merge' });
    const { got, onRange } = collector();
    const close: Array<readonly [number, number]> = [
      [100_000, 100_100],
      [120_000, 120_100],
    ];
    expect(await near.client.fetchRanges(close, onRange)).to.deep.equal({ answer: 'multipart', missing: [] });
    expect(got.get(120_000)!.byteLength).to.equal(100);
    const far = await clientFor('long', { multiRange: 'merge' });
    const result = await far.client.fetchRanges(FAR, () => expect.fail('nothing handed out'));
    expect(result.answer).to.equal('single-only');
    expect(result.missing).to.have.length(3);
  });

  it('200: the body is dropped at once and every range is left to single requests', async () => {
    const size = await sizeOf('large');
    const { id, client } = await clientFor('large', { multiRange: 'ignore', bandwidth: 2_000_000 });
    const result = await client.fetchRanges(FAR, () => expect.fail('nothing handed out'));
    expect(result).to.deep.equal({ answer: 'single-only', missing: FAR.map(([b, e]) => [b, e]) });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const whole = contentRequests(await requestLog(id)).filter((r) => r.status === 200);
    expect(whole).to.have.length(1);
    expect(whole[0]!.bytes).to.be.lessThan(size / 4);
  });

  it('a part that lies about its range is invalid-document', async () => {
    const { client } = await clientFor('long', { multiRange: 'lie' });
    const error = await client.fetchRanges(FAR, () => {}).then(() => null, (e: { code?: string }) => e);
    expect(error?.code).to.equal('invalid-document');
  });

  it('a 401 renews once and asks again for what had not come', async () => {
    const { id, client } = await clientFor('long', { unauthorizedAfter: 1 });
    const { got, onRange } = collector();
    expect(await client.fetchRanges(FAR, onRange)).to.deep.equal({ answer: 'multipart', missing: [] });
    expect(got.size).to.equal(3);
    const statuses = contentRequests(await requestLog(id)).map((r) => r.status);
    expect(statuses).to.deep.equal([206, 401, 206]);
  });
});

describe('many ranges in one request', () => {
  it('opens a document whose pages pdf.js walks with batched requests, every answer a 206', async () => {
    const { el, log } = await open('long');
    expect(el.error).to.equal(null);
    await renderedCanvas(el, 1);
    expect(log.every((r) => r.status === 206)).to.equal(true);
    // The page-tree walk needs far more than six ranges: batches took them with fewer requests.
    expect(log.length).to.be.lessThan(40);
  });

  it('a server that answers 200 to several ranges costs one dropped answer, never the file', async () => {
    const size = await sizeOf('large');
    const { el, log, multi } = await open('large', { multiRange: 'ignore', bandwidth: 4_000_000 });
    expect(el.error).to.equal(null);
    await renderedCanvas(el, 1);
    // Only the first batch tries; after its 200 every range goes alone.
    expect(multi.length).to.be.at.most(1);
    const whole = log.filter((r) => r.status === 200);
    expect(whole.length).to.be.at.most(1);
    for (const answer of whole) expect(answer.bytes, 'the 200 was dropped early').to.be.lessThan(size / 4);
  });

  it('takes one merged part that covers the ranges, or falls back when it is far larger', async () => {
    const { el, log } = await open('long', { multiRange: 'merge' });
    expect(el.error).to.equal(null);
    await renderedCanvas(el, 1);
    expect(log.every((r) => r.status === 206)).to.equal(true);
  });

  it('a 401 between batches renews once and the load goes on', async () => {
    const { el, log } = await open('long', { unauthorizedAfter: 3 }, true);
    expect(el.error).to.equal(null);
    await renderedCanvas(el, 1);
    expect(log.filter((r) => r.status === 401).length).to.be.greaterThan(0);
    expect(new Set(log.map((r) => r.jti)).size).to.equal(2);
  });
});
