// Server-rendered viewing over HTTP on loopback: the manifest, watermarked page images, page text
// for `copy` tokens, the render budget, bad input, and two instances sharing one Redis.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  createMemoryStore,
  createRedisRenderCache,
  createRedisStore,
  createSecureViewerServer,
  createServerRendering,
  etagFor,
  generateSigningKeys,
  type HostedDocument,
  type Permission,
  type RenderedDocumentManifest,
  type PageText,
  type RenderCache,
  type SecureViewerServer,
  type ServerRendering,
  type SharedStore,
  type SigningKeys,
} from '../index.ts';
import { startRedis, type TestRedis } from '../../demo/server/test/redis-server.ts';
import { damagedPdf, PAGE_TEXTS, reportPdf } from './render-fixtures.ts';
import { darkPixels, decodeImage, serve, watermarkCells, type TestServer } from './render-helpers.ts';

const documents = new Map<string, HostedDocument>();
function hosted(title: string, bytes: Uint8Array): HostedDocument {
  const buffer = Buffer.from(bytes);
  return { title, size: buffer.length, etag: etagFor(buffer), source: async () => (await import('node:stream')).Readable.from([buffer]), permissions: ['read', 'download', 'print', 'copy'] };
}

/** Every body the page handlers answered with, to check none of them is the PDF. */
const bodies: Uint8Array[] = [];

let dir: string;
let store: SharedStore;
let keys: SigningKeys;
let viewer: SecureViewerServer;
let rendering: ServerRendering;
let server: TestServer;
const auditLines: string[] = [];

async function token(doc: string, permissions: Permission[], sub = 'alice@example.com'): Promise<string> {
  return (await viewer.tokens.issue({ doc, permissions, sub, lifetimeSeconds: 300 })).token;
}

async function get(base: string, pathAndQuery: string, bearer: string): Promise<{ status: number; headers: Headers; body: Uint8Array }> {
  const response = await fetch(`${base}${pathAndQuery}`, { headers: { authorization: `Bearer ${bearer}` } });
  const body = new Uint8Array(await response.arrayBuffer());
  bodies.push(body);
  return { status: response.status, headers: response.headers, body };
}

function json<T>(body: Uint8Array): T {
  return JSON.parse(new TextDecoder().decode(body)) as T;
}

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'sv-render-'));
  store = await createMemoryStore({ dataDir: dir });
  keys = await generateSigningKeys();
  documents.set('report', hosted('Quarterly report', await reportPdf({ xrefStreams: false })));
  documents.set('broken', hosted('Broken', damagedPdf()));
  viewer = createSecureViewerServer({ store, keys, documents: async (id) => documents.get(id) ?? null });
  rendering = createServerRendering({
    tokens: viewer.tokens,
    store,
    documents: async (id) => documents.get(id) ?? null,
    pool: { size: 1, jobTimeoutMs: 20_000 },
    budget: { requests: 1000 },
    audit: (line) => auditLines.push(line),
  });
  server = await serve((request) => rendering.handle(request));
});

