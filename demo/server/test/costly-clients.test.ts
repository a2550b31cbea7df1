// Requests that cost the server more than they should: a Range header built to make its parser
// work (long runs of spaces, many ranges, an overlong header), and readers who never read a body,
// which would keep the socket and the file open past every timeout. Loopback only, a bounded
// number of requests, each test bounded in time.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseRanges } from '../../../server/byte-ranges.ts';
import { parseRange } from '../../../server/range.ts';
import { content, mint, startTestBackend, type TestBackend } from './helpers.ts';

const HOSTILE_RANGE = `bytes=0-1${' '.repeat(15_000)}x`;

describe('a Range header that costs the server', () => {
  let t: TestBackend;
  let token: string;
  before(async () => {
    t = await startTestBackend();
    token = await mint(t.url, 'long');
  });
  after(() => t.close());

  it('reads a long run of spaces in time proportional to its length', { timeout: 5_000 }, () => {
    // Far beyond the header bound, so only the scanner's own cost is measured: a backtracking
    // parse of this takes seconds.
    const spaces = `bytes=0-1${' '.repeat(60_000)}x`;
    const unbounded = { maxHeaderLength: Number.POSITIVE_INFINITY, maxRanges: 64, mergeGap: 256 };
    const started = performance.now();
    assert.deepEqual(parseRanges(spaces, 10_000, unbounded), { kind: 'full' });
    assert.deepEqual(parseRanges(`bytes=0-1,${' '.repeat(60_000)}2-3`, 10_000, unbounded), { kind: 'partial', ranges: [{ start: 0, end: 3 }] });
    assert.ok(performance.now() - started < 500, `${(performance.now() - started).toFixed(0)} ms`);
  });

  it('refuses a header over 2 KiB with 416 at once, in both range readers', async () => {
    assert.deepEqual(parseRanges(HOSTILE_RANGE, 10_000), { kind: 'unsatisfiable' });
    assert.deepEqual(parseRange(HOSTILE_RANGE, 10_000), { kind: 'unsatisfiable' });
    // Just under the bound, the same spaces are read as what they are: a malformed set (200).
    const within = `bytes=0-1${' '.repeat(2048 - 10)}x`;
    assert.equal(within.length, 2048);
    assert.deepEqual(parseRanges(within, 10_000), { kind: 'full' });

    const response = await content(t.url, 'long', token, { Range: HOSTILE_RANGE });
    assert.equal(response.status, 416);
    const size = Number(/\/(\d+)$/.exec((await content(t.url, 'long', token, { Range: 'bytes=0-0' })).headers.get('content-range') ?? '')?.[1]);
    assert.equal(response.headers.get('content-range'), `bytes */${size}`);
    assert.equal((await response.json() as { error: { code: string } }).error.code, 'range_not_satisfiable');
  });

  it('refuses a list of valid ranges longer than 2 KiB, and more than 64 ranges, with 416', async () => {
    const long = `bytes=${Array.from({ length: 60 }, (_, i) => `${i * 1000}-${i * 1000 + 9}`.padStart(40, ' ')).join(',')}`;
    assert.ok(long.length > 2048);
    const many = `bytes=${Array.from({ length: 65 }, (_, i) => `${i * 100}-${i * 100 + 9}`).join(',')}`;
    for (const range of [long, many]) {
      const response = await content(t.url, 'long', token, { Range: range });
      assert.equal(response.status, 416, range.slice(0, 40));
      await response.arrayBuffer();
    }
  });
});
