// The accountability log through the library: what left the server (pages whose content was
// served per token id, bytes, first and last time) and the reader events the element posts, in
// the in-process store and in Redis.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PDFDocument } from 'pdf-lib';
import { startRedis, type TestRedis } from '../../demo/server/test/redis-server.ts';
import {
  MAX_ANALYTICS_BATCH,
  createMemoryStore,
  createRedisStore,
  createSecureViewerServer,
  etagFor,
  generateSigningKeys,
  readPageMap,
  type HostedDocument,
  type PageMap,
  type SecureViewerServer,
  type SharedStore,
} from '../index.ts';

const client = { key: 'test-client', https: false };

let dir: string;
let file: string;
let pdf: Buffer;
let map: PageMap;
let redis: TestRedis;

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'sv-accountability-'));
  const doc = await PDFDocument.create({ updateMetadata: false });
  for (let i = 0; i < 4; i++) doc.addPage([300, 300]).drawText(`page ${i + 1}`, { x: 20, y: 150 });
  pdf = Buffer.from(await doc.save({ useObjectStreams: false }));
  file = path.join(dir, 'report.pdf');
  await writeFile(file, pdf);
  map = (await readPageMap(async (start, end) => pdf.subarray(start, end + 1), pdf.length))!;
  redis = await startRedis();
});

after(async () => {
  await redis.stop();
  await rm(dir, { recursive: true, force: true });
});

function spanOf(page: number): { start: number; end: number } {
  const span = map.spans.find((s) => s.page === page);
  assert.ok(span, `page ${page} has a content stream`);
  return span;
}

