// Password guessing, spraying and refresh-token lifetime: adversarial test plan B14, B16, B18–B24
// (security.md §3). scrypt is wrapped to count how often and how concurrently the KDF runs; the
// throttle and refresh store get a fake clock where the plan needs minutes or hours to pass.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it, mock } from 'node:test';
import { ALL_PERMISSIONS } from '../../../server/document-meta.ts';
import { DocumentStore } from '../../../server/document-store.ts';
import { PasswordHasher } from '../../../server/password-hasher.ts';
import { PER_CLIENT, PER_DOCUMENT, PER_DOCUMENT_AND_CLIENT, PasswordThrottle } from '../../../server/password-throttle.ts';
import { FAMILY_LIFETIME_MS, REUSE_GRACE_MS } from '../../../server/refresh-policy.ts';
import { MemoryRefreshFamilies as RefreshStore } from '../../../server/store/memory-refresh-families.ts';
import { createMemoryStore } from '../../../server/store/memory-store.ts';
import { buildSample } from '../samples.ts';
import { content, decodePart, json, median, requestFrom, startTestBackend, type TestBackend } from './helpers.ts';

const PROTECTED_PASSWORD = 'reader-2026';
const CONTRACT_PASSWORD = 'contract-pass-2026';

// Counts every scrypt run and the most that ran at once. Patched before any request is made;
// syncBuiltinESMExports makes the `import { scrypt }` binding in passwords.ts see the wrapper.
const originalScrypt = crypto.scrypt;
const kdf = { calls: 0, running: 0, maxRunning: 0 };
(crypto as { scrypt: unknown }).scrypt = (...args: unknown[]): void => {
  kdf.calls++;
  kdf.running++;
  kdf.maxRunning = Math.max(kdf.maxRunning, kdf.running);
  const callback = args.at(-1) as (error: Error | null, key: Buffer) => void;
  (originalScrypt as (...a: unknown[]) => void)(...args.slice(0, -1), (error: Error | null, key: Buffer) => {
    kdf.running--;
    callback(error, key);
  });
};
syncBuiltinESMExports();

let t: TestBackend;

before(async () => {
  // A second password-protected document, "contract", so a password can be tried on the wrong one (B23).
  t = await startTestBackend({}, async (dataDir) => {
    const store = await DocumentStore.open(dataDir);
    const hasher = new PasswordHasher(2 ** 14);
    await store.add({ id: 'contract', title: 'Contract', bytes: await buildSample(), passwordHash: await hasher.hash(CONTRACT_PASSWORD), permissions: ALL_PERMISSIONS });
  });
});
after(async () => {
  (crypto as { scrypt: unknown }).scrypt = originalScrypt;
  syncBuiltinESMExports();
  const logText = t.logs.join('\n');
  for (const secret of [PROTECTED_PASSWORD, CONTRACT_PASSWORD]) assert.ok(!logText.includes(secret), 'a password reached the log');
  await t.close();
});

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A password attempt from one loopback address (each test uses its own, so its own per-client counter). */
function attempt(from: string, id: string, password: unknown, query = ''): Promise<Reply> {
  return requestFrom(t.url, from, 'POST', `/api/documents/${id}/password-token${query}`, { 'Content-Type': 'application/json' }, JSON.stringify({ password }));
}

async function alias(document = 'protected'): Promise<string> {
  const response = await fetch(`${t.url}/__test/scenarios`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ document }) });
  return (await json<{ id: string }>(response)).id;
}

function errorCode(reply: Reply): string {
  return (JSON.parse(reply.body) as { error: { code: string } }).error.code;
}

