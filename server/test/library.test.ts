// secure-viewer/server without the demo: the handlers over an in-memory "object store" (a range
// reader function), mounted in Node's http through the adapter, and called fetch-style.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import {
  PER_DOCUMENT_AND_CLIENT,
  PasswordHasher,
  createMemoryStore,
  createSecureViewerServer,
  etagFor,
  generateSigningKeys,
  throttleKey,
  toNodeListener,
  type HostedDocument,
  type SecureViewerServer,
  type SharedStore,
} from '../index.ts';

const PASSWORD = 'library-pass-2026';
/** The object store stand-in: bytes by key, read by range. */
const objects = new Map<string, Buffer>();
const reads: Array<[string, number, number]> = [];

function objectSource(key: string) {
  return (start: number, end: number): Readable => {
    reads.push([key, start, end]);
    return Readable.from([objects.get(key)!.subarray(start, end + 1)]);
  };
}

let dir: string;
let store: SharedStore;
let viewer: SecureViewerServer;
let server: Server;
let url: string;
const documents = new Map<string, HostedDocument>();

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'sv-library-'));
  store = await createMemoryStore({ dataDir: dir });
  const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(100_000, 7), Buffer.from('\n%%EOF\n')]);
  objects.set('bucket/report.pdf', pdf);
  const hasher = new PasswordHasher({ cost: 2 ** 14 });
  documents.set('report', { title: 'Report', size: pdf.length, etag: etagFor(pdf), source: objectSource('bucket/report.pdf'), permissions: ['read'] });
  documents.set('locked', {
    title: 'Locked',
    size: pdf.length,
    etag: etagFor(pdf),
    source: objectSource('bucket/report.pdf'),
    permissions: ['read', 'print'],
    passwordHash: await hasher.hash(PASSWORD),
  });
  viewer = createSecureViewerServer({
    store,
    keys: await generateSigningKeys(),
    documents: async (id) => documents.get(id) ?? null,
    passwordHashing: { cost: 2 ** 14 },
  });
  server = createServer(
    toNodeListener(async (request, req) => {
      const client = { key: throttleKey(req.socket.remoteAddress ?? ''), https: false };
      return (await viewer.handle(request, client)) ?? new Response('Not found', { status: 404 });
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

function get(id: string, token: string | null, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${url}/api/documents/${id}/content`, { headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...headers } });
}

describe('document handler over a range reader (Node http)', () => {
  it('serves one range from the object store, reading only that range', async () => {
    const { token } = await viewer.tokens.issue({ doc: 'report', permissions: ['read'], lifetimeSeconds: 60 });
    reads.length = 0;
    const response = await get('report', token, { Range: 'bytes=1000-1099' });
    assert.equal(response.status, 206);
    assert.equal(response.headers.get('content-range'), `bytes 1000-1099/${objects.get('bucket/report.pdf')!.length}`);
    assert.equal(response.headers.get('content-length'), '100');
    assert.equal(response.headers.get('accept-ranges'), 'bytes');
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.equal(response.headers.get('content-encoding'), null);
    assert.deepEqual(Buffer.from(await response.arrayBuffer()), objects.get('bucket/report.pdf')!.subarray(1000, 1100));
    assert.deepEqual(reads, [['bucket/report.pdf', 1000, 1099]]);
  });

  it('416 past the end, 401 without a valid token, the same 404 for another document and an unknown one', async () => {
    const { token } = await viewer.tokens.issue({ doc: 'report', permissions: ['read'], lifetimeSeconds: 60 });
    const beyond = await get('report', token, { Range: 'bytes=999999999-' });
    assert.equal(beyond.status, 416);
    assert.equal(beyond.headers.get('content-range'), `bytes */${objects.get('bucket/report.pdf')!.length}`);
    const missing = await get('report', null);
    assert.equal(missing.status, 401);
    assert.equal(missing.headers.get('www-authenticate'), 'Bearer error="invalid_token"');
    const other = await get('locked', token);
    const unknown = await get('nothing', token);
    assert.deepEqual([other.status, unknown.status], [404, 404]);
    assert.equal(await other.text(), await unknown.text());
  });

  it('403 insufficient_scope for a download without the download permission', async () => {
    const { token } = await viewer.tokens.issue({ doc: 'report', permissions: ['read'], lifetimeSeconds: 60 });
    const response = await fetch(`${url}/api/documents/report/content?disposition=attachment`, { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(response.status, 403);
    assert.match(response.headers.get('www-authenticate') ?? '', /insufficient_scope/);
  });

  it('a token verified once is still refused once it expires', async () => {
    // Two seconds: `exp` counts whole seconds from `iat`, so a one-second token issued late in a
    // second can expire before its first request.
    const { token } = await viewer.tokens.issue({ doc: 'report', permissions: ['read'], lifetimeSeconds: 2 });
    assert.equal((await get('report', token, { Range: 'bytes=0-9' })).status, 206);
    await new Promise((resolve) => setTimeout(resolve, 3100));
    assert.equal((await get('report', token, { Range: 'bytes=0-9' })).status, 401);
  });

  it('a revoked document refuses its tokens at the next request', async () => {
    const { token } = await viewer.tokens.issue({ doc: 'report', permissions: ['read'], lifetimeSeconds: 60 });
    assert.equal((await get('report', token, { Range: 'bytes=0-9' })).status, 206);
    await viewer.tokens.revokeDocument('report');
    const refused = await get('report', token, { Range: 'bytes=0-9' });
    assert.equal(refused.status, 401);
    // Still invalid_token for OAuth clients; the description tells a viewer not to renew.
    assert.equal(refused.headers.get('www-authenticate'), 'Bearer error="invalid_token", error_description="revoked"');
    const { token: fresh } = await viewer.tokens.issue({ doc: 'report', permissions: ['read'], lifetimeSeconds: 60 });
    assert.equal((await get('report', fresh, { Range: 'bytes=0-9' })).status, 206);
  });
});

describe('document handler written straight to Node http (content.node)', () => {
  it('a client gone while its request was decided leaves no source open', async () => {
    let release = () => {};
    const decided = new Promise<void>((resolve) => (release = resolve));
    const opened: Readable[] = [];
    const slow = createSecureViewerServer({
      store,
      keys: await generateSigningKeys(),
      documents: async (id) => {
        // The lookup takes its time: long enough for the client to go.
        await decided;
        const document = documents.get(id);
        if (!document) return null;
        const source = (start: number, end: number) => {
          // In small pieces, as a store streams: a pipe that stalls leaves it open half-way.
          const bytes = objects.get('bucket/report.pdf')!.subarray(start, end + 1);
          const pieces = Array.from({ length: Math.ceil(bytes.length / 1024) }, (_, i) => bytes.subarray(i * 1024, (i + 1) * 1024));
          const stream = Readable.from(pieces);
          opened.push(stream);
          return stream;
        };
        return { ...document, source };
      },
    });
    const { token } = await slow.tokens.issue({ doc: 'report', permissions: ['read'], lifetimeSeconds: 60 });
    let handled: Promise<void> = Promise.resolve();
    const node = createServer((req, res) => {
      handled = slow.content.node(req, res, 'report');
    });
    await new Promise<void>((resolve) => node.listen(0, '127.0.0.1', resolve));
    try {
      const socket = connect((node.address() as AddressInfo).port, '127.0.0.1');
      await new Promise<void>((resolve) => socket.once('connect', resolve));
      socket.write(`GET /api/documents/report/content HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nRange: bytes=0-99999\r\n\r\n`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      socket.destroy();
      await new Promise((resolve) => setTimeout(resolve, 100));
      release();
      await handled;
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal(opened.length, 1);
      assert.equal(opened[0]!.destroyed, true);
    } finally {
      node.closeAllConnections();
      await new Promise<void>((resolve) => node.close(() => resolve()));
    }
  });
});

describe('handlers called fetch-style (no Node http)', () => {
  it('content: a web Request in, a web Response with a readable body out', async () => {
    const { token } = await viewer.tokens.issue({ doc: 'report', permissions: ['read'], lifetimeSeconds: 60 });
    const response = await viewer.content(
      new Request('https://viewer.example/api/documents/report/content', { headers: { Authorization: `Bearer ${token}`, Range: 'bytes=-7' } }),
      'report',
    );
    assert.equal(response.status, 206);
    assert.equal(Buffer.from(await response.arrayBuffer()).toString(), '\n%%EOF\n');
  });

  it('routes only its own paths', async () => {
    const client = { key: '192.0.2.1', https: true };
    assert.equal(await viewer.handle(new Request('https://viewer.example/elsewhere'), client), null);
    assert.equal(await viewer.handle(new Request('https://viewer.example/api/documents/../etc/content'), client), null);
  });
});

describe('password exchange and refresh', () => {
  function exchange(password: string, client = '192.0.2.10', https = true): Promise<Response> {
    const request = new Request('https://viewer.example/api/documents/locked/password-token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ password }),
    });
    return viewer.passwordExchange(request, 'locked', { key: client, https });
  }

  function refresh(cookie: string): Promise<Response> {
    const request = new Request('https://viewer.example/api/documents/locked/refresh', { method: 'POST', headers: { Cookie: `sv_refresh=${cookie}` } });
    return viewer.refresh(request, 'locked', { key: '192.0.2.10', https: true });
  }

  function cookieOf(response: Response): string {
    return /sv_refresh=([^;]*)/.exec(response.headers.get('set-cookie') ?? '')?.[1] ?? '';
  }

  it('exchanges the password for a token and a Secure, HttpOnly refresh cookie scoped to the document', async () => {
    const response = await exchange(PASSWORD);
    assert.equal(response.status, 200);
    const { token } = (await response.json()) as { token: string };
    assert.equal((await get('locked', token, { Range: 'bytes=0-9' })).status, 206);
    const setCookie = response.headers.get('set-cookie') ?? '';
    assert.match(setCookie, /HttpOnly; SameSite=Strict; Path=\/api\/documents\/locked\/; Max-Age=\d+; Secure/);
  });

  it('rotates the refresh cookie; a replay after the grace window revokes the family', async () => {
    const login = await exchange(PASSWORD, '192.0.2.11');
    const rt1 = cookieOf(login);
    const rotated = await refresh(rt1);
    assert.equal(rotated.status, 200);
    const rt2 = cookieOf(rotated);
    assert.notEqual(rt2, rt1);
    await new Promise((resolve) => setTimeout(resolve, 5300));
    assert.equal((await refresh(rt1)).status, 401);
    assert.equal((await refresh(rt2)).status, 401, 'the family is revoked');
  });

  it('throttles wrong passwords per client, before hashing', async () => {
    const statuses: number[] = [];
    for (let i = 0; i <= PER_DOCUMENT_AND_CLIENT.points; i++) statuses.push((await exchange(`wrong-${i}`, '192.0.2.12')).status);
    assert.deepEqual(statuses, [...Array(PER_DOCUMENT_AND_CLIENT.points).fill(401), 429]);
    const limited = await exchange(PASSWORD, '192.0.2.12');
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
  });

  it('refuses foreign origins and form posts at the refresh endpoint', async () => {
    const foreign = new Request('https://viewer.example/api/documents/locked/refresh', { method: 'POST', headers: { Origin: 'https://evil.test' } });
    assert.equal((await viewer.refresh(foreign, 'locked', { key: '192.0.2.13', https: true })).status, 403);
    const form = new Request('https://viewer.example/api/documents/locked/refresh', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'a=1',
    });
    assert.equal((await viewer.refresh(form, 'locked', { key: '192.0.2.13', https: true })).status, 403);
  });
});