after(async () => {
  await server.close();
  await rendering.close();
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

describe('server rendering: manifest', () => {
  it('lists pages, sizes, outline and what the token allows, and logs who opened it', async () => {
    const reader = await token('report', ['read']);
    const { status, headers, body } = await get(server.url, '/api/documents/report/pages', reader);
    assert.equal(status, 200);
    assert.match(headers.get('content-type') ?? '', /^application\/json/);
    assert.equal(headers.get('cache-control'), 'no-store');
    const manifest = json<RenderedDocumentManifest>(body);
    assert.equal(manifest.pageCount, 3);
    assert.deepEqual(manifest.pages, [
      { width: 300, height: 400 },
      { width: 400, height: 300 },
      { width: 300, height: 400 },
    ]);
    assert.deepEqual(
      manifest.outline.map((item) => [item.title, item.page]),
      [
        ['Chapter 1', 1],
        ['Chapter 2', 3],
      ],
    );
    assert.deepEqual(manifest.permissions, ['read']);
    assert.equal(manifest.urls.text, null);
    assert.equal(manifest.urls.download, null);
    assert.equal(manifest.urls.image, '/api/documents/report/pages/{page}/image?scale={scale}');
    assert.ok(manifest.scales.includes(1) && manifest.scales.includes(0.25));
    assert.equal(manifest.imageType, 'image/webp');
    const jti = JSON.parse(Buffer.from(reader.split('.')[1]!, 'base64url').toString()).jti as string;
    assert.ok(auditLines.some((line) => line.includes(`jti=${jti}`) && line.includes('sub=alice%40example.com')));
  });

  it('offers the text and the download only to tokens that allow them', async () => {
    const { body } = await get(server.url, '/api/documents/report/pages', await token('report', ['read', 'copy', 'download']));
    const manifest = json<RenderedDocumentManifest>(body);
    assert.equal(manifest.urls.text, '/api/documents/report/pages/{page}/text');
    assert.equal(manifest.urls.download, '/api/documents/report/download');
  });

  it('refuses a missing token (401), another document\'s token (404) and other methods', async () => {
    assert.equal((await fetch(`${server.url}/api/documents/report/pages`)).status, 401);
    documents.set('other', documents.get('report')!);
    assert.equal((await get(server.url, '/api/documents/report/pages', await token('other', ['read']))).status, 404);
    const post = await fetch(`${server.url}/api/documents/report/pages`, { method: 'POST', headers: { authorization: `Bearer ${await token('report', ['read'])}` } });
    assert.equal(post.status, 405);
  });

  it('says when a token was revoked, so a viewer ends the session instead of renewing', async () => {
    documents.set('revocable', documents.get('report')!);
    const reader = await token('revocable', ['read']);
    assert.equal((await get(server.url, '/api/documents/revocable/pages', reader)).status, 200);
    await viewer.tokens.revokeDocument('revocable');
    const refused = await get(server.url, '/api/documents/revocable/pages/1/image?scale=0.25', reader);
    assert.equal(refused.status, 401);
    assert.equal(refused.headers.get('www-authenticate'), 'Bearer error="invalid_token", error_description="revoked"');
    const unknown = await fetch(`${server.url}/api/documents/revocable/pages`, { headers: { authorization: 'Bearer x.y.z' } });
    assert.equal(unknown.headers.get('www-authenticate'), 'Bearer error="invalid_token"');
  });
});

describe('server rendering: page images', () => {
  it('draws every page with the watermark in all of its parts', async () => {
    const reader = await token('report', ['read']);
    for (const page of [1, 2, 3]) {
      for (const scale of [0.25, 1]) {
        const { status, headers, body } = await get(server.url, `/api/documents/report/pages/${page}/image?scale=${scale}`, reader);
        assert.equal(status, 200, `page ${page} at ${scale}`);
        assert.equal(headers.get('content-type'), 'image/webp');
        const pixels = await decodeImage(body);
        const [width, height] = page === 2 ? [400, 300] : [300, 400];
        assert.deepEqual([pixels.width, pixels.height], [Math.ceil(width * scale), Math.ceil(height * scale)]);
        const cells = watermarkCells(pixels, 3);
        assert.ok(cells.every((count) => count > 0), `watermark in every ninth of page ${page} at ${scale}: ${cells.join(',')}`);
        if (scale === 1) assert.ok(darkPixels(pixels) > 100, `page ${page} has its text`);
      }
    }
  });

  it('cannot be asked for without the watermark', async () => {
    const reader = await token('report', ['read']);
    const plain = await get(server.url, '/api/documents/report/pages/1/image?scale=1', reader);
    const queries = ['watermark=', 'watermark=off&scale=1', 'scale=1&watermark=0&wm=none&clean=1&nowatermark=true&format=png&raw=1'];
    for (const query of queries) {
      const asked = await get(server.url, `/api/documents/report/pages/1/image?scale=1&${query}`, reader);
      assert.equal(asked.status, 200, query);
      assert.deepEqual(asked.body, plain.body, `the same image for ?${query}`);
      assert.ok(watermarkCells(await decodeImage(asked.body), 3).every((count) => count > 0));
    }
  });

  it('names the token in the pixels: another token gets other pixels of the same page', async () => {
    const first = await get(server.url, '/api/documents/report/pages/2/image?scale=1', await token('report', ['read'], 'alice@example.com'));
    const second = await get(server.url, '/api/documents/report/pages/2/image?scale=1', await token('report', ['read'], 'bob@example.com'));
    assert.equal(second.headers.get('x-render-cache'), 'hit');
    assert.notDeepEqual(first.body, second.body);
  });
});

describe('server rendering: page text', () => {
  it('gives each page\'s text with positions to tokens with copy', async () => {
    const reader = await token('report', ['read', 'copy']);
    for (const page of [1, 2, 3]) {
      const { status, body } = await get(server.url, `/api/documents/report/pages/${page}/text`, reader);
      assert.equal(status, 200);
      const text = json<PageText>(body);
      assert.equal(text.page, page);
      const run = text.items.find((item) => item.str.includes(PAGE_TEXTS[page - 1]!));
      assert.ok(run, `page ${page} text: ${JSON.stringify(text.items)}`);
      // Drawn at x = 20 with its baseline 40 pt below the top, 12 pt high.
      assert.ok(Math.abs(run.x - 20) < 1, `x ${run.x}`);
      assert.ok(run.y > 25 && run.y < 40, `y ${run.y}`);
      assert.ok(run.height > 10 && run.height < 14, `height ${run.height}`);
      assert.ok(run.width > 100 && run.width < text.width, `width ${run.width}`);
    }
  });

  it('refuses the text to tokens without copy', async () => {
    const { status, headers } = await get(server.url, '/api/documents/report/pages/1/text', await token('report', ['read', 'download']));
    assert.equal(status, 403);
    assert.match(headers.get('www-authenticate') ?? '', /insufficient_scope/);
  });
});

describe('server rendering: bad input', () => {
  it('answers a page out of range, a scale not offered and a damaged PDF clearly, and the pool carries on', async () => {
    const reader = await token('report', ['read', 'copy']);
    for (const page of [0, 4, 123456]) {
      const { status, body } = await get(server.url, `/api/documents/report/pages/${page}/image?scale=1`, reader);
      assert.equal(status, 404, `page ${page}`);
      assert.equal(json<{ error: { code: string } }>(body).error.code, 'page_out_of_range');
    }
    assert.equal(json<{ error: { code: string } }>((await get(server.url, '/api/documents/report/pages/9/text', reader)).body).error.code, 'page_out_of_range');
    for (const query of ['?scale=0.7', '?scale=abc', '', '?scale=1e400']) {
      const { status, body } = await get(server.url, `/api/documents/report/pages/1/image${query}`, reader);
      assert.equal(status, 400, query);
      assert.equal(json<{ error: { code: string } }>(body).error.code, 'scale_not_offered');
    }
    const broken = await token('broken', ['read', 'copy']);
    for (const route of ['/pages', '/pages/1/image?scale=1', '/pages/1/text']) {
      const { status, body } = await get(server.url, `/api/documents/broken${route}`, broken);
      assert.equal(status, 422, route);
      assert.equal(json<{ error: { code: string } }>(body).error.code, 'invalid_document');
    }
    const started = rendering.pool.stats().started;
    const again = await get(server.url, '/api/documents/report/pages/3/image?scale=0.5', reader);
    assert.equal(again.status, 200);
    assert.equal(rendering.pool.stats().started, started, 'no worker was replaced');
  });
});

describe('server rendering: budget', () => {
  it('answers 429 with Retry-After once a token has used its budget, and other tokens go on', async () => {
    const limited = createServerRendering({
      tokens: viewer.tokens,
      store,
      documents: async (id) => documents.get(id) ?? null,
      pool: rendering.pool,
      budget: { requests: 3, windowSeconds: 60 },
    });
    const limitedServer = await serve((request) => limited.handle(request));
    try {
      const reader = await token('report', ['read']);
      for (let i = 0; i < 3; i++) assert.equal((await get(limitedServer.url, '/api/documents/report/pages/1/image?scale=0.25', reader)).status, 200);
      const refused = await get(limitedServer.url, '/api/documents/report/pages/1/image?scale=0.25', reader);
      assert.equal(refused.status, 429);
      const retryAfter = Number(refused.headers.get('retry-after'));
      assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
      assert.equal(json<{ error: { code: string } }>(refused.body).error.code, 'render_budget_exceeded');
      assert.equal((await get(limitedServer.url, '/api/documents/report/pages', reader)).status, 429);
      assert.equal((await get(limitedServer.url, '/api/documents/report/pages/1/image?scale=0.25', await token('report', ['read']))).status, 200);
    } finally {
      await limitedServer.close();
      await limited.close();
    }
  });
});

describe('server rendering: two instances on one Redis', () => {
  let redis: TestRedis;
  const instances: Array<{ store: SharedStore; rendering: ServerRendering; server: TestServer; viewer: SecureViewerServer; cache: RenderCache }> = [];

  before(async () => {
    redis = await startRedis();
    for (let i = 0; i < 2; i++) {
      const shared = await createRedisStore({ url: redis.url });
      const instanceViewer = createSecureViewerServer({ store: shared, keys, documents: async (id) => documents.get(id) ?? null });
      const cache = await createRedisRenderCache({ url: redis.url });
      const instanceRendering = createServerRendering({
        tokens: instanceViewer.tokens,
        store: shared,
        documents: async (id) => documents.get(id) ?? null,
        pool: { size: 1 },
        cache,
      });
      instances.push({ store: shared, rendering: instanceRendering, viewer: instanceViewer, cache, server: await serve((request) => instanceRendering.handle(request)) });
    }
  });

  after(async () => {
    for (const instance of instances) {
      await instance.server.close();
      await instance.rendering.close();
      await instance.cache.close();
      await instance.store.close();
    }
    await redis?.stop();
  });

  it('renders a page once for both and answers both with the same pixels', async () => {
    const [a, b] = instances as [(typeof instances)[0], (typeof instances)[0]];
    const reader = (await a.viewer.tokens.issue({ doc: 'report', permissions: ['read'], sub: 'carol', lifetimeSeconds: 300 })).token;
    const first = await get(a.server.url, '/api/documents/report/pages/2/image?scale=1.5', reader);
    assert.equal(first.status, 200);
    assert.equal(first.headers.get('x-render-cache'), 'miss');
    const second = await get(b.server.url, '/api/documents/report/pages/2/image?scale=1.5', reader);
    assert.equal(second.status, 200);
    assert.equal(second.headers.get('x-render-cache'), 'hit');
    assert.deepEqual(second.body, first.body);
    assert.equal(b.rendering.pool.stats().finished.render, 0, 'the second instance rendered nothing');
    assert.equal(a.rendering.pool.stats().finished.render, 1);
  });

  it('renders identically when each instance renders the page itself', async () => {
    const reader = (await instances[0]!.viewer.tokens.issue({ doc: 'report', permissions: ['read'], sub: 'dave', lifetimeSeconds: 300 })).token;
    const images: Uint8Array[] = [];
    for (const [index, instance] of instances.entries()) {
      const ownCache = await createRedisRenderCache({ url: redis.url, prefix: `sv:render-own-${index}:` });
      const own = createServerRendering({
        tokens: instance.viewer.tokens,
        store: instance.store,
        documents: async (id) => documents.get(id) ?? null,
        pool: instance.rendering.pool,
        cache: ownCache,
      });
      const ownServer = await serve((request) => own.handle(request));
      try {
        const answer = await get(ownServer.url, '/api/documents/report/pages/3/image?scale=2', reader);
        assert.equal(answer.headers.get('x-render-cache'), 'miss');
        images.push(answer.body);
      } finally {
        await ownServer.close();
        await own.close();
        await ownCache.close();
      }
    }
    assert.deepEqual(images[1], images[0]);
  });

  it('counts the budget across both instances', async () => {
    const limited = instances.map((instance) =>
      createServerRendering({
        tokens: instance.viewer.tokens,
        store: instance.store,
        documents: async (id) => documents.get(id) ?? null,
        pool: instance.rendering.pool,
        budget: { requests: 2, windowSeconds: 60 },
      }),
    );
    const servers = await Promise.all(limited.map((handlers) => serve((request) => handlers.handle(request))));
    try {
      const reader = (await instances[0]!.viewer.tokens.issue({ doc: 'report', permissions: ['read'], lifetimeSeconds: 300 })).token;
      assert.equal((await get(servers[0]!.url, '/api/documents/report/pages', reader)).status, 200);
      assert.equal((await get(servers[1]!.url, '/api/documents/report/pages', reader)).status, 200);
      assert.equal((await get(servers[0]!.url, '/api/documents/report/pages', reader)).status, 429);
      assert.equal((await get(servers[1]!.url, '/api/documents/report/pages', reader)).status, 429);
    } finally {
      for (const running of servers) await running.close();
      for (const handlers of limited) await handlers.close();
    }
  });
});

describe('server rendering: what leaves the server', () => {
  it('never answers with the PDF', () => {
    assert.ok(bodies.length > 40);
    for (const body of bodies) assert.notEqual(Buffer.from(body.subarray(0, 5)).toString('latin1'), '%PDF-');
  });
});
