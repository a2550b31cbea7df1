// Signing keys that rotate: several verification keys by kid, the newest signs, the set kept in the
// store (one process, or two instances on one Redis), a JWKS document for other services, tokens
// across a rotation, and a retired key that stops verifying everywhere.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { startRedis, type TestRedis } from '../../demo/server/test/redis-server.ts';
import {
  AUDIENCE,
  ISSUER,
  InvalidTokenError,
  SigningKeyRing,
  TokenService,
  createMemoryStore,
  createRedisStore,
  createSecureViewerServer,
  loadOrCreateSigningKeys,
  type SharedStore,
} from '../index.ts';

/** Retries `check` until it holds (a change announcement takes a moment), at most `ms`. */
async function eventually(check: () => boolean | Promise<boolean>, ms = 3000): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function verifies(tokens: TokenService, token: string): Promise<boolean> {
  try {
    await tokens.verify(token);
    return true;
  } catch (error) {
    if (error instanceof InvalidTokenError) return false;
    throw error;
  }
}

function issue(tokens: TokenService): Promise<string> {
  return tokens.issue({ doc: 'report', permissions: ['read'], lifetimeSeconds: 300 }).then((issued) => issued.token);
}

const kidOf = (token: string): string => decodeProtectedHeader(token).kid!;

function rotationCases(name: string, open: () => Promise<{ a: SharedStore; b: SharedStore; close(): Promise<void> }>) {
  describe(name, () => {
    let a: SharedStore;
    let b: SharedStore;
    let close: () => Promise<void>;
    let ringA: SigningKeyRing;
    let ringB: SigningKeyRing;
    let tokensA: TokenService;
    let tokensB: TokenService;
    before(async () => {
      ({ a, b, close } = await open());
      // Both at once on an empty store: one first key.
      [ringA, ringB] = await Promise.all([SigningKeyRing.open(a), SigningKeyRing.open(b)]);
      tokensA = new TokenService({ keys: ringA, revocations: a.revocations });
      tokensB = new TokenService({ keys: ringB, revocations: b.revocations });
    });
    after(async () => {
      ringA.close();
      ringB.close();
      await close();
    });

    it('instances opening an empty store agree on one first key', () => {
      assert.deepEqual(ringA.list().map((key) => key.kid), ringB.list().map((key) => key.kid));
      assert.equal(ringA.list().length, 1);
    });

    it('a token signed before a rotation verifies after it, on every instance; the newest key signs', async () => {
      const before = await issue(tokensA);
      const oldKid = kidOf(before);
      const rotated = await ringA.rotate();
      assert.notEqual(rotated.kid, oldKid);
      assert.ok(rotated.signing);
      const afterwards = await issue(tokensA);
      assert.equal(kidOf(afterwards), rotated.kid, 'the newest key signs');
      assert.ok(await verifies(tokensA, before), 'old token on A');
      assert.ok(await verifies(tokensB, before), 'old token on B');
      // B verifies the new key's tokens at once (an unknown kid reads the set again)…
      assert.ok(await verifies(tokensB, afterwards), 'new token on B');
      // …and signs with it once it has heard of the rotation.
      assert.ok(await eventually(async () => kidOf(await issue(tokensB)) === rotated.kid), 'B signs with the new key');
    });

    it('a retired key stops verifying, also tokens verified before and on the other instance', async () => {
      const signedWithOld = await issue(tokensA);
      const oldKid = kidOf(signedWithOld);
      assert.ok(await verifies(tokensA, signedWithOld));
      assert.ok(await verifies(tokensB, signedWithOld));
      const rotated = await ringA.rotate();
      assert.ok(await ringA.retire(oldKid));
      assert.equal(await verifies(tokensA, signedWithOld), false, 'refused on A at once');
      assert.ok(await eventually(async () => !(await verifies(tokensB, signedWithOld))), 'refused on B');
      assert.ok(await verifies(tokensB, await issue(tokensA)), 'the remaining key works');
      assert.equal(ringA.list().some((key) => key.kid === oldKid), false);
      assert.ok(ringA.list().some((key) => key.kid === rotated.kid));
    });

    it('publishes public keys only, as a JWKS other services verify tokens with', async () => {
      await ringA.rotate();
      const viewer = createSecureViewerServer({ store: a, keys: ringA, documents: async () => null });
      const response = await viewer.handle(new Request('https://viewer.example/.well-known/jwks.json'), { key: '192.0.2.1', https: true });
      assert.ok(response);
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^application\/jwk-set\+json/);
      const jwks = (await response.json()) as { keys: Array<Record<string, unknown>> };
      assert.deepEqual(jwks.keys.map((key) => key['kid']).sort(), ringA.list().map((key) => key.kid).sort());
      for (const key of jwks.keys) {
        assert.deepEqual(Object.keys(key).sort(), ['alg', 'crv', 'kid', 'kty', 'use', 'x']);
        assert.equal(key['d'], undefined, 'no private part');
      }
      const token = await issue(tokensA);
      const { payload } = await jwtVerify(token, createLocalJWKSet(jwks as never), { issuer: ISSUER, audience: AUDIENCE, algorithms: ['EdDSA'] });
      assert.equal(payload['doc'], 'report');
    });

    it('the last key cannot be retired', async () => {
      for (const key of ringA.list().slice(0, -1)) await ringA.retire(key.kid);
      assert.equal(ringA.list().length, 1);
      await assert.rejects(ringA.retire(ringA.list()[0]!.kid), RangeError);
      assert.ok(await verifies(tokensB, await issue(tokensA)));
    });
  });
}

