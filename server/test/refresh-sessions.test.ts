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
      if (type === 'zset') found.push(...(await client.zrange(key, '0', '-1')));
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

describe('refresh sessions in the data folder', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sv-sessions-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('a refresh appends to a journal instead of rewriting every session, and a restart reads both', async () => {
    const folder = path.join(dir, 'journal');
    await mkdir(folder);
    const families = await MemoryRefreshFamilies.open(folder);
    const others = await Promise.all(Array.from({ length: 20 }, () => families.create('other')));
    let token = (await families.create('doc')).token;
    const first = token;
    await families.flush();
    const snapshot = path.join(folder, 'refresh-families.json');
    const before = await stat(snapshot).catch(() => null);
    for (let i = 0; i < 50; i++) {
      const rotated = await families.rotate(token, 'doc');
      assert.equal(rotated.kind, 'ok');
      token = rotated.kind === 'ok' ? rotated.token : '';
    }
    await families.flush();
    const afterwards = await stat(snapshot).catch(() => null);
    assert.deepEqual(afterwards && [afterwards.ino, afterwards.mtimeMs, afterwards.size], before && [before.ino, before.mtimeMs, before.size], 'the snapshot was not rewritten');
    const journal = await readFile(path.join(folder, 'refresh-families.journal'), 'utf8');
    assert.ok(journal.length < 50 * 4096, `the journal grew by about one session a refresh (${journal.length} bytes)`);
    const restarted = await MemoryRefreshFamilies.open(folder);
    assert.equal((await restarted.rotate(others[0]!.token, 'other')).kind, 'ok', 'untouched sessions survive');
    assert.equal((await restarted.rotate(token, 'doc')).kind, 'ok', 'the latest token works after a restart');
    assert.equal((await restarted.rotate(first, 'doc')).kind, 'reuse', 'an old one is still recognised as reuse');
    await restarted.flush();
  });

  it('the journal is folded into the snapshot once it has grown, and a restart after that loses nothing', async () => {
    const folder = path.join(dir, 'folded');
    await mkdir(folder);
    const families = await MemoryRefreshFamilies.open(folder);
    let token = (await families.create('doc')).token;
    for (let i = 0; i < 1100; i++) {
      const rotated = await families.rotate(token, 'doc');
      token = rotated.kind === 'ok' ? rotated.token : '';
    }
    await families.flush();
    const lines = (await readFile(path.join(folder, 'refresh-families.journal'), 'utf8')).split('\n').filter(Boolean).length;
    assert.ok(lines < 1100, `folded: ${lines} lines left`);
    const restarted = await MemoryRefreshFamilies.open(folder);
    assert.equal((await restarted.rotate(token, 'doc')).kind, 'ok');
    await restarted.flush();
  });

  it('a write that fails is reported, not swallowed', async () => {
    const folder = path.join(dir, 'failing');
    await mkdir(folder);
    const errors: Error[] = [];
    const families = await MemoryRefreshFamilies.open(folder, { onPersistError: (error) => errors.push(error) });
    // Nothing can be written where a folder stands in for the file.
    await mkdir(path.join(folder, 'refresh-families.journal'));
    const { token } = await families.create('doc');
    await families.flush();
    assert.equal(errors.length, 1, 'the failed write was reported');
    assert.equal((errors[0] as NodeJS.ErrnoException).code, 'EISDIR');
    assert.equal((await families.rotate(token, 'doc')).kind, 'ok', 'the session still works in this process');
    await families.flush();
    assert.equal(errors.length, 2);
  });
});
