// The cost model that chooses, on a server that serves one range per request, between one request
// a range and one streamed read through them all.
import { expect } from '@open-wc/testing';
import { cheaperToStream, estimateLink, streamBeatsWalk, type Link } from '../../src/fetch/link-estimate.ts';

const http1: Link = { rttMs: 40, bytesPerMs: 4_000, parallel: 4 };
const http2: Link = { ...http1, parallel: 24 };

/** `count` ranges of `size` bytes, `step` bytes apart. */
const spread = (count: number, size: number, step: number) => Array.from({ length: count }, (_, i) => [i * step, i * step + size] as const);

describe('cheaperToStream', () => {
  it('streams through thousands of small objects spread over a few MB: their round trips cost more than the bytes between', () => {
    // 2,300 page objects over 10 MB: 575 round trips (23 s) against 2.5 s of stream.
    expect(cheaperToStream(spread(2_300, 1_024, 4_600), http1)).to.equal(true);
  });

  it('walks a few hundred objects spread over 25 MB, sooner one request each than through the file', () => {
    // 400 page objects, 60 KB apart: 100 round trips (4 s) against 6 s of stream.
    expect(cheaperToStream(spread(400, 1_024, 61_000), http1)).to.equal(false);
  });

  it('counts the requests that go out at once: over HTTP/2 the same walk of 2,300 costs less than the stream', () => {
    expect(cheaperToStream(spread(2_300, 1_024, 9_000), http1)).to.equal(true);
    expect(cheaperToStream(spread(2_300, 1_024, 9_000), http2)).to.equal(false);
  });

  it('streams on a fast link and walks on a slow one, the file being the same', () => {
    const ranges = spread(500, 1_024, 9_000);
    expect(cheaperToStream(ranges, { ...http1, bytesPerMs: 40_000 })).to.equal(true);
    expect(cheaperToStream(ranges, { ...http1, bytesPerMs: 400 })).to.equal(false);
  });

  it('never streams for one range', () => {
    expect(cheaperToStream(spread(1, 1_024, 0), http1)).to.equal(false);
    expect(cheaperToStream([], http1)).to.equal(false);
  });
});

describe('streamBeatsWalk', () => {
  it('chooses before the places are known, from how many objects a walk would fetch and the bytes a stream would read', () => {
    // 2,415 kids of a flat tree through 9.5 MB: 604 round trips (24 s) against 2.4 s of stream.
    expect(streamBeatsWalk(2_415, 2_415 * 1_024, 9_500_000, http1)).to.equal(true);
    // 400 kids through 25 MB: 100 round trips (4 s) against 6 s of stream.
    expect(streamBeatsWalk(400, 400 * 1_024, 25_000_000, http1)).to.equal(false);
    // Over HTTP/2 the walk of 2,415 costs 101 round trips: still more than 2.4 s of stream, not more than 6 s.
    expect(streamBeatsWalk(2_415, 2_415 * 1_024, 9_500_000, http2)).to.equal(true);
    expect(streamBeatsWalk(2_415, 2_415 * 1_024, 25_000_000, http2)).to.equal(false);
    expect(streamBeatsWalk(1, 1_024, 1_000, http1)).to.equal(false);
  });
});

describe('estimateLink', () => {
  it('has no measure without a round trip and a rate', () => {
    expect(estimateLink('https://documents.invalid/none.pdf', 40, 0)).to.equal(null);
    expect(estimateLink('https://documents.invalid/none.pdf', 0, 4_000)).to.equal(null);
  });

  it('takes HTTP/1.1’s parallel requests where Resource Timing does not tell the protocol', () => {
    expect(estimateLink('https://documents.invalid/none.pdf', 40, 4_000)).to.deep.equal({ rttMs: 40, bytesPerMs: 4_000, parallel: 4 });
  });

  it('reads the protocol of the latest request for the address', async () => {
    const url = new URL('/test/fetch/link-estimate.test.ts', location.href).href;
    await (await fetch(url, { cache: 'no-store' })).arrayBuffer();
    const entry = performance.getEntriesByName(url, 'resource').at(-1) as PerformanceResourceTiming | undefined;
    const link = estimateLink(url, 5, 1_000)!;
    expect(link.parallel).to.equal(entry?.nextHopProtocol === 'h2' ? 24 : 4);
  });
});
