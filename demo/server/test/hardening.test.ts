// Limits and defaults from the security review of `npm run serve`: client addresses behind
// proxies, limits on successful exchanges, the bounded scrypt queue and throttle table, slow and
// numerous connections, file modes, concurrent start on a fresh folder, restarts.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { clientAddress, parseTrustedProxies, throttleKey } from '../../../server/client-address.ts';
import { HasherBusyError, PasswordHasher } from '../../../server/password-hasher.ts';
import { PER_CLIENT, PER_DOCUMENT, PER_DOCUMENT_AND_CLIENT, PasswordThrottle, SESSIONS_PER_DOCUMENT_AND_CLIENT } from '../../../server/password-throttle.ts';
import { createMemoryStore } from '../../../server/store/memory-store.ts';
import { startBackend, type RunningBackend } from '../app.ts';
import { content, json, mint, startTestBackend, type TestBackend } from './helpers.ts';

const PASSWORD = 'reader-2026';

function exchangeAs(url: string, client: string | null, id: string, password: string): Promise<Response> {
  return fetch(`${url}/api/documents/${id}/password-token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(client ? { 'X-Forwarded-For': client } : {}) },
    body: JSON.stringify({ password }),
  });
}

describe('client address', () => {
  const proxies = parseTrustedProxies(['loopback', '10.0.0.0/8']);

  it('believes X-Forwarded-For only from a trusted proxy, read from the right', () => {
    assert.equal(clientAddress('203.0.113.9', '198.51.100.1', proxies), '203.0.113.9', 'untrusted peer');
    assert.equal(clientAddress('127.0.0.1', '198.51.100.1', proxies), '198.51.100.1');
    // The client wrote the left entry itself; the right one was added by our proxy chain.
    assert.equal(clientAddress('127.0.0.1', '1.2.3.4, 198.51.100.1, 10.1.2.3', proxies), '198.51.100.1');
    assert.equal(clientAddress('::ffff:127.0.0.1', '198.51.100.1', proxies), '198.51.100.1', 'IPv4-mapped peer');
    assert.equal(clientAddress('127.0.0.1', 'garbage', proxies), '127.0.0.1');
    assert.equal(clientAddress('127.0.0.1', '198.51.100.1', parseTrustedProxies([])), '127.0.0.1', 'no proxy configured');
  });

  it('counts IPv6 clients by /64 and IPv4 clients by address', () => {
    assert.equal(throttleKey('2001:db8:1:2:aaaa::1'), throttleKey('2001:db8:1:2:bbbb:cccc:dddd:2'));
    assert.notEqual(throttleKey('2001:db8:1:2::1'), throttleKey('2001:db8:1:3::1'));
    assert.equal(throttleKey('2001:db8:1:2::1'), '2001:db8:1:2::/64');
    assert.equal(throttleKey('::ffff:192.0.2.7'), '192.0.2.7');
    assert.notEqual(throttleKey('192.0.2.7'), throttleKey('192.0.2.8'));
  });

  it('refuses malformed proxy entries', () => {
    for (const entry of ['nope', '10.0.0.0/33', '10.0.0.1/8/1', 'fd00::/129']) assert.throws(() => parseTrustedProxies([entry]), entry);
  });
});

describe('password exchange behind a trusted proxy', () => {
  let t: TestBackend;
  before(async () => {
    t = await startTestBackend({ trustedProxies: ['loopback'] });
  });
  after(() => t.close());

  it('throttles each forwarded client on its own: one locked-out reader does not lock out the next', async () => {
    for (let i = 0; i < PER_DOCUMENT_AND_CLIENT.points; i++) assert.equal((await exchangeAs(t.url, '198.51.100.1', 'protected', `wrong-${i}`)).status, 401);
    assert.equal((await exchangeAs(t.url, '198.51.100.1', 'protected', 'again')).status, 429);
    const other = await exchangeAs(t.url, '198.51.100.2', 'protected', PASSWORD);
    assert.equal(other.status, 200, 'another client behind the same proxy');
  });

  it('limits successful exchanges too: new sessions per document and client', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < SESSIONS_PER_DOCUMENT_AND_CLIENT.points + 2; i++) statuses.push((await exchangeAs(t.url, '198.51.100.3', 'protected', PASSWORD)).status);
    assert.deepEqual(statuses.slice(0, SESSIONS_PER_DOCUMENT_AND_CLIENT.points), Array(SESSIONS_PER_DOCUMENT_AND_CLIENT.points).fill(200));
    assert.deepEqual(statuses.slice(SESSIONS_PER_DOCUMENT_AND_CLIENT.points), [429, 429]);
  });
});

describe('password exchange without a trusted proxy', () => {
  let t: TestBackend;
  before(async () => {
    t = await startTestBackend();
  });
  after(() => t.close());

  it('ignores X-Forwarded-For: a guesser cannot pose as many clients', async () => {
    const statuses: number[] = [];
    for (let i = 0; i <= PER_DOCUMENT_AND_CLIENT.points; i++) statuses.push((await exchangeAs(t.url, `198.51.100.${i + 10}`, 'protected', `wrong-${i}`)).status);
    assert.equal(statuses.at(-1), 429);
  });
});

describe('bounded work', () => {
  it('the scrypt queue is bounded: jobs beyond it are refused at once', async () => {
    const hasher = new PasswordHasher({ cost: 2 ** 14, maxConcurrent: 1, maxQueued: 2 });
    const stored = await hasher.hash('secret');
    const outcomes = await Promise.allSettled(Array.from({ length: 10 }, () => hasher.verify('guess', stored)));
    const busy = outcomes.filter((o) => o.status === 'rejected' && o.reason instanceof HasherBusyError).length;
    assert.equal(busy, 7, '1 running + 2 waiting, the other 7 refused');
    assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 3);
  });

  it('a full scrypt queue answers 503 with Retry-After, not a queue without end', async () => {
    const t = await startTestBackend({ trustedProxies: ['loopback'], passwordHashing: { maxConcurrent: 1, maxQueued: 1 } });
    try {
      const replies = await Promise.all(Array.from({ length: 12 }, (_, i) => exchangeAs(t.url, `203.0.113.${i + 1}`, 'protected', `wrong-${i}`)));
      const statuses = replies.map((r) => r.status);
      assert.ok(statuses.includes(503), `statuses ${statuses.join(',')}`);
      assert.ok(statuses.every((s) => s === 401 || s === 503), `statuses ${statuses.join(',')}`);
      for (const reply of replies.filter((r) => r.status === 503)) assert.equal(reply.headers.get('retry-after'), '1');
      // A refused-as-busy attempt is no failure of the client: it may try again at once.
      const busyIndex = statuses.indexOf(503);
      assert.equal((await exchangeAs(t.url, `203.0.113.${busyIndex + 1}`, 'protected', PASSWORD)).status, 200);
    } finally {
      await t.close();
    }
  });

  it('the throttle table stays small when one client makes up 100,000 document ids', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sv-throttle-size-'));
    try {
      const store = await createMemoryStore({ dataDir: dir });
      const throttle = new PasswordThrottle(store);
      let refused = 0;
      for (let i = 0; i < 100_000; i++) {
        const reservation = await throttle.reserve(`ghost-${i}`, '192.0.2.1');
        if (reservation.allowed) await reservation.settle(false);
        else refused++;
      }
      assert.equal(refused, 100_000 - PER_CLIENT.points);
      const entries = [PER_CLIENT, PER_DOCUMENT_AND_CLIENT, PER_DOCUMENT, SESSIONS_PER_DOCUMENT_AND_CLIENT]
        .map((rule) => (store.limiter(rule) as RateLimiterMemory).dump().storage.length)
        .reduce((a, b) => a + b, 0);
      assert.ok(entries <= 1 + 3 * PER_CLIENT.points, `${entries} counter entries`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

function openSocket(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => resolve(socket));
    socket.on('error', reject);
  });
}

function closedWithin(socket: Socket, ms: number): Promise<{ closed: boolean; data: string }> {
  return new Promise((resolve) => {
    let data = '';
    socket.on('data', (chunk: Buffer) => (data += chunk.toString('latin1')));
    const timer = setTimeout(() => resolve({ closed: false, data }), ms);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ closed: true, data });
    });
  });
}

describe('slow and numerous clients', () => {
  it('a client that never finishes its headers is cut off after the header timeout', async () => {
    const t = await startTestBackend({ limits: { headersTimeoutMs: 300 } });
    try {
      const socket = await openSocket(t.url);
      socket.write('GET /api/documents/sample/content HTTP/1.1\r\nHost: x\r\nX-Slow: ');
      const started = Date.now();
      const result = await closedWithin(socket, 5000);
      assert.ok(result.closed, 'closed by the server');
      assert.match(result.data, /^HTTP\/1\.1 408/);
      assert.ok(Date.now() - started < 3000, `after ${Date.now() - started} ms`);
    } finally {
      await t.close();
    }
  });

  it('connections beyond the cap are closed at once', async () => {
    const t = await startTestBackend({ limits: { maxConnections: 2 } });
    const sockets: Socket[] = [];
    try {
      for (let i = 0; i < 2; i++) sockets.push(await openSocket(t.url));
      const third = await openSocket(t.url);
      sockets.push(third);
      third.write('GET /api/documents HTTP/1.1\r\nHost: x\r\n\r\n');
      const result = await closedWithin(third, 3000);
      assert.ok(result.closed, 'the third connection is dropped');
      assert.equal(result.data, '', 'without an answer');
      // The first two still work.
      sockets[0]!.write('GET /nothing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
      const first = await closedWithin(sockets[0]!, 3000);
      assert.match(first.data, /^HTTP\/1\.1 404/);
    } finally {
      for (const socket of sockets) socket.destroy();
      await t.close();
    }
  });
});

async function modes(folder: string): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  const walk = async (dir: string): Promise<void> => {
    found.set(path.relative(folder, dir) || '.', (await stat(dir)).mode & 0o777);
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else found.set(path.relative(folder, full), (await stat(full)).mode & 0o777);
    }
  };
  await walk(folder);
  return found;
}

describe('data folder', () => {
  it('files are 0600 and folders 0700', async () => {
    const t = await startTestBackend({ apiKey: undefined });
    try {
      // Write a revocation and a refresh family so their files exist too.
      await fetch(`${t.url}/api/documents/long/revoke`, { method: 'POST', headers: { Authorization: `Bearer ${t.apiKey}` } });
      assert.equal((await exchangeAs(t.url, null, 'protected', PASSWORD)).status, 200);
      await t.backend.close();
      const found = await modes(t.dataDir);
      for (const name of ['.', 'documents', 'keys']) assert.equal(found.get(name), 0o700, name);
      for (const name of ['api-keys.json', 'api-keys-last-used.json', 'keys/signing-key.jwk.json', 'keys/signing-keys.json', 'documents/sample.pdf', 'documents/sample.json', 'revocations.json', 'refresh-families.journal']) {
        assert.equal(found.get(name), 0o600, name);
      }
      for (const [name, mode] of found) assert.equal(mode & 0o077, 0, `${name} is ${mode.toString(8)}`);
    } finally {
      await rm(t.dataDir, { recursive: true, force: true });
    }
  });

  it('two instances started at once on a fresh folder both come up, with one key and one API key', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'sv-twin-start-'));
    const started: RunningBackend[] = [];
    try {
      const options = { port: 0, dataDir, testSwitches: true, scryptCost: 2 ** 14, log: () => {} };
      const [a, b] = await Promise.all([startBackend(options), startBackend(options)]);
      started.push(a, b);
      // One first API key between them: the instance that made it shows it, and it works on both.
      assert.equal([a, b].filter((backend) => backend.apiKeyGenerated).length, 1);
      const apiKey = a.apiKey || b.apiKey;
      for (const backend of [a, b]) assert.equal((await fetch(`${backend.url}/api/documents`, { headers: { Authorization: `Bearer ${apiKey}` } })).status, 200);
      const token = await mint(a.url, 'sample');
      assert.equal((await content(b.url, 'sample', token, { Range: 'bytes=0-99' })).status, 206, 'B verifies what A signed');
      const leftovers = (await readdir(path.join(dataDir, 'documents'))).filter((name) => name.endsWith('.tmp'));
      assert.deepEqual(leftovers, []);
    } finally {
      await Promise.all(started.map((backend) => backend.close()));
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('a restart keeps revocations: a revoked token stays refused, a revoked document\'s old tokens too', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'sv-restart-'));
    const options = { port: 0, dataDir, testSwitches: true, scryptCost: 2 ** 14, log: () => {} };
    let backend = await startBackend(options);
    try {
      const perToken = await mint(backend.url, 'sample');
      const perDocument = await mint(backend.url, 'long');
      const { jti, exp } = JSON.parse(Buffer.from(perToken.split('.')[1]!, 'base64url').toString()) as { jti: string; exp: number };
      const headers = { Authorization: `Bearer ${backend.apiKey}`, 'Content-Type': 'application/json' };
      assert.equal((await fetch(`${backend.url}/api/tokens/revoke`, { method: 'POST', headers, body: JSON.stringify({ jti, exp }) })).status, 200);
      assert.equal((await fetch(`${backend.url}/api/documents/long/revoke`, { method: 'POST', headers })).status, 200);
      await backend.close();
      backend = await startBackend(options);
      assert.equal((await content(backend.url, 'sample', perToken)).status, 401);
      assert.equal((await content(backend.url, 'long', perDocument)).status, 401);
      const fresh = await mint(backend.url, 'long');
      assert.equal((await content(backend.url, 'long', fresh, { Range: 'bytes=0-9' })).status, 206);
    } finally {
      await backend.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('uploads', () => {
  let t: TestBackend;
  before(async () => {
    t = await startTestBackend();
  });
  after(() => t.close());

  async function upload(query: string): Promise<{ status: number; id: string | undefined }> {
    const bytes = Buffer.from('%PDF-1.4\n%%EOF\n');
    const response = await fetch(`${t.url}/api/documents${query}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${t.apiKey}`, 'Content-Type': 'application/pdf' },
      body: bytes,
    });
    const body = await json<{ document_id?: string }>(response);
    return { status: response.status, id: body.document_id };
  }

  async function granted(id: string): Promise<string[]> {
    const response = await fetch(`${t.url}/api/tokens`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${t.apiKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ allowed_documents: [{ document_id: id, document_permissions: ['read', 'download', 'print', 'copy'] }] }),
    });
    const { jwt } = await json<{ jwt: string }>(response);
    return (JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as { permissions: string[] }).permissions;
  }

  it('grant read only unless the uploader says more', async () => {
    const plain = await upload('?title=Plain');
    assert.equal(plain.status, 201);
    assert.deepEqual(await granted(plain.id!), ['read']);
    const printable = await upload('?title=Printable&permissions=read,print');
    assert.equal(printable.status, 201);
    assert.deepEqual(await granted(printable.id!), ['read', 'print']);
    assert.equal((await upload('?permissions=print')).status, 400, 'read is required');
    assert.equal((await upload('?permissions=read,root')).status, 400);
  });
});
