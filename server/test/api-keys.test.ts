// API keys: a recognisable format with a checksum, shown once and stored as a hash, scopes,
// revocation and last-used times at run time (in the data folder, and across two instances on
// one Redis), failed attempts audited and throttled per client address, never a key in the log.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startRedis, type TestRedis } from '../../demo/server/test/redis-server.ts';
import { checkApiKeyFormat, generateApiKey } from '../api-key-format.ts';
import { API_KEY_FAILURES_PER_CLIENT, ApiKeyRegistry } from '../api-key-registry.ts';
import { createMemoryStore, createRedisStore, type SharedStore } from '../index.ts';

describe('API key format', () => {
  it('is sv_live_ or sv_test_, 32 random characters and a checksum that catches a typo', () => {
    const live = generateApiKey('live');
    assert.match(live, /^sv_live_[0-9A-Za-z]{38}$/);
    assert.match(generateApiKey('test'), /^sv_test_[0-9A-Za-z]{38}$/);
    assert.equal(checkApiKeyFormat(live), 'valid');
    const last = live.at(-10)!;
    const typo = `${live.slice(0, -10)}${last === 'a' ? 'b' : 'a'}${live.slice(-9)}`;
    assert.equal(checkApiKeyFormat(typo), 'corrupt');
    assert.equal(checkApiKeyFormat(live.slice(0, -1)), 'corrupt');
    assert.equal(checkApiKeyFormat(`sv_${'x'.repeat(43)}`), 'other', 'a key of the older format is looked up as it is');
    assert.notEqual(generateApiKey('live'), live);
  });
});

describe('API keys in the data folder', () => {
  let dir: string;
  let store: SharedStore;
  const audit: string[] = [];
  let registry: ApiKeyRegistry;
  let clock = 1_800_000_000_000;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sv-api-keys-'));
    store = await createMemoryStore({ dataDir: dir });
    registry = new ApiKeyRegistry({ store, audit: (line) => audit.push(line), now: () => clock, configured: [{ name: 'SV_API_KEY', key: 'configured-key-of-the-older-kind-0123456789' }] });
  });
  after(async () => {
    const logged = audit.join('\n');
    assert.doesNotMatch(logged, /sv_(live|test)_[0-9A-Za-z]{8}/, 'no key in the audit log');
    assert.ok(!logged.includes('configured-key-of-the-older-kind'), 'not the configured one either');
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('a new key is shown once, stored only as a hash, and works for its scopes only', async () => {
    const { key, info } = await registry.create({ name: 'Billing service', scopes: ['tokens', 'list'] });
    assert.equal(info.preview, `${key.slice(0, 12)}…`);
    for (const name of await readdir(dir)) {
      if (!name.endsWith('.json')) continue;
      assert.ok(!(await readFile(path.join(dir, name), 'utf8')).includes(key.slice(8)), `${name} holds no key`);
    }
    const allowed = await registry.authenticate(key, 'tokens', '192.0.2.1');
    assert.equal(allowed.ok, true);
    assert.deepEqual(await registry.authenticate(key, 'upload', '192.0.2.1'), { ok: false, status: 403, code: 'insufficient_scope', scope: 'upload' });
    assert.ok(audit.some((line) => /^apikey\.create id=ak_\w+ name="Billing service" environment=live scopes=tokens,list$/.test(line)));
  });

  it('lists keys with last-used times, revokes them at run time, and keeps the configured key working', async () => {
    const { key, info } = await registry.create({ name: 'CI', scopes: ['upload'], environment: 'test' });
    assert.ok(key.startsWith('sv_test_'));
    clock += 5000;
    assert.equal((await registry.authenticate(key, 'upload', '192.0.2.2')).ok, true);
    const listed = (await registry.list()).find((entry) => entry.id === info.id)!;
    assert.equal(listed.lastUsedAt, clock);
    assert.equal(listed.environment, 'test');
    assert.equal('hash' in listed, false);
    assert.equal(await registry.revoke(info.id), 'revoked');
    assert.deepEqual(await registry.authenticate(key, 'upload', '192.0.2.2'), { ok: false, status: 401, code: 'invalid_api_key' });
    assert.ok(audit.some((line) => line === `apikey.revoke id=${info.id} name="CI"`));
    assert.ok(audit.some((line) => line === `apikey.failure client=192.0.2.2 reason=revoked id=${info.id}`));
    assert.notEqual((await registry.list()).find((entry) => entry.id === info.id)!.revokedAt, null, 'listed as revoked');
    // The key from the configuration: every scope, not revocable at run time.
    assert.equal((await registry.authenticate('configured-key-of-the-older-kind-0123456789', 'keys', '192.0.2.2')).ok, true);
    assert.equal(await registry.revoke('configured'), 'configured');
    assert.equal(await registry.revoke('ak_000000000000'), 'unknown');
  });

  it('a key created by another process on the same folder works at once', async () => {
    const other = new ApiKeyRegistry({ store: await createMemoryStore({ dataDir: dir }) });
    const { key } = await other.create({ name: 'From the command line', scopes: ['revoke'] });
    assert.equal((await registry.authenticate(key, 'revoke', '192.0.2.3')).ok, true);
  });

  it('failed attempts are audited and throttled per client address, then even a valid key is refused there', async () => {
    const { key } = await registry.create({ name: 'Throttled', scopes: ['tokens'] });
    const attempts: number[] = [];
    for (let i = 0; i < API_KEY_FAILURES_PER_CLIENT.points; i++) {
      const check = await registry.authenticate(i % 2 ? `sv_live_${'A'.repeat(38)}` : `wrong-${i}`, 'tokens', '192.0.2.66');
      attempts.push(check.ok ? 200 : check.status);
    }
    assert.deepEqual(new Set(attempts), new Set([401]));
    const refused = await registry.authenticate(key, 'tokens', '192.0.2.66');
    assert.equal(refused.ok ? 200 : refused.status, 429);
    assert.ok(!refused.ok && refused.status === 429 && refused.retryAfterSeconds > 0);
    assert.equal((await registry.authenticate(key, 'tokens', '192.0.2.67')).ok, true, 'another address is not affected');
    assert.equal(audit.filter((line) => line.startsWith('apikey.failure client=192.0.2.66 ')).length, API_KEY_FAILURES_PER_CLIENT.points);
    assert.ok(audit.includes('apikey.failure client=192.0.2.66 reason=malformed'));
    assert.ok(audit.includes('apikey.throttled client=192.0.2.66'));
  });
});

