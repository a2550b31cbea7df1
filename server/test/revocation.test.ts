// Revocation without gaps, with the in-process store and with two instances on one Redis: a
// refresh in flight while its document is revoked yields no working token, token revocations are
// kept by the server's clock whatever the caller says the expiry is, and a revocation time ahead
// of the clock makes issuing fail at once instead of waiting for it.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { startRedis, type TestRedis } from '../../demo/server/test/redis-server.ts';
import {
  PasswordHasher,
  createMemoryStore,
  createRedisStore,
  createSecureViewerServer,
  etagFor,
  generateSigningKeys,
  type HostedDocument,
  type RefreshFamilies,
  type SecureViewerServer,
  type SharedStore,
  type SigningKeys,
} from '../index.ts';
import { IssueDeferredError, TOKEN_REVOCATION_SECONDS, nowSeconds } from '../token-service.ts';

const PASSWORD = 'revocation-pass-2026';
const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(4096, 1), Buffer.from('\n%%EOF\n')]);
let documents: Map<string, HostedDocument>;
let keys: SigningKeys;

before(async () => {
  keys = await generateSigningKeys();
  const passwordHash = await new PasswordHasher({ cost: 2 ** 14 }).hash(PASSWORD);
  documents = new Map();
  for (const id of ['minutes', 'agenda', 'budget', 'ahead']) {
    documents.set(id, {
      title: id,
      size: pdf.length,
      etag: etagFor(pdf),
      source: () => Readable.from([pdf]),
      permissions: ['read'],
      passwordHash,
    });
  }
});

/** Refresh families whose next rotation stops, once done, until the test lets it go on. */
function pausable(families: RefreshFamilies) {
  let paused: { reached: () => void; release: Promise<void> } | null = null;
  const wrapped: RefreshFamilies = {
    create: (doc) => families.create(doc),
    revokeDocument: (doc) => families.revokeDocument(doc),
    async rotate(token, doc) {
      const result = await families.rotate(token, doc);
      if (paused) {
        const current = paused;
        paused = null;
        current.reached();
        await current.release;
      }
      return result;
    },
  };
  /** The next rotation pauses after its session check; resolves once it got there. */
  function pauseNext(): { reached: Promise<void>; release: () => void } {
    let release!: () => void;
    let reached!: () => void;
    const reachedPromise = new Promise<void>((resolve) => (reached = resolve));
    paused = { reached, release: new Promise<void>((resolve) => (release = resolve)) };
    return { reached: reachedPromise, release };
  }
  return { wrapped, pauseNext };
}

function viewerOver(store: SharedStore, refreshFamilies: RefreshFamilies = store.refreshFamilies): SecureViewerServer {
  return createSecureViewerServer({
    store: { ...store, refreshFamilies, revocations: store.revocations, documents: store.documents, limiter: store.limiter.bind(store), close: store.close.bind(store) },
    keys,
    documents: async (id) => documents.get(id) ?? null,
    passwordHashing: { cost: 2 ** 14 },
  });
}

const client = { key: '192.0.2.40', https: true };

