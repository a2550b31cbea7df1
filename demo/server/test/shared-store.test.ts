// Two instances sharing one Redis and one data folder, as behind a load balancer: what one
// instance does (revoke, rotate, count, upload) holds on the other, and across restarts.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { PER_DOCUMENT_AND_CLIENT } from '../../../server/password-throttle.ts';
import { REUSE_GRACE_MS } from '../../../server/refresh-policy.ts';
import { startBackend, type BackendOptions, type RunningBackend } from '../app.ts';
import { content, json, mint } from './helpers.ts';
import { startRedis, type TestRedis } from './redis-server.ts';

const PASSWORD = 'reader-2026';

let redis: TestRedis;
let dataDir: string;
let options: BackendOptions;
let a: RunningBackend;
let b: RunningBackend;

before(async () => {
  redis = await startRedis();
  dataDir = await mkdtemp(path.join(tmpdir(), 'sv-shared-'));
  options = {
    port: 0,
    dataDir,
    redisUrl: redis.url,
    testSwitches: true,
    trustedProxies: ['loopback'],
    scryptCost: 2 ** 14,
    log: () => {},
  };
  // Both at once, on a fresh folder and an empty Redis.
  [a, b] = await Promise.all([startBackend(options), startBackend(options)]);
  apiKey = a.apiKey || b.apiKey;
});