let redis: TestRedis;
describe('API keys on one Redis, two instances', () => {
  let a: SharedStore;
  let b: SharedStore;
  before(async () => {
    redis = await startRedis();
    [a, b] = await Promise.all([createRedisStore({ url: redis.url }), createRedisStore({ url: redis.url })]);
  });
  after(async () => {
    await Promise.all([a.close(), b.close()]);
    await redis.stop();
  });

  it('two instances starting together create one first key between them', async () => {
    const [first, second] = await Promise.all([
      new ApiKeyRegistry({ store: a }).createFirst({ name: 'default', scopes: ['tokens', 'keys'] }),
      new ApiKeyRegistry({ store: b }).createFirst({ name: 'default', scopes: ['tokens', 'keys'] }),
    ]);
    assert.equal([first, second].filter(Boolean).length, 1);
    assert.equal((await new ApiKeyRegistry({ store: a }).list()).length, 1);
  });

  it('a key created on A works on B, and once revoked on B is refused on A', async () => {
    const onA = new ApiKeyRegistry({ store: a });
    const onB = new ApiKeyRegistry({ store: b });
    const { key, info } = await onA.create({ name: 'Shared', scopes: ['list'] });
    assert.equal((await onB.authenticate(key, 'list', '192.0.2.5')).ok, true);
    assert.equal(await onB.revoke(info.id), 'revoked');
    assert.deepEqual(await onA.authenticate(key, 'list', '192.0.2.5'), { ok: false, status: 401, code: 'invalid_api_key' });
  });

  it('failures are counted for an address across instances', async () => {
    const onA = new ApiKeyRegistry({ store: a });
    const onB = new ApiKeyRegistry({ store: b });
    for (let i = 0; i < API_KEY_FAILURES_PER_CLIENT.points; i++) await (i % 2 ? onA : onB).authenticate(`wrong-${i}`, 'list', '192.0.2.77');
    const check = await onA.authenticate('wrong', 'list', '192.0.2.77');
    assert.equal(check.ok ? 200 : check.status, 429);
  });
});