async function login(viewer: SecureViewerServer, id: string): Promise<string> {
  const request = new Request(`https://viewer.example/api/documents/${id}/password-token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ password: PASSWORD }),
  });
  const response = await viewer.passwordExchange(request, id, client);
  assert.equal(response.status, 200);
  return /sv_refresh=([^;]*)/.exec(response.headers.get('set-cookie') ?? '')?.[1] ?? '';
}

function refresh(viewer: SecureViewerServer, id: string, cookie: string): Promise<Response> {
  const request = new Request(`https://viewer.example/api/documents/${id}/refresh`, { method: 'POST', headers: { Cookie: `sv_refresh=${cookie}` } });
  return viewer.refresh(request, id, client);
}

async function contentStatus(viewer: SecureViewerServer, id: string, token: string): Promise<number> {
  const response = await viewer.content(
    new Request(`https://viewer.example/api/documents/${id}/content`, { headers: { Authorization: `Bearer ${token}`, Range: 'bytes=0-9' } }),
    id,
  );
  await response.arrayBuffer();
  return response.status;
}

/** What a document's revocation does, in the order that closes the gap: sessions, then tokens. */
async function revokeDocument(viewer: SecureViewerServer, store: SharedStore, id: string): Promise<void> {
  await store.refreshFamilies.revokeDocument(id);
  await viewer.tokens.revokeDocument(id);
}

/** Runs `promise`, failing if it takes longer than `ms`. */
async function within<T>(ms: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`still waiting after ${ms} ms`)), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The same cases for each store; `second` is another instance on the same state (Redis), or the same one. */
function revocationCases(name: string, open: () => Promise<{ first: SharedStore; second: SharedStore; tokenEntry(jti: string): Promise<number | null>; close(): Promise<void> }>) {
  describe(name, () => {
    let first: SharedStore;
    let second: SharedStore;
    let tokenEntry: (jti: string) => Promise<number | null>;
    let close: () => Promise<void>;
    before(async () => ({ first, second, tokenEntry, close } = await open()));
    after(() => close());

    it('a refresh in flight while its document is revoked (on another instance) yields no working token', async () => {
      const { wrapped, pauseNext } = pausable(second.refreshFamilies);
      const inFlight = viewerOver(second, wrapped);
      const admin = viewerOver(first);
      const cookie = await login(inFlight, 'minutes');
      const pause = pauseNext();
      const reply = refresh(inFlight, 'minutes', cookie);
      await pause.reached; // the session was checked and found alive
      await revokeDocument(admin, first, 'minutes');
      pause.release();
      const response = await within(5000, reply);
      const body = (await response.json()) as { token?: string };
      if (body.token) assert.equal(await contentStatus(inFlight, 'minutes', body.token), 401, 'the token it got does not work');
      assert.equal(response.status, 401, 'the refresh is answered as a dead session');
      assert.equal(body.token, undefined);
      // A new password entry after the revocation works.
      const again = await login(inFlight, 'minutes');
      assert.notEqual(again, '');
    });

    it('a token revoked with an expiry in the past is still refused', async () => {
      const viewer = viewerOver(first);
      const issued = await viewer.tokens.issue({ doc: 'agenda', permissions: ['read'], lifetimeSeconds: 300 });
      assert.equal(await contentStatus(viewer, 'agenda', issued.token), 206);
      await viewer.tokens.revokeToken(issued.jti, nowSeconds() - 3600);
      assert.equal(await contentStatus(viewer, 'agenda', issued.token), 401);
    });

    it('a token revoked with a huge expiry is kept only as long as a token can live', async () => {
      const viewer = viewerOver(first);
      const issued = await viewer.tokens.issue({ doc: 'budget', permissions: ['read'], lifetimeSeconds: 300 });
      await viewer.tokens.revokeToken(issued.jti, 4_000_000_000);
      const until = await tokenEntry(issued.jti);
      assert.ok(until !== null, 'stored');
      assert.ok(until! <= nowSeconds() + TOKEN_REVOCATION_SECONDS, `kept until ${until}, not for ever`);
      assert.equal(await contentStatus(viewer, 'budget', issued.token), 401);
    });

    it('a revocation time ahead of the clock makes issuing fail at once, not hang', async () => {
      const viewer = viewerOver(second);
      await first.revocations.revokeDocument('ahead', nowSeconds() + 3600);
      const started = Date.now();
      await within(
        3000,
        assert.rejects(viewer.tokens.issue({ doc: 'ahead', permissions: ['read'], lifetimeSeconds: 300 }), (error: unknown) => error instanceof IssueDeferredError),
      );
      assert.ok(Date.now() - started < 2000);
      const cookie = await login(viewerOver(first), 'agenda');
      assert.equal((await refresh(viewer, 'agenda', cookie)).status, 200, 'other documents are not affected');
    });

    it('a grant right after a revocation works (same second)', async () => {
      const viewer = viewerOver(first);
      const old = await viewer.tokens.issue({ doc: 'agenda', permissions: ['read'], lifetimeSeconds: 300 });
      await viewer.tokens.revokeDocument('agenda');
      const fresh = await within(3000, viewerOver(second).tokens.issue({ doc: 'agenda', permissions: ['read'], lifetimeSeconds: 300 }));
      assert.equal(await contentStatus(viewer, 'agenda', old.token), 401);
      assert.equal(await contentStatus(viewer, 'agenda', fresh.token), 206);
    });
  });
}

revocationCases('in-process store', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'sv-revocation-'));
  const store = await createMemoryStore({ dataDir: dir });
  return {
    first: store,
    second: store,
    async tokenEntry(jti) {
      await (store.revocations as unknown as { flush(): Promise<void> }).flush();
      const saved = JSON.parse(await readFile(path.join(dir, 'revocations.json'), 'utf8')) as { tokens: Record<string, number> };
      return saved.tokens[jti] ?? null;
    },
    async close() {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

let redis: TestRedis | null = null;
revocationCases('two instances on one Redis', async () => {
  redis = await startRedis();
  const prefix = 'rv:';
  const [first, second] = await Promise.all([createRedisStore({ url: redis.url, prefix }), createRedisStore({ url: redis.url, prefix })]);
  const inspector = new Redis(redis.url);
  return {
    first,
    second,
    async tokenEntry(jti) {
      const score = await inspector.zscore(`${prefix}revoked-tokens`, jti);
      return score === null ? null : Number(score);
    },
    async close() {
      inspector.disconnect();
      await Promise.all([first.close(), second.close()]);
      await redis?.stop();
    },
  };
});
