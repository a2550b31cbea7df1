// Many ranges in one request, against the reference backend and each way a server may answer:
// multipart parts, one merged part, the whole file (200), lying parts, a 401 in between.
import { expect } from '@open-wc/testing';
import { contentRequests, contentUrl, createScenario, mintToken, requestLog, sampleDocuments, setFaults, type Faults } from '../helpers/backend.ts';
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

  it('416 to too many ranges from a server that served several: half as many a request from then on, every range handed out', async () => {
    const size = await sizeOf('long');
    const { id, client } = await clientFor('long', { maxRanges: 4 });
    const single = await clientFor('long');
    const step = Math.floor(size / 12);
    const ten = Array.from({ length: 10 }, (_, i) => [(i + 1) * step, (i + 1) * step + 100] as const);
    const { got, onRange } = collector();
    // Two ranges taken: the server serves several.
    expect(await client.fetchRanges(ten.slice(0, 2), () => {})).to.deep.equal({ answer: 'multipart', missing: [] });
    expect(await client.fetchRanges(ten, onRange)).to.deep.equal({ answer: 'multipart', missing: [] });
    expect(client.multiRange).to.equal('yes');
    for (const [begin, end] of ten) expect([...got.get(begin)!]).to.deep.equal([...(await single.client.fetchRange(begin, end))]);
    const multi = contentRequests(await requestLog(id)).filter((r) => (r.range ?? '').includes(','));
    // The trial of two, 10 refused, 5 refused, then five requests of two.
    expect(multi.map((r) => [r.status, r.range!.split(',').length])).to.deep.equal([
      [206, 2],
      [416, 10],
      [416, 5],
      [206, 2],
      [206, 2],
      [206, 2],
      [206, 2],
      [206, 2],
    ]);
    // What was learnt holds for the next call: no request over the cap.
    const again = ten.map(([begin, end]) => [begin + 1000, end + 1000] as const);
    await client.fetchRanges(again, () => {});
    const later = contentRequests(await requestLog(id)).slice(multi.length + 1);
    expect(later.map((r) => [r.status, r.range!.split(',').length])).to.deep.equal(Array(5).fill([206, 2]));
  });

  it('a server that refuses its first request for several ranges with 416 is asked one range at a time', async () => {
    const { id, client } = await clientFor('long', { maxRanges: 1 });
    const result = await client.fetchRanges(FAR, () => expect.fail('nothing handed out'));
    expect(result).to.deep.equal({ answer: 'single-only', missing: FAR.map(([b, e]) => [b, e]) });
    expect(client.multiRange).to.equal('no');
    const log = contentRequests(await requestLog(id));
    // Three refused: one at a time from then on, after one refusal.
    expect(log.map((r) => [r.status, r.range!.split(',').length])).to.deep.equal([
      [206, 1],
      [416, 3],
    ]);
  });

  it('answers that break off again and again, each bringing ranges, go on until every range came', async () => {
    const { id, client } = await clientFor('long');
    const single = await clientFor('long');
    // From now on every answer breaks off after 5000 bytes of its parts: three parts of 1500.
    await setFaults(id, { resetAfterBytes: 5_000 });
    const size = await sizeOf('long');
    const step = Math.floor(size / 12);
    const ten = Array.from({ length: 10 }, (_, i) => [(i + 1) * step, (i + 1) * step + 1_500] as const);
    const { got, onRange } = collector();
    expect(await client.fetchRanges(ten, onRange)).to.deep.equal({ answer: 'multipart', missing: [] });
    for (const [begin, end] of ten) expect([...got.get(begin)!]).to.deep.equal([...(await single.client.fetchRange(begin, end))]);
    // Each answer asked only for what the ones before had not brought (10, 7, 4, 1 ranges), more
    // answers than one request's retries allow.
    const asked = contentRequests(await requestLog(id))
      .filter((r) => r.range !== null && r.range !== 'bytes=0-65535')
      .map((r) => r.range!.split(',').length);
    expect(asked[0]).to.equal(10);
    expect(asked.length).to.be.greaterThan(3);
    for (let i = 1; i < asked.length; i++) expect(asked[i]).to.be.at.most(asked[i - 1]!);
  });

  it('a trial that fails leaves the next request to try, and no call waits for ever', async () => {
    const { id, client } = await clientFor('long', { status: 500, after: 1 });
    const second = FAR.map(([begin, end]) => [begin + 10_000, end + 10_000] as const);
    const outcomes = await Promise.all(
      [FAR, second].map((ranges) => client.fetchRanges(ranges, () => {}).then(() => 'answered', (e: { code?: string }) => e.code)),
    );
    expect(outcomes).to.deep.equal(['server', 'server']);
    expect(client.multiRange).to.equal('untried');
    // One after the other, each its own trial.
    const multi = contentRequests(await requestLog(id)).filter((r) => (r.range ?? '').includes(','));
    expect(multi.map((r) => r.status)).to.deep.equal([500, 500]);
  });

  it('one request at a time tries a server whose answer to several ranges is not known', async () => {
    const { id, client } = await clientFor('large', { multiRange: 'ignore', bandwidth: 2_000_000 });
    const second = FAR.map(([begin, end]) => [begin + 10_000, end + 10_000] as const);
    const answers: string[] = [];
    const results = await Promise.all([
      client.fetchRanges(FAR, () => expect.fail('nothing handed out'), (answer) => answers.push(answer)),
      client.fetchRanges(second, () => expect.fail('nothing handed out'), (answer) => answers.push(answer)),
    ]);
    expect(results.map((r) => r.answer)).to.deep.equal(['single-only', 'single-only']);
    expect(results[1]!.missing).to.deep.equal(second.map(([b, e]) => [b, e]));
    expect(answers).to.deep.equal(['single-only', 'single-only']);
    // The second waited for the first's 200 and sent nothing.
    const statuses = contentRequests(await requestLog(id)).map((r) => r.status);
    expect(statuses).to.deep.equal([206, 200]);
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

  it('a server that refuses the first request for several ranges with 416: one refusal, then one range a request', async () => {
    const { el, log, multi } = await open('long', { maxRanges: 16 });
    expect(el.error).to.equal(null);
    await renderedCanvas(el, 1);
    // The trial refused: never another request for several ranges, and never the whole file.
    expect(log.filter((r) => r.status === 416).length).to.equal(1);
    expect(multi).to.have.length(1);
    expect(log.some((r) => r.status === 200)).to.equal(false);
  });
});