after(async () => {
  await Promise.all([a?.close(), b?.close()]);
  await redis?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

/** Retries `check` until it holds (pub/sub delivery takes a moment), at most `ms`. */
async function eventually(check: () => Promise<boolean>, ms = 2000): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function status(response: Promise<Response>): Promise<number> {
  const reply = await response;
  await reply.arrayBuffer();
  return reply.status;
}

function exchange(url: string, client: string, id: string, password: string): Promise<Response> {
  return fetch(`${url}/api/documents/${id}/password-token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': client },
    body: JSON.stringify({ password }),
  });
}

function cookieOf(response: Response): string {
  const match = /sv_refresh=([^;]*)/.exec(response.headers.get('set-cookie') ?? '');
  return match?.[1] ?? '';
}

function refresh(url: string, id: string, cookie: string): Promise<Response> {
  return fetch(`${url}/api/documents/${id}/refresh`, { method: 'POST', headers: { Cookie: `sv_refresh=${cookie}` } });
}

/** The first API key, made by whichever instance won the start (keys are kept as hashes only). */
let apiKey = '';

function apiHeaders(_backend: RunningBackend): Record<string, string> {
  return { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' };
}

describe('two instances, one Redis', () => {
  it('started together on a fresh folder: one API key, one signing key, no leftovers', async () => {
    assert.equal([a, b].filter((backend) => backend.apiKeyGenerated).length, 1, 'one first API key, shown by the instance that made it');
    const token = await mint(a.url, 'sample');
    assert.equal(await status(content(b.url, 'sample', token, { Range: 'bytes=0-99' })), 206);
    assert.deepEqual((await readdir(path.join(dataDir, 'documents'))).filter((name) => name.endsWith('.tmp')), []);
  });

  it('an upload on A is listed and served by B', async () => {
    const upload = await fetch(`${a.url}/api/documents?title=Shared`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/pdf' },
      body: Buffer.from('%PDF-1.4\n% shared between instances\n%%EOF\n'),
    });
    assert.equal(upload.status, 201);
    const { document_id: id } = await json<{ document_id: string }>(upload);
    const listed = await json<{ documents: Array<{ id: string }> }>(await fetch(`${b.url}/api/documents`, { headers: apiHeaders(b) }));
    assert.ok(listed.documents.some((document) => document.id === id), 'listed on B');
    const issued = await fetch(`${b.url}/api/tokens`, {
      method: 'POST',
      headers: apiHeaders(b),
      body: JSON.stringify({ allowed_documents: [{ document_id: id, document_permissions: ['read'] }] }),
    });
    assert.equal(issued.status, 200);
    const { jwt } = await json<{ jwt: string }>(issued);
    const served = await content(b.url, id, jwt, { Range: 'bytes=0-7' });
    assert.equal(served.status, 206);
    assert.equal(await served.text(), '%PDF-1.4');
  });

  it('a document revoked on A refuses its tokens on B; tokens issued afterwards work', async () => {
    const token = await mint(b.url, 'long');
    assert.equal(await status(content(b.url, 'long', token, { Range: 'bytes=0-9' })), 206);
    assert.equal(await status(fetch(`${a.url}/api/documents/long/revoke`, { method: 'POST', headers: apiHeaders(a) })), 200);
    assert.ok(await eventually(async () => (await status(content(b.url, 'long', token, { Range: 'bytes=0-9' }))) === 401), 'refused on B');
    assert.equal(await status(content(a.url, 'long', token, { Range: 'bytes=0-9' })), 401, 'and on A');
    const fresh = await mint(b.url, 'long');
    assert.equal(await status(content(b.url, 'long', fresh, { Range: 'bytes=0-9' })), 206);
  });

  it('one token revoked on A is refused on B; other tokens of the document still work', async () => {
    const revoked = await mint(a.url, 'sample');
    const other = await mint(a.url, 'sample');
    const { jti, exp } = JSON.parse(Buffer.from(revoked.split('.')[1]!, 'base64url').toString()) as { jti: string; exp: number };
    assert.equal(await status(fetch(`${a.url}/api/tokens/revoke`, { method: 'POST', headers: apiHeaders(a), body: JSON.stringify({ jti, exp }) })), 200);
    assert.ok(await eventually(async () => (await status(content(b.url, 'sample', revoked, { Range: 'bytes=0-9' }))) === 401), 'refused on B');
    assert.equal(await status(content(b.url, 'sample', other, { Range: 'bytes=0-9' })), 206);
  });

  it('password failures are counted once for both instances', async () => {
    const client = '198.51.100.20';
    const statuses: number[] = [];
    for (let i = 0; i < PER_DOCUMENT_AND_CLIENT.points; i++) statuses.push(await status(exchange(i % 2 ? a.url : b.url, client, 'protected', `wrong-${i}`)));
    assert.deepEqual(statuses, Array(PER_DOCUMENT_AND_CLIENT.points).fill(401));
    const onA = await exchange(a.url, client, 'protected', PASSWORD);
    const onB = await exchange(b.url, client, 'protected', PASSWORD);
    assert.deepEqual([onA.status, onB.status], [429, 429], 'locked on both, even with the right password');
    assert.ok(Number(onB.headers.get('retry-after')) > 0);
  });

  it('parallel guesses spread over both instances cannot exceed the limit', async () => {
    const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => status(exchange(i % 2 ? a.url : b.url, '198.51.100.21', 'protected', `p-${i}`))));
    assert.equal(replies.filter((s) => s === 401).length, PER_DOCUMENT_AND_CLIENT.points);
    assert.equal(replies.filter((s) => s === 429).length, 20 - PER_DOCUMENT_AND_CLIENT.points);
  });

  it('a refresh rotated on A and used on B at the same moment gets one successor, no revocation', async () => {
    const login = await exchange(a.url, '198.51.100.22', 'protected', PASSWORD);
    assert.equal(login.status, 200);
    const rt1 = cookieOf(login);
    const [onA, onB] = await Promise.all([refresh(a.url, 'protected', rt1), refresh(b.url, 'protected', rt1)]);
    assert.deepEqual([onA.status, onB.status], [200, 200]);
    assert.equal(cookieOf(onA), cookieOf(onB), 'the same successor');
    assert.equal((await refresh(b.url, 'protected', cookieOf(onA))).status, 200, 'the family lives on');
  });

  it('a refresh rotated on A and replayed on B after the grace window revokes the whole family', async () => {
    const login = await exchange(a.url, '198.51.100.23', 'protected', PASSWORD);
    const rt1 = cookieOf(login);
    const rotated = await refresh(a.url, 'protected', rt1);
    assert.equal(rotated.status, 200);
    const rt2 = cookieOf(rotated);
    await new Promise((resolve) => setTimeout(resolve, REUSE_GRACE_MS + 300));
    const replay = await refresh(b.url, 'protected', rt1);
    assert.equal(replay.status, 401, 'reuse detected on B');
    assert.equal((await refresh(a.url, 'protected', rt2)).status, 401, 'the successor died with its family, on A too');
  });

  it('range requests need no Redis round trip: they are served while Redis is paused', async () => {
    const token = await mint(b.url, 'large');
    assert.equal(await status(content(b.url, 'large', token, { Range: 'bytes=0-32767' })), 206);
    const control = new Redis(redis.url);
    try {
      await control.client('PAUSE', 3000, 'ALL');
      const started = Date.now();
      const statuses = await Promise.all(Array.from({ length: 20 }, (_, i) => status(content(b.url, 'large', token, { Range: `bytes=${i * 32768}-${i * 32768 + 32767}` }))));
      const elapsed = Date.now() - started;
      assert.deepEqual(statuses, Array(20).fill(206));
      assert.ok(elapsed < 1500, `served in ${elapsed} ms while Redis was paused for 3000 ms`);
    } finally {
      await control.client('UNPAUSE').catch(() => {});
      control.disconnect();
    }
  });

  it('a restart keeps revocations, and a restarted instance sees revocations made meanwhile', async () => {
    const early = await mint(a.url, 'pages-1000');
    await a.close();
    // While A is down, B revokes the document.
    assert.equal(await status(fetch(`${b.url}/api/documents/pages-1000/revoke`, { method: 'POST', headers: apiHeaders(b) })), 200);
    a = await startBackend(options);
    assert.equal(await status(content(a.url, 'pages-1000', early, { Range: 'bytes=0-9' })), 401);
    assert.equal(await status(content(a.url, 'long', await mint(b.url, 'long'), { Range: 'bytes=0-9' })), 206, 'fresh tokens of other documents work');
  });
});