describe('password guessing (HTTP)', () => {
  it('B19: 50 parallel wrong attempts on one document: 5 reach the KDF, 45 get 429', async () => {
    const id = await alias();
    const calls = kdf.calls;
    const replies = await Promise.all(Array.from({ length: 50 }, (_, i) => attempt('127.0.0.3', id, `parallel-${i}`)));
    const statuses = replies.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 401).length, PER_DOCUMENT_AND_CLIENT.points);
    assert.equal(statuses.filter((s) => s === 429).length, 50 - PER_DOCUMENT_AND_CLIENT.points);
    assert.equal(kdf.calls - calls, PER_DOCUMENT_AND_CLIENT.points, 'only admitted attempts are hashed');
    for (const reply of replies.filter((r) => r.status === 429)) assert.ok(Number(reply.headers['retry-after']) > 0);
  });

  it('B19: concurrent KDF jobs stay at or below the cap (4) under 30 parallel admitted attempts', async () => {
    const ids = await Promise.all(Array.from({ length: 6 }, () => alias()));
    kdf.maxRunning = kdf.running;
    const replies = await Promise.all(ids.flatMap((id) => Array.from({ length: 5 }, (_, i) => attempt('127.0.0.6', id, `job-${i}`))));
    assert.ok(replies.every((r) => r.status === 401), 'all admitted and evaluated');
    assert.ok(kdf.maxRunning <= 4, `max concurrent scrypt ${kdf.maxRunning}`);
    assert.ok(kdf.maxRunning >= 2, 'the load was parallel enough to exercise the cap');
  });

  it('B20: spraying one guess at 200 ids from one client hits the per-client limit; unknown ids behave the same', async () => {
    const real = await Promise.all(Array.from({ length: 100 }, () => alias()));
    const results: Array<{ exists: boolean; reply: Reply }> = [];
    for (let i = 0; i < 200; i++) {
      const exists = i % 2 === 1;
      const id = exists ? real[(i - 1) / 2]! : `ghost-${i}`;
      results.push({ exists, reply: await attempt('127.0.0.4', id, `spray-${i}`) });
    }
    const statuses = results.map((r) => r.reply.status);
    assert.deepEqual(statuses.slice(0, PER_CLIENT.points), Array(PER_CLIENT.points).fill(401));
    assert.deepEqual(statuses.slice(PER_CLIENT.points), Array(200 - PER_CLIENT.points).fill(429));
    for (const status of [401, 429]) {
      const kinds = new Set(results.filter((r) => r.reply.status === status).map((r) => `${r.exists}`));
      assert.deepEqual([...kinds].sort(), ['false', 'true'], `${status} reached both real and unknown ids`);
      const texts = new Set(results.filter((r) => r.reply.status === status).map((r) => errorCode(r.reply)));
      assert.equal(texts.size, 1, `one body for ${status}`);
    }
    const retryAfter = Number(results.at(-1)!.reply.headers['retry-after']);
    assert.ok(retryAfter > 60 && retryAfter <= PER_CLIENT.durationSeconds, `per-client Retry-After ${retryAfter}`);
    // Another client is unaffected.
    assert.equal((await attempt('127.0.0.7', real[0]!, PROTECTED_PASSWORD)).status, 200);
  });

  it('B21: unknown id and wrong password: same status and body, one KDF run each, similar timing', async () => {
    const aliases = await Promise.all(Array.from({ length: 9 }, () => alias()));
    const timings = { wrong: [] as number[], unknown: [] as number[], passwordless: [] as number[] };
    const bodies = new Set<string>();
    // Interleaved, so machine noise hits all three paths alike.
    for (let i = 0; i < 9; i++) {
      for (const [kind, id] of [['wrong', aliases[i]!], ['unknown', `missing-doc-${i}`], ['passwordless', i < 4 ? 'sample' : 'long']] as const) {
        const calls = kdf.calls;
        const started = performance.now();
        const reply = await attempt('127.0.0.5', id, `wrong-${i}`);
        timings[kind].push(performance.now() - started);
        assert.equal(reply.status, 401, `${kind} ${id}`);
        assert.equal(kdf.calls - calls, 1, `${kind}: exactly one KDF run`);
        assert.equal(reply.headers['set-cookie'], undefined);
        bodies.add(reply.body);
      }
    }
    assert.equal(bodies.size, 1, 'one generic body');
    const medians = Object.values(timings).map(median);
    const ratio = Math.max(...medians) / Math.min(...medians);
    // Without the dummy hash the unknown path would be roughly 10–50× faster; noise stays far below 2.5×.
    assert.ok(ratio < 2.5, `median ratio ${ratio.toFixed(2)} (${medians.map((m) => m.toFixed(1)).join(' / ')} ms)`);
  });

  it('B22: oversized or non-string passwords are refused without running the KDF', async () => {
    const id = await alias();
    const calls = kdf.calls;
    const cases: Array<[unknown, number]> = [
      ['x'.repeat(2048), 400],
      ['x'.repeat(1024 * 1024), 413],
      [{ $ne: 1 }, 400],
      [['reader-2026'], 400],
      [12345, 400],
      [undefined, 400],
      ['', 400],
    ];
    for (const [password, status] of cases) {
      const reply = await attempt('127.0.0.8', id, password);
      assert.equal(reply.status, status, JSON.stringify(password)?.slice(0, 30));
      assert.equal(reply.headers['set-cookie'], undefined);
    }
    assert.equal(kdf.calls, calls, 'no KDF run for refused input');
    // Control: 1 KiB exactly is accepted and hashed (then fails as a wrong password).
    const limit = await attempt('127.0.0.8', id, 'x'.repeat(1024));
    assert.equal(limit.status, 401);
    assert.equal(kdf.calls, calls + 1);
  });

  it('B22: an id no document can have (5,000 characters, odd characters) is refused before any counting or hashing', async () => {
    const calls = kdf.calls;
    for (const id of ['a'.repeat(5000), 'a'.repeat(65), '-leading-dash', 'dot.ted']) {
      const exchange = await attempt('127.0.0.17', id, 'reader-2026');
      assert.equal(exchange.status, 404, id.slice(0, 20));
      const renewal = await requestFrom(t.url, '127.0.0.17', 'POST', `/api/documents/${id}/refresh`, { Cookie: 'sv_refresh=abc' });
      assert.equal(renewal.status, 404, id.slice(0, 20));
    }
    assert.equal(kdf.calls, calls, 'no KDF run');
    assert.ok(!t.logs.some((line) => line.includes(' audit ') && line.includes('a'.repeat(65))), 'not even audited as a password failure');
    // Control: the longest valid id is an unknown document, hashed like any other.
    const longest = await attempt('127.0.0.17', 'a'.repeat(64), 'reader-2026');
    assert.equal(longest.status, 401);
    assert.equal(kdf.calls, calls + 1);
  });

  it('B23: the password of document A on document B is a generic failure without token or cookie', async () => {
    const cases: Array<[string, string]> = [
      ['contract', PROTECTED_PASSWORD],
      ['protected', CONTRACT_PASSWORD],
      ['sample', PROTECTED_PASSWORD],
    ];
    for (const [id, password] of cases) {
      const reply = await attempt('127.0.0.9', id, password);
      assert.equal(reply.status, 401, id);
      assert.equal(errorCode(reply), 'invalid_password');
      assert.equal(reply.headers['set-cookie'], undefined);
      assert.ok(!reply.body.includes('token"'), 'no token');
    }
    // Control: each password works on its own document, and the token stays bound to it.
    const ok = await attempt('127.0.0.9', 'contract', CONTRACT_PASSWORD);
    assert.equal(ok.status, 200);
    const { token } = JSON.parse(ok.body) as { token: string };
    assert.equal(decodePart(token, 1)['doc'], 'contract');
    assert.equal((await content(t.url, 'protected', token)).status, 404);
  });

  it('B24: a password in the query string is refused (400), never hashed and never logged', async () => {
    const calls = kdf.calls;
    const id = await alias();
    for (const query of [`?password=${PROTECTED_PASSWORD}`, `?Password=x&password=${PROTECTED_PASSWORD}`]) {
      const reply = await attempt('127.0.0.10', id, PROTECTED_PASSWORD, query);
      assert.equal(reply.status, 400);
      assert.equal(errorCode(reply), 'password_in_url');
      assert.equal(reply.headers['set-cookie'], undefined);
    }
    assert.equal(kdf.calls, calls);
    assert.ok(!t.logs.join('\n').includes(PROTECTED_PASSWORD), 'server log');
    const log = await json<{ requests: Array<{ query: string }> }>(await fetch(`${t.url}/__test/scenarios/${id}/log`));
    assert.ok(log.requests.length >= 2);
    assert.ok(!JSON.stringify(log).includes(PROTECTED_PASSWORD), 'request log');
  });
});