for (const kind of ['memory', 'redis'] as const) {
  describe(`accountability log (${kind} store)`, () => {
    let store: SharedStore;
    let viewer: SecureViewerServer;
    let hosted: HostedDocument;

    before(async () => {
      store =
        kind === 'memory'
          ? await createMemoryStore({ dataDir: path.join(dir, 'data') })
          : await createRedisStore({ url: redis.url, prefix: `sv-test-${Date.now()}:` });
      hosted = { title: 'Report', size: pdf.length, etag: etagFor(pdf), source: file, permissions: ['read'] };
      viewer = createSecureViewerServer({ store, keys: await generateSigningKeys(), documents: async (id) => (id === 'report' ? hosted : null) });
    });

    after(() => store.close());

    async function fetchRange(token: string, range: string): Promise<number> {
      const request = new Request('http://viewer.test/api/documents/report/content', { headers: { Authorization: `Bearer ${token}`, Range: range } });
      const response = (await viewer.handle(request, client))!;
      await response.arrayBuffer();
      return response.status;
    }

    function postEvents(token: string | null, body: unknown, id = 'report'): Promise<Response> {
      const headers: Record<string, string> = { 'Content-Type': 'application/json' };
      if (token) headers['Authorization'] = `Bearer ${token}`;
      const request = new Request(`http://viewer.test/api/documents/${id}/events`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
      return viewer.handle(request, client) as Promise<Response>;
    }

    it('records per token id the pages whose content was served, the bytes, first and last time', async () => {
      const reader = await viewer.tokens.issue({ doc: 'report', permissions: ['read'], sub: 'alice', lifetimeSeconds: 60 });
      const other = await viewer.tokens.issue({ doc: 'report', permissions: ['read'], lifetimeSeconds: 60 });
      const startedAt = Date.now();
      assert.equal(await fetchRange(reader.token, 'bytes=0-99'), 206);
      const third = spanOf(3);
      assert.equal(await fetchRange(reader.token, `bytes=${third.start}-${third.end}`), 206);
      const first = spanOf(1);
      const fourth = spanOf(4);
      assert.equal(await fetchRange(reader.token, `bytes=${first.start + 1}-${first.start + 2},${fourth.end}-${fourth.end}`), 206);
      assert.equal(await fetchRange(other.token, `bytes=${spanOf(2).start}-${spanOf(2).start}`), 206);
      // HEAD and refused requests carry no document bytes.
      assert.equal((await viewer.handle(new Request('http://viewer.test/api/documents/report/content', { method: 'HEAD', headers: { Authorization: `Bearer ${other.token}` } }), client))!.status, 200);

      const records = await viewer.accountability.served({ doc: 'report' });
      const mine = records.find((r) => r.tokenId === reader.jti);
      assert.ok(mine);
      assert.deepEqual(mine.pages, [1, 3, 4]);
      assert.deepEqual(mine.spans, [
        [0, 99],
        [first.start + 1, first.start + 2],
        [third.start, third.end],
        [fourth.end, fourth.end],
      ].sort((a, b) => a[0]! - b[0]!));
      assert.equal(mine.size, pdf.length);
      assert.equal(mine.bytes, 100 + (third.end - third.start + 1) + 2 + 1);
      assert.equal(mine.requests, 3);
      assert.equal(mine.sub, 'alice');
      assert.ok(mine.first >= startedAt && mine.first <= mine.last && mine.last <= Date.now());
      const theirs = records.find((r) => r.tokenId === other.jti);
      assert.deepEqual([theirs?.pages, theirs?.bytes, theirs?.requests, theirs?.sub], [[2], 1, 1, undefined]);
      assert.deepEqual((await viewer.accountability.served({ doc: 'report', tokenId: other.jti })).map((r) => r.tokenId), [other.jti]);
      assert.deepEqual(await viewer.accountability.served({ doc: 'elsewhere' }), []);
    });

    if (kind === 'redis') {
      it('two instances on one Redis: a token served by both has one entry, merged', async () => {
        const prefix = `sv-test-shared-${Date.now()}:`;
        const keys = await generateSigningKeys();
        const stores = [await createRedisStore({ url: redis.url, prefix }), await createRedisStore({ url: redis.url, prefix })];
        try {
          const [a, b] = stores.map((shared) => createSecureViewerServer({ store: shared, keys, documents: async (id) => (id === 'report' ? hosted : null) }));
          const reader = await a!.tokens.issue({ doc: 'report', permissions: ['read'], lifetimeSeconds: 60 });
          const serve = async (server: SecureViewerServer, range: string) => {
            const response = await server.handle(new Request('http://viewer.test/api/documents/report/content', { headers: { Authorization: `Bearer ${reader.token}`, Range: range } }), client);
            await response!.arrayBuffer();
          };
          const second = spanOf(2);
          await serve(a!, 'bytes=0-9');
          await serve(b!, `bytes=${second.start}-${second.end}`);
          await a!.accountability.flush();
          const [record] = await b!.accountability.served({ doc: 'report', tokenId: reader.jti });
          assert.deepEqual([record?.pages, record?.requests, record?.bytes], [[2], 2, 10 + second.end - second.start + 1]);
          assert.deepEqual(record?.spans, [[0, 9], [second.start, second.end]]);
        } finally {
          await Promise.all(stores.map((shared) => shared.close()));
        }
      });
    }

    if (kind === 'memory') {
      it('keeps the log across a restart (one file per document in the data folder)', async () => {
        const reader = await viewer.tokens.issue({ doc: 'report', permissions: ['read'], sub: 'carol', lifetimeSeconds: 60 });
        assert.equal(await fetchRange(reader.token, 'bytes=0-49'), 206);
        assert.equal((await postEvents(reader.token, { events: [{ type: 'copy', chars: 7, at: Date.now() }] })).status, 202);
        const served = await viewer.accountability.served({ doc: 'report', tokenId: reader.jti });
        const events = await viewer.accountability.readerEvents({ doc: 'report', tokenId: reader.jti });
        await store.close();
        const reopened = await createMemoryStore({ dataDir: path.join(dir, 'data') });
        try {
          assert.deepEqual(await reopened.accountability!.served({ doc: 'report', tokenId: reader.jti }), served.map(({ pages, ...entry }) => entry));
          assert.deepEqual(await reopened.accountability!.readerEvents({ doc: 'report', tokenId: reader.jti }), events);
          assert.equal(events[0]?.sub, 'carol');
        } finally {
          await reopened.close();
        }
      });
    }

    it('names no pages for a document replaced since it was served', async () => {
      const reader = await viewer.tokens.issue({ doc: 'report', permissions: ['read'], lifetimeSeconds: 60 });
      assert.equal(await fetchRange(reader.token, 'bytes=0-9'), 206);
      const original = hosted;
      hosted = { ...original, size: original.size + 1, etag: '"replaced"' };
      try {
        const [record] = await viewer.accountability.served({ doc: 'report', tokenId: reader.jti });
        assert.deepEqual([record?.pages, record?.bytes, record?.spans], [null, 10, [[0, 9]]]);
      } finally {
        hosted = original;
      }
    });

    it('stores reader events with identity and document from the token, never from the body', async () => {
      const reader = await viewer.tokens.issue({ doc: 'report', permissions: ['read'], sub: 'bob', lifetimeSeconds: 60 });
      const at = Date.now();
      const response = await postEvents(reader.token, {
        events: [
          { type: 'page-view', page: 2, ms: 5400, at, tokenId: 'forged', doc: 'other', token: reader.token },
          { type: 'copy', chars: 42, at },
          { type: 'zoom', zoom: 'page-width', scale: 1.25, at },
          { type: 'find', query: 'x'.repeat(500), at },
          { type: 'print', at },
          { type: 'page-view', page: 0, ms: 10, at },
          { type: 'launch-missiles', at },
          { type: 'copy', chars: 1, at: at - 3 * 24 * 3600 * 1000 },
        ],
      });
      assert.equal(response.status, 202);
      assert.deepEqual(await response.json(), { accepted: 5, dropped: 3 });
      const events = await viewer.accountability.readerEvents({ doc: 'report', tokenId: reader.jti });
      assert.deepEqual(
        events.map(({ receivedAt, ...rest }) => (assert.ok(receivedAt >= at), rest)),
        [
          { type: 'print', at, tokenId: reader.jti, doc: 'report', sub: 'bob' },
          { type: 'find', query: 'x'.repeat(200), at, tokenId: reader.jti, doc: 'report', sub: 'bob' },
          { type: 'zoom', zoom: 'page-width', scale: 1.25, at, tokenId: reader.jti, doc: 'report', sub: 'bob' },
          { type: 'copy', chars: 42, at, tokenId: reader.jti, doc: 'report', sub: 'bob' },
          { type: 'page-view', page: 2, ms: 5400, at, tokenId: reader.jti, doc: 'report', sub: 'bob' },
        ],
      );
      assert.ok(!JSON.stringify(events).includes(reader.token));
    });

    it('refuses a missing or invalid token (401), another document (404), oversized or malformed batches', async () => {
      const reader = await viewer.tokens.issue({ doc: 'report', permissions: ['read'], lifetimeSeconds: 60 });
      const event = { type: 'print', at: Date.now() };
      const missing = await postEvents(null, { events: [event] });
      assert.equal(missing.status, 401);
      assert.equal(missing.headers.get('www-authenticate'), 'Bearer error="invalid_token"');
      assert.equal((await postEvents('not.a.token', { events: [event] })).status, 401);
      assert.equal((await postEvents(reader.token, { events: [event] }, 'other')).status, 404);
      assert.equal((await postEvents(reader.token, { events: Array(MAX_ANALYTICS_BATCH + 1).fill(event) })).status, 400);
      assert.equal((await postEvents(reader.token, { events: [] })).status, 400);
      assert.equal((await postEvents(reader.token, { events: [event], pad: 'x'.repeat(40_000) })).status, 413);
      assert.equal((await postEvents(reader.token, '{"events": [')).status, 400);
      const get = await viewer.handle(new Request('http://viewer.test/api/documents/report/events', { headers: { Authorization: `Bearer ${reader.token}` } }), client);
      assert.equal(get!.status, 405);
    });

    it('bounds the events one token may send a minute (429 with Retry-After)', async () => {
      const reader = await viewer.tokens.issue({ doc: 'report', permissions: ['read'], lifetimeSeconds: 60 });
      const batch = { events: Array(MAX_ANALYTICS_BATCH).fill({ type: 'copy', chars: 1, at: Date.now() }) };
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) statuses.push((await postEvents(reader.token, batch)).status);
      assert.deepEqual(statuses, [202, 202, 202, 202, 202, 202, 429]);
      const refused = await postEvents(reader.token, { events: [{ type: 'print', at: Date.now() }] });
      assert.equal(refused.status, 429);
      assert.ok(Number(refused.headers.get('retry-after')) >= 1);
      // Another token of the same document is not slowed by it.
      const other = await viewer.tokens.issue({ doc: 'report', permissions: ['read'], lifetimeSeconds: 60 });
      assert.equal((await postEvents(other.token, { events: [{ type: 'print', at: Date.now() }] })).status, 202);
    });
  });
}
