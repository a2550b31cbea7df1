// What the stores keep of refresh sessions: in Redis only hashes (the grace successor sealed), and a
// per-document index that sheds dead sessions; in the data folder a journal, so a refresh appends a
// line instead of rewriting every session, and write failures are reported, not swallowed.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { startRedis, type TestRedis } from '../../demo/server/test/redis-server.ts';
import { FAMILY_LIFETIME_MS } from '../refresh-policy.ts';
import { MemoryRefreshFamilies } from '../store/memory-refresh-families.ts';
import { RedisRefreshFamilies } from '../store/redis-refresh-families.ts';

describe('refresh sessions in Redis', () => {
  let redis: TestRedis;
  let client: Redis;
  before(async () => {
    redis = await startRedis();
    client = new Redis(redis.url);
  });
  after(async () => {
    client.disconnect();
    await redis.stop();
  });

  /** Every string Redis holds under `prefix`: keys, values, hash fields, set and sorted-set members. */
  async function everything(prefix: string): Promise<string[]> {
    const found: string[] = [];
    for (const key of await client.keys(`${prefix}*`)) {
      found.push(key);
      const type = await client.type(key);
      if (type === 'string') found.push((await client.get(key)) ?? '');
      if (type === 'hash') found.push(...Object.entries(await client.hgetall(key)).flat());
      if (type === 'set') found.push(...(await client.smembers(key)));
      if (type === 'zset') found.push(...(await client.zrange(key, 0, -1)));
    }
    return found;
  }

  /** Members of every set or sorted set under `prefix` whose key names `doc`: the per-document index. */
  async function indexed(prefix: string, doc: string): Promise<number> {
    let members = 0;
    for (const key of await client.keys(`${prefix}*${doc}*`)) {
      const type = await client.type(key);
      if (type === 'set') members += await client.scard(key);
      if (type === 'zset') members += await client.zcard(key);
    }
    return members;
  }

  it('keeps no raw refresh token, not even the successor kept for the grace window', async () => {
    const families = new RedisRefreshFamilies(client, 'raw:');
    const { token } = await families.create('doc');
    const rotated = await families.rotate(token, 'doc');
    assert.equal(rotated.kind, 'ok');
    const successor = rotated.kind === 'ok' ? rotated.token : '';
    for (const value of await everything('raw:')) {
      assert.ok(!value.includes(token), 'the rotated token is not stored');
      assert.ok(!value.includes(successor), 'the successor is not stored');
    }
    // The grace window still works: the same successor for the same rotated token.
    const again = await families.rotate(token, 'doc');
    assert.deepEqual(again, rotated);
  });

  it('the per-document index sheds sessions that ended, and a revocation empties it', async () => {
    let now = 1_000_000_000;
    const families = new RedisRefreshFamilies(client, 'idx:', () => now);
    for (let i = 0; i < 5; i++) await families.create('doc');
    assert.equal(await indexed('idx:', 'doc'), 5);
    now += FAMILY_LIFETIME_MS + 1;
    const live = await families.create('doc');
    assert.equal(await indexed('idx:', 'doc'), 1, 'sessions past their lifetime leave the index');
    // A replayed token revokes its family, which leaves the index at once.
    const rotated = await families.rotate(live.token, 'doc');
    assert.equal(rotated.kind, 'ok');
    assert.equal((await families.rotate(rotated.kind === 'ok' ? rotated.token : '', 'doc')).kind, 'ok');
    assert.equal((await families.rotate(live.token, 'doc')).kind, 'reuse');
    assert.equal(await indexed('idx:', 'doc'), 0);
    await families.create('doc');
    await families.revokeDocument('doc');
    assert.equal(await indexed('idx:', 'doc'), 0);
  });
});