describe('throttle backoff (fake clock)', () => {
  it('B18: a guesser who retries whenever allowed meets a growing Retry-After, and never exceeds the limits', async () => {
    mock.timers.enable({ apis: ['Date', 'setTimeout'], now: 0 });
    try {
      const dir = await mkdtemp(path.join(tmpdir(), 'sv-throttle-test-'));
      const throttle = new PasswordThrottle(await createMemoryStore({ dataDir: dir }));
      const waits: number[] = [];
      const failures: number[] = [];
      while (Date.now() < 60 * 60_000) {
        const reservation = await throttle.reserve('d', 'ip');
        if (reservation.allowed) {
          await reservation.settle(false);
          failures.push(Date.now());
          mock.timers.tick(100);
        } else {
          waits.push(reservation.retryAfterSeconds);
          mock.timers.tick(reservation.retryAfterSeconds * 1000);
        }
      }
      await rm(dir, { recursive: true, force: true });
      assert.ok(waits[0]! > 0 && waits[0]! <= 60, `first wait ${waits[0]}`);
      assert.ok(Math.max(...waits) > 4 * waits[0]!, `waits grow: ${waits.slice(0, 12).join(', ')}…`);
      // Counting windows are fixed, so the end of one and the start of the next can meet: any
      // 15 minutes hold at most twice the per-client limit, which stays at NIST's 100.
      for (const start of failures) {
        const inWindow = failures.filter((at) => at >= start && at < start + PER_CLIENT.durationSeconds * 1000).length;
        assert.ok(inWindow <= 2 * PER_CLIENT.points, `${inWindow} failures in 15 min`);
      }
      assert.ok(2 * PER_CLIENT.points <= 100 && PER_DOCUMENT.points <= 100);
      const perHour = failures.length;
      assert.ok(perHour <= 4 * PER_CLIENT.points, `${perHour} failures in an hour`);
    } finally {
      mock.timers.reset();
    }
  });
});

