// Requests that cost the server more than they should: a Range header built to make its parser
// work (long runs of spaces, many ranges, an overlong header), and readers who never read a body,
// which would keep the socket and the file open past every timeout. Loopback only, a bounded
// number of requests, each test bounded in time.
import assert from 'node:assert/strict';
import { readdir, readlink } from 'node:fs/promises';
import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { parseRanges } from '../../../server/byte-ranges.ts';
import { parseRange } from '../../../server/range.ts';
import { content, mint, requestFrom, startTestBackend, type TestBackend } from './helpers.ts';

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

/** A GET of the whole `large` document whose body is never read: the response is paused at its head. */
function stalledDownload(url: string, token: string, localAddress = '127.0.0.1'): Promise<{ req: ClientRequest; res: IncomingMessage }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path: '/api/documents/large/content', headers: { Authorization: `Bearer ${token}` }, localAddress, agent: false }, (res) => {
      res.pause();
      resolve({ req, res });
    });
    req.once('error', reject);
    req.end();
  });
}

/** Descriptors of this process open on the stored `large` document. */
async function openDescriptorsOf(dataDir: string): Promise<number> {
  let count = 0;
  for (const fd of await readdir('/proc/self/fd')) {
    const target = await readlink(`/proc/self/fd/${fd}`).catch(() => '');
    if (target.startsWith(dataDir) && target.endsWith('large.pdf')) count++;
  }
  return count;
}

async function waitFor(condition: () => Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return condition();
}

describe('a reader who never reads', () => {
  it('is cut off after the idle time, socket and file closed', { timeout: 20_000 }, async () => {
    const t = await startTestBackend({ limits: { bodyIdleTimeoutMs: 500 } });
    try {
      const token = await mint(t.url, 'large');
      const stalled = await stalledDownload(t.url, token);
      assert.equal(stalled.res.statusCode, 200);
      assert.equal(await openDescriptorsOf(t.dataDir), 1, 'the file is open while the body is sent');
      // Well under any request timeout: the idle time after the socket buffers filled.
      assert.ok(await waitFor(async () => (await openDescriptorsOf(t.dataDir)) === 0, 8_000), 'the file is closed');
      // The client, reading again, finds the body broken off: the server closed the connection.
      const announced = Number(stalled.res.headers['content-length']);
      let received = 0;
      stalled.res.on('data', (chunk: Buffer) => (received += chunk.length));
      await new Promise<void>((resolve) => {
        stalled.res.once('close', () => resolve());
        stalled.res.resume();
      });
      assert.ok(received < announced, `${received} of ${announced} bytes`);
      // A reader who reads is not cut off.
      const whole = await content(t.url, 'large', token);
      assert.equal(whole.status, 200);
      assert.equal((await whole.arrayBuffer()).byteLength, Number(whole.headers.get('content-length')));
    } finally {
      await t.close();
    }
  });

  it('may hold only so many bodies per token and per client address; more get 503 with Retry-After', { timeout: 15_000 }, async () => {
    const t = await startTestBackend({ limits: { streamsPerToken: 2, streamsPerClient: 3 } });
    const open: ClientRequest[] = [];
    try {
      const [first, second, third] = [await mint(t.url, 'large'), await mint(t.url, 'large'), await mint(t.url, 'large')];
      for (const token of [first, first]) open.push((await stalledDownload(t.url, token)).req);
      // The token's third body is refused, with nothing opened; another token still gets its own.
      const refused = await content(t.url, 'large', first, { Range: 'bytes=0-99' });
      assert.equal(refused.status, 503);
      assert.equal(refused.headers.get('retry-after'), '1');
      assert.equal((await refused.json() as { error: { code: string } }).error.code, 'too_many_streams');
      assert.equal(await openDescriptorsOf(t.dataDir), 2);
      open.push((await stalledDownload(t.url, second)).req);
      // The address has three open now: a fourth, with a fresh token, is refused; another address is not.
      const crowded = await content(t.url, 'large', third, { Range: 'bytes=0-99' });
      assert.equal(crowded.status, 503);
      await crowded.arrayBuffer();
      const elsewhere = await requestFrom(t.url, '127.0.0.2', 'GET', '/api/documents/large/content', { Authorization: `Bearer ${third}`, Range: 'bytes=0-99' });
      assert.equal(elsewhere.status, 206);
      // Once a stalled reader goes, its place is free again.
      open.shift()!.destroy();
      assert.ok(
        await waitFor(async () => {
          const response = await content(t.url, 'large', first, { Range: 'bytes=0-99' });
          await response.arrayBuffer();
          return response.status === 206;
        }, 3_000),
      );
    } finally {
      for (const req of open) req.destroy();
      await t.close();
    }
  });
});
