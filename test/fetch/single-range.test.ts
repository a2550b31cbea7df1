// A flat page tree of 500 pages spread through 4.4 MB, on a server that serves one range per
// request (several answered with 200, or refused with 416), against the reference backend.
import { expect } from '@open-wc/testing';
import { contentRequests, contentUrl, createScenario, mintToken, requestLog, sampleDocuments, type Faults, type LoggedRequest } from '../helpers/backend.ts';
import { openViewer, renderedCanvas, waitForState } from '../helpers/viewer.ts';

async function openLong(faults: Faults, document = 'long'): Promise<{ size: number; log: LoggedRequest[] }> {
  const size = (await sampleDocuments()).find((d) => d.id === document)!.size;
  expect(size, 'loaded by ranges, not read whole').to.be.greaterThan(4_194_304);
  const id = await createScenario(document, faults);
  const el = await openViewer();
  el.token = await mintToken(id);
  el.src = contentUrl(id);
  await waitForState(el, ['ready', 'error'], 30_000);
  expect(el.error).to.equal(null);
  await renderedCanvas(el, 1);
  return { size, log: contentRequests(await requestLog(id)) };
}

/** The one range a request asked for, as [begin, end). */
function span(request: LoggedRequest): [number, number] {
  const [begin, last] = (request.range ?? '').replace('bytes=', '').split('-').map(Number) as [number, number];
  return [begin, last + 1];
}

const total = (log: LoggedRequest[]) => log.reduce((sum, r) => sum + r.bytes, 0);
const lines = (log: LoggedRequest[]) => log.map((r) => `${r.at} ${r.status} ${r.range} ${r.bytes}`).join('\n');

describe('a flat page tree on a server that serves one range per request', () => {
  // The test server builds each module on first request; the build ships the read ahead as one
  // small chunk. Loaded once before, it starts as it would from the build.
  before(async () => {
    await import('../../src/fetch/page-tree/page-tree-ahead.ts');
    await import('../../src/fetch/multi-range/ranges-request.ts');
  });

  it('several answered with 200, a fast link: one refusal, then one stream through the page objects; no more bytes than the file', async () => {
    const { size, log } = await openLong({ multiRange: 'ignore', bandwidth: 4_000_000, latency: 20 });
    const several = log.filter((r) => (r.range ?? '').includes(','));
    expect(several, 'tried once').to.have.length(1);
    expect(several[0]!.status).to.equal(200);
    const singles = log.filter((r) => r !== several[0]);
    expect(singles.every((r) => r.status === 206)).to.equal(true);
    // Walking the ~480 kids not in hand would cost ~120 round trips; the stream costs its bytes.
    const streams = singles.filter((r) => span(r)[1] - span(r)[0] > size / 2);
    expect(streams, lines(log)).to.have.length(1);
    // First bytes, end, front, the refusal, the stream, page 1: about ten. When pdf.js asks before
    // the refusal has come, the front gives way and its few dozen page objects come one each.
    expect(log.length, lines(log)).to.be.at.most(64);
    // The refused answer's body is dropped at once (what the server sent before that is counted
    // apart); what was asked for adds up to no more than the file.
    expect(several[0]!.bytes).to.be.lessThan(size / 4);
    expect(total(singles), lines(log)).to.be.at.most(size);
  });

  it('several refused with 416, a slow link: one refusal, then every page object one request each, none twice', async () => {
    const { size, log } = await openLong({ maxRanges: 1, bandwidth: 250_000, latency: 10 });
    const several = log.filter((r) => (r.range ?? '').includes(','));
    // The first request for several ranges is refused: none is sent again in this load.
    expect(several).to.have.length(1);
    expect(several[0]!.status).to.equal(416);
    const singles = log.filter((r) => !several.includes(r));
    expect(singles.every((r) => r.status === 206)).to.equal(true);
    // Through 4.4 MB at 250 kB/s the stream would take 17 s: the page objects go one per request.
    expect(singles.some((r) => span(r)[1] - span(r)[0] > size / 2), `no stream through the file\n${lines(log)}`).to.equal(false);
    const small = singles.filter((r) => span(r)[1] - span(r)[0] <= 8_192 + 512);
    expect(small.length, 'the kids not in hand').to.be.within(400, 520);
    const spans = small.map(span).sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < spans.length; i++) expect(spans[i]![0], 'no byte asked twice').to.be.at.least(spans[i - 1]![1]);
    expect(total(log)).to.be.lessThan(size / 2);
  });
});

