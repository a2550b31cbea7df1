import { expect } from '@open-wc/testing';
import { RangePlanner } from '../../src/fetch/range-planner.ts';

const K = 65_536;

function drain(planner: RangePlanner): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let next = planner.next(); next; next = planner.next()) out.push([next[0] / K, next[1] / K]);
  return out;
}

describe('RangePlanner', () => {
  it('keeps far-apart ranges separate, so well-laid-out files still load on demand', () => {
    const planner = new RangePlanner({ chunkSize: K, total: 1000 * K });
    planner.markFetched(0, K);
    planner.request(500 * K, 501 * K);
    planner.request(900 * K, 902 * K);
    expect(drain(planner)).to.deep.equal([
      [500, 501],
      [900, 902],
    ]);
  });

  it('merges ranges queued close together into one request', () => {
    const planner = new RangePlanner({ chunkSize: K, total: 1000 * K });
    planner.markFetched(0, K);
    for (const c of [10, 12, 13, 15, 40]) planner.request(c * K, (c + 1) * K);
    expect(drain(planner)).to.deep.equal([
      [10, 16],
      [40, 41],
    ]);
  });

  it('reads ahead more and more while pdf.js reads on sequentially', () => {
    const planner = new RangePlanner({ chunkSize: K, total: 1000 * K });
    planner.markFetched(0, K);
    planner.request(K, 2 * K);
    const first = planner.next()!;
    expect(first).to.deep.equal([K, 4 * K]);
    planner.request(4 * K, 5 * K);
    expect(planner.next()).to.deep.equal([4 * K, 9 * K]);
    planner.request(9 * K, 10 * K);
    expect(planner.next()).to.deep.equal([9 * K, 18 * K]);
  });

  it('never fetches a chunk twice, and ends at the file end', () => {
    const total = 20 * K + 123;
    const planner = new RangePlanner({ chunkSize: K, total });
    planner.markFetched(0, K);
    planner.request(K, 2 * K);
    const ahead = planner.next()!;
    planner.request(2 * K, 3 * K);
    expect(planner.next()).to.equal(null);
    planner.request(19 * K, total);
    expect(planner.next()).to.deep.equal([19 * K, total]);
    expect(ahead[1]).to.be.at.most(total);
  });

  it('answers from the first byte pdf.js asked for, even around a chunk already covered', () => {
    // pdf.js matches an answer to its request by the first byte; bytes starting anywhere else
    // would have no request to go to.
    const planner = new RangePlanner({ chunkSize: K, total: 100 * K, mergeGap: 0 });
    planner.markFetched(0, K);
    planner.markFetched(5 * K, 6 * K);
    planner.request(50 * K, 51 * K);
    planner.next();
    planner.request(3 * K, 8 * K);
    expect(drain(planner)).to.deep.equal([[3, 8]]);
  });

  it('fetches nothing for a request whose chunks are all covered', () => {
    const planner = new RangePlanner({ chunkSize: K, total: 100 * K, mergeGap: 0 });
    planner.markFetched(0, 10 * K);
    planner.request(3 * K, 8 * K);
    expect(drain(planner)).to.deep.equal([]);
  });

  it('reads a request for less than the smallest request on to it, up to what is covered', () => {
    const small = 512;
    const planner = new RangePlanner({ chunkSize: small, total: 1000 * small, minRequestBytes: 4 * small });
    planner.markFetched(0, small);
    planner.markComing(102 * small, 103 * small);
    planner.request(50 * small, 51 * small);
    planner.request(100 * small, 101 * small);
    planner.request(998 * small, 999 * small);
    const out: Array<[number, number]> = [];
    for (let next = planner.next(); next; next = planner.next()) out.push([next[0] / small, next[1] / small]);
    // On to four chunks; stopping before a chunk on its way, and at the file end.
    expect(out).to.deep.equal([
      [50, 54],
      [100, 102],
      [998, 1000],
    ]);
  });

  it('caps a request at the maximum size', () => {
    const planner = new RangePlanner({ chunkSize: K, total: 1000 * K, maxRequestBytes: 8 * K });
    for (let c = 100; c < 120; c++) planner.request(c * K, (c + 1) * K);
    const requests = drain(planner);
    expect(requests.every(([b, e]) => e - b <= 8)).to.equal(true);
    for (let c = 100; c < 120; c++) expect(requests.some(([b, e]) => b <= c && c < e), `chunk ${c}`).to.equal(true);
    // Each chunk once.
    const chunks = requests.flatMap(([b, e]) => Array.from({ length: e - b }, (_, i) => b + i));
    expect(new Set(chunks).size).to.equal(chunks.length);
  });
});

describe('RangePlanner: what is queued', () => {
  it('tells the missing parts of the queued requests, merged, and the stretch they lie in', () => {
    const planner = new RangePlanner({ chunkSize: K, total: 1000 * K });
    planner.markFetched(0, K);
    planner.markFetched(20 * K, 22 * K);
    for (const c of [30, 21, 10, 11]) planner.request(c * K, (c + 1) * K);
    planner.request(19 * K, 23 * K);
    expect(planner.queuedMissing().map(([b, e]) => [b / K, e / K])).to.deep.equal([
      [10, 12],
      [19, 20],
      [22, 23],
      [30, 31],
    ]);
    expect(planner.queuedExtent()!.map((x) => x / K)).to.deep.equal([10, 31]);
    expect(planner.missingBytes(10 * K, 31 * K) / K).to.equal(19);
  });

  it('hands the queue over whole and counts chunks another read brings as on their way', () => {
    const planner = new RangePlanner({ chunkSize: K, total: 1000 * K });
    planner.markFetched(0, K);
    planner.request(10 * K, 11 * K);
    planner.request(40 * K, 41 * K);
    expect(planner.takeQueue()).to.deep.equal([
      [10 * K, 11 * K],
      [40 * K, 41 * K],
    ]);
    expect(planner.queuedExtent()).to.equal(null);
    planner.markComing(10 * K, 50 * K);
    planner.request(12 * K, 13 * K);
    expect(drain(planner)).to.deep.equal([]);
    // Chunks coming from another read are no place to read on from: no read-ahead after them.
    planner.forget(10 * K, 50 * K);
    planner.request(50 * K, 51 * K);
    expect(drain(planner)).to.deep.equal([[50, 51]]);
  });
});