describe('refresh families (fake clock)', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sv-refresh-test-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('B14: replaying a rotated token after the grace window revokes the family; inside it returns the same successor', async () => {
    let now = 1_000_000;
    const store = await RefreshStore.open(dir, () => now);
    const rt1 = (await store.create('doc')).token;
    const first = await store.rotate(rt1, 'doc');
    assert.equal(first.kind, 'ok');
    const rt2 = first.kind === 'ok' ? first.token : '';
    now += REUSE_GRACE_MS - 1000;
    const inside = await store.rotate(rt1, 'doc');
    assert.deepEqual(inside.kind === 'ok' ? inside.token : inside.kind, rt2, 'same successor within the grace window');
    now += 2000;
    assert.deepEqual(await store.rotate(rt1, 'doc'), { kind: 'reuse', doc: 'doc' });
    assert.deepEqual(await store.rotate(rt2, 'doc'), { kind: 'invalid' }, 'the successor dies with its family');
    await store.flush();
  });

  it('B16: rotation never extends the absolute lifetime', async () => {
    let now = 5_000_000;
    const store = await RefreshStore.open(dir, () => now);
    const created = await store.create('doc');
    let token = created.token;
    const maxAges = [created.maxAgeSeconds];
    // Refresh every 7 hours (inside the 8 h idle limit), each time with a fresh token.
    for (let hours = 7; hours < 24; hours += 7) {
      now += 7 * 3_600_000;
      const result = await store.rotate(token, 'doc');
      assert.equal(result.kind, 'ok', `at ${hours} h`);
      if (result.kind !== 'ok') return;
      token = result.token;
      maxAges.push(result.maxAgeSeconds);
    }
    for (let i = 1; i < maxAges.length; i++) assert.ok(maxAges[i]! < maxAges[i - 1]!, `cookie lifetime shrinks: ${maxAges.join(', ')}`);
    assert.ok(maxAges.every((age) => age <= FAMILY_LIFETIME_MS / 1000));
    now = 5_000_000 + FAMILY_LIFETIME_MS; // 24 h after the password, with a token rotated 3 h ago
    assert.deepEqual(await store.rotate(token, 'doc'), { kind: 'invalid' });
    await store.flush();
  });
});