describe('a flat page tree of many kids on a server that serves one range per request: the stream sets out with the end of the file', () => {
  before(async () => {
    await import('../../src/fetch/page-tree/page-tree-ahead.ts');
    await import('../../src/fetch/multi-range/ranges-request.ts');
  });

  // A round trip long enough to tell one from two on a loaded machine.
  const LATENCY = 500;
  const specs = (request: LoggedRequest) => (request.range ?? '').replace('bytes=', '').split(',').map((spec) => spec.split('-').map(Number));

  for (const [label, faults, status] of [
    ['several answered with 200', { multiRange: 'ignore', bandwidth: 4_000_000, latency: LATENCY }, 200],
    ['several refused with 416', { maxRanges: 1, bandwidth: 4_000_000, latency: LATENCY }, 416],
  ] as const) {
    it(`${label}: one question, sent with the end of the file; the stream from the front's end to the end of the file in hand a round trip later; no byte twice, no more than the file`, async () => {
      const { size, log } = await openLong(faults);
      const several = log.filter((r) => (r.range ?? '').includes(','));
      expect(several, lines(log)).to.have.length(1);
      const question = several[0]!;
      expect(question.status).to.equal(status);
      // Single bytes of the first 64 KiB, which the first request brought: the question costs no
      // byte of the file on these servers but what a 200 sent before it was dropped.
      expect(specs(question).every(([begin, last]) => begin === last && last! < 65_536)).to.equal(true);
      expect(question.bytes).to.be.lessThan(size / 4);
      const singles = log.filter((r) => r !== question);
      expect(singles.every((r) => r.status === 206), lines(log)).to.equal(true);
      const end = singles.find((r) => span(r)[1] === size)!;
      const front = singles.find((r) => span(r)[0] === 65_536)!;
      expect(question.at - end.at, `asked with the end of the file\n${lines(log)}`).to.be.lessThan(LATENCY / 2);
      const streams = singles.filter((r) => span(r)[1] - span(r)[0] > size / 2);
      expect(streams, lines(log)).to.have.length(1);
      const stream = streams[0]!;
      expect(span(stream), 'from where the front ends to where the end of the file in hand begins').to.deep.equal([span(front)[1], span(end)[0]]);
      // Out once the end of the file and the answer were here, a round trip after they went out;
      // not after a question of its own, a round trip later still.
      expect(stream.at - end.at, lines(log)).to.be.lessThan(1.5 * LATENCY);
      const spans = singles.map(span).sort((a, b) => a[0] - b[0]);
      for (let i = 1; i < spans.length; i++) expect(spans[i]![0], `no byte asked twice\n${lines(log)}`).to.be.at.least(spans[i - 1]![1]);
      expect(total(singles), lines(log)).to.be.at.most(size);
      // The first bytes, the end, the front, the question, the stream, and a few of pdf.js's own.
      expect(log.length, lines(log)).to.be.at.most(10);
    });
  }
});

describe('a document with object streams on a server that serves one range per request', () => {
  before(async () => {
    await import('../../src/fetch/page-tree/page-tree-ahead.ts');
    await import('../../src/fetch/multi-range/ranges-request.ts');
  });

  // 500 pages, every dictionary (the page tree, page objects, the catalog) in object streams at the
  // end and a cross-reference stream: what the end of the file holds is read from memory, the
  // first page's contents come with the front, and nothing is asked for one range at a time.
  for (const [label, faults] of [
    ['several answered with 200', { multiRange: 'ignore', bandwidth: 4_000_000, latency: 20 }],
    ['several refused with 416', { maxRanges: 1, bandwidth: 4_000_000, latency: 20 }],
  ] as const) {
    it(`${label}: the first bytes, the end, the front and little else; no range twice, a fraction of the file`, async () => {
      const { size, log } = await openLong(faults, 'long-objstm');
      const several = log.filter((r) => (r.range ?? '').includes(','));
      expect(several.length, lines(log)).to.be.at.most(1);
      const singles = log.filter((r) => !several.includes(r));
      expect(singles.every((r) => r.status === 206)).to.equal(true);
      expect(singles.length, lines(log)).to.be.at.most(6);
      const spans = singles.map(span).sort((a, b) => a[0] - b[0]);
      for (let i = 1; i < spans.length; i++) expect(spans[i]![0], `no byte asked twice\n${lines(log)}`).to.be.at.least(spans[i - 1]![1]);
      expect(total(singles), lines(log)).to.be.lessThan(size / 4);
    });
  }
});
