// The API key and signing key files changed by two writers at once (the server and `npm run keys`
// are two processes, each with its own store object): every change is kept, none is written over.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { withFileLock } from '../file-lock.ts';
import { FileApiKeys } from '../store/file-api-keys.ts';
import { FileSigningKeys } from '../store/file-signing-keys.ts';
import type { ApiKeyRecord } from '../store/shared-store.ts';

let dir: string;
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'sv-key-lock-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

function record(id: string): ApiKeyRecord {
  return { id, name: id, environment: 'test', scopes: ['tokens'], hash: `hash-${id}`, preview: 'sv_test_x', createdAt: 1, lastUsedAt: null, revokedAt: null };
}

describe('API key file under two writers', () => {
  it('keeps every key both added, and every revocation', async () => {
    const server = new FileApiKeys(dir);
    const cli = new FileApiKeys(dir);
    const ids = Array.from({ length: 24 }, (_, i) => `k${i}`);
    await Promise.all(ids.map((id, i) => (i % 2 === 0 ? server : cli).add(record(id))));
    assert.deepEqual((await server.list()).map((r) => r.id).sort(), [...ids].sort());
    await Promise.all(ids.slice(0, 8).map((id, i) => (i % 2 === 0 ? cli : server).update(id, { revokedAt: 5 })));
    const revoked = (await cli.list()).filter((r) => r.revokedAt === 5).map((r) => r.id);
    assert.deepEqual(revoked.sort(), ids.slice(0, 8).sort());
    assert.deepEqual((await readdir(dir)).filter((name) => name.endsWith('.lock') || name.endsWith('.tmp')), []);
  });

  it('keeps every signing key two writers add at once', async () => {
    const folder = path.join(dir, 'keys');
    const writers = [new FileSigningKeys(folder), new FileSigningKeys(folder)];
    const first = { kid: 'first', createdAt: 1, privateJwk: {}, publicJwk: {} };
    await writers[0]!.load(async () => first);
    const kids = Array.from({ length: 12 }, (_, i) => `kid${i}`);
    await Promise.all(kids.map((kid, i) => writers[i % 2]!.add({ kid, createdAt: 2 + i, privateJwk: {}, publicJwk: {} })));
    const stored = await writers[1]!.load(async () => first);
    assert.deepEqual(stored.map((key) => key.kid).sort(), ['first', ...kids].sort());
  });

  it('takes over a lock left by a process that died', async () => {
    const file = path.join(dir, 'stale.json');
    await writeFile(`${file}.lock`, '999999\n');
    const old = new Date(Date.now() - 60_000);
    await utimes(`${file}.lock`, old, old);
    const started = Date.now();
    assert.equal(await withFileLock(file, async () => 'done'), 'done');
    assert.ok(Date.now() - started < 2000);
  });

  it('waits for a lock that is held, then runs', async () => {
    const file = path.join(dir, 'held.json');
    const order: string[] = [];
    await Promise.all([
      withFileLock(file, async () => {
        order.push('first in');
        await new Promise((resolve) => setTimeout(resolve, 100));
        order.push('first out');
      }),
      new Promise((resolve) => setTimeout(resolve, 10)).then(() => withFileLock(file, async () => void order.push('second'))),
    ]);
    assert.deepEqual(order, ['first in', 'first out', 'second']);
  });
});