rotationCases('in-process store', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'sv-keys-'));
  const store = await createMemoryStore({ dataDir: dir });
  return {
    a: store,
    b: store,
    async close() {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

let redis: TestRedis | null = null;
rotationCases('two instances on one Redis', async () => {
  redis = await startRedis();
  const [a, b] = await Promise.all([createRedisStore({ url: redis.url }), createRedisStore({ url: redis.url })]);
  return {
    a,
    b,
    async close() {
      await Promise.all([a.close(), b.close()]);
      await redis?.stop();
    },
  };
});

describe('a fixed key pair', () => {
  it('is served as a JWKS too, and verifies what it signed', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sv-keys-fixed-'));
    try {
      const store = await createMemoryStore({ dataDir: dir });
      const keys = await loadOrCreateSigningKeys(dir);
      const viewer = createSecureViewerServer({ store, keys, documents: async () => null });
      const jwks = (await (await viewer.jwks(new Request('https://viewer.example/.well-known/jwks.json'))).json()) as { keys: Array<Record<string, unknown>> };
      assert.deepEqual(jwks.keys.map((key) => [key['kid'], key['kty'], key['crv'], typeof key['x'], key['d']]), [[keys.kid, 'OKP', 'Ed25519', 'string', undefined]]);
      const { token } = await viewer.tokens.issue({ doc: 'report', permissions: ['read'], lifetimeSeconds: 300 });
      await jwtVerify(token, createLocalJWKSet(jwks as never), { issuer: ISSUER, audience: AUDIENCE, algorithms: ['EdDSA'] });
      await assert.rejects(viewer.keys.rotate(), TypeError, 'a fixed key is not rotated');
      await store.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('an existing key', () => {
  it('becomes the first key of the set, so tokens signed before the upgrade keep verifying', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sv-keys-legacy-'));
    try {
      const legacy = await loadOrCreateSigningKeys(dir);
      const store = await createMemoryStore({ dataDir: dir });
      const before = await issue(new TokenService({ keys: legacy, revocations: store.revocations }));
      const ring = await SigningKeyRing.open(store, { first: () => loadOrCreateSigningKeys(dir) });
      assert.deepEqual(ring.list().map((key) => key.kid), [legacy.kid]);
      await ring.rotate();
      assert.ok(await verifies(new TokenService({ keys: ring, revocations: store.revocations }), before));
      ring.close();
      await store.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
