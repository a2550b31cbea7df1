// Ranges, response headers, path handling and CORS on the content endpoint (plan C).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TEST_ORIGIN, content, mint, rawRequest, startTestBackend, type TestBackend } from './helpers.ts';

let t: TestBackend;
let token: string;
let file: Buffer;

before(async () => {
  t = await startTestBackend();
  token = await mint(t.url, 'long');
  file = await readFile(path.join(t.dataDir, 'documents', 'long.pdf'));
});
after(() => t.close());

async function ranged(range: string, extra: Record<string, string> = {}): Promise<{ response: Response; body: Buffer }> {
  const response = await content(t.url, 'long', token, { Range: range, ...extra });
  return { response, body: Buffer.from(await response.arrayBuffer()) };
}

describe('byte ranges', () => {
  it('206 with exact Content-Range and body for the three forms', async () => {
    const size = file.length;
    for (const [range, start, end] of [
      ['bytes=0-1023', 0, 1023],
      ['bytes=500-', 500, size - 1],
      ['bytes=-500', size - 500, size - 1],
    ] as const) {
      const { response, body } = await ranged(range);
      assert.equal(response.status, 206, range);
      assert.equal(response.headers.get('content-range'), `bytes ${start}-${end}/${size}`);
      assert.equal(response.headers.get('content-length'), String(end - start + 1));
      assert.equal(response.headers.get('accept-ranges'), 'bytes');
      assert.ok(body.equals(file.subarray(start, end + 1)), range);
    }
  });

  it('416 with bytes */size when unsatisfiable', async () => {
    const { response } = await ranged('bytes=999999999-');
    assert.equal(response.status, 416);
    assert.equal(response.headers.get('content-range'), `bytes */${file.length}`);
  });

  it('the whole body (200) for reversed, garbage and multiple ranges', async () => {
    for (const range of ['bytes=1000-999', 'bytes=abc', 'bytes=0-10,5-20,3-30', 'items=0-5']) {
      const { response, body } = await ranged(range);
      assert.equal(response.status, 200, range);
      assert.ok(body.equals(file), range);
      assert.equal(response.headers.get('content-range'), null);
    }
  });

  it('If-Range: strong match → 206; stale or weak → 200; without Range → 200', async () => {
    const etag = (await content(t.url, 'long', token, { Range: 'bytes=0-0' })).headers.get('etag')!;
    assert.match(etag, /^"[^"]+"$/, 'strong ETag');
    assert.equal((await ranged('bytes=0-9', { 'If-Range': etag })).response.status, 206);
    assert.equal((await ranged('bytes=0-9', { 'If-Range': '"stale"' })).response.status, 200);
    assert.equal((await ranged('bytes=0-9', { 'If-Range': `W/${etag}` })).response.status, 200);
    const noRange = await content(t.url, 'long', token, { 'If-Range': etag });
    assert.equal(noRange.status, 200);
    await noRange.arrayBuffer();
  });

  it('HEAD gives the headers without a body', async () => {
    const response = await fetch(`${t.url}/api/documents/long/content`, { method: 'HEAD', headers: { Authorization: `Bearer ${token}` } });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-length'), String(file.length));
  });

  it('large files are streamed, ranged near the end too', async () => {
    const large = await mint(t.url, 'large');
    const head = await content(t.url, 'large', large, { Range: 'bytes=-1024' });
    assert.equal(head.status, 206);
    assert.equal((await head.arrayBuffer()).byteLength, 1024);
  });
});

describe('response headers', () => {
  it('no-store, nosniff, PDF type, inline disposition and no Content-Encoding even when gzip is accepted', async () => {
    const response = await content(t.url, 'long', token, { 'Accept-Encoding': 'gzip, br' });
    await response.arrayBuffer();
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(response.headers.get('content-type'), 'application/pdf');
    assert.equal(response.headers.get('content-encoding'), null);
    assert.equal(response.headers.get('content-length'), String(file.length));
    assert.match(response.headers.get('content-disposition') ?? '', /^inline; filename="Long report\.pdf"/);
  });

  it('401/404/416 bodies carry no-store and never echo the token', async () => {
    for (const response of [await content(t.url, 'long', 'x.y.z'), await content(t.url, 'nope', token), await content(t.url, 'long', token, { Range: 'bytes=99999999-' })]) {
      assert.equal(response.headers.get('cache-control'), 'no-store');
      const text = await response.text();
      assert.ok(!text.includes(token));
    }
  });
});

describe('document ids and paths', () => {
  it('traversal and odd ids are 404, never a file', async () => {
    const paths = [
      '/api/documents/../../etc/passwd/content',
      '/api/documents/%2e%2e%2f%2e%2e%2fetc%2fpasswd/content',
      '/api/documents/..%252f..%252fetc/content',
      '/api/documents/..\\..\\etc/content',
      '/api/documents/a%00.pdf/content',
      '/api/documents/%EF%BC%8E%EF%BC%8E%EF%BC%8F/content',
      '/api/documents//etc/passwd/content',
      '/api/documents/long.pdf/content',
    ];
    for (const rawPath of paths) {
      const response = await rawRequest(t.url, rawPath, { Authorization: `Bearer ${token}` });
      assert.equal(response.status, 404, rawPath);
      assert.ok(!response.body.includes('root:'), rawPath);
      assert.ok(!response.body.includes('%PDF'), rawPath);
    }
  });
});

describe('CORS', () => {
  it('preflight from an allowed origin: exact origin, Authorization/Range/If-Range, exposed headers, 7200 s, no 401', async () => {
    const response = await fetch(`${t.url}/api/documents/long/content`, {
      method: 'OPTIONS',
      headers: { Origin: TEST_ORIGIN, 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization,range' },
    });
    assert.equal(response.status, 204);
    assert.equal(response.headers.get('access-control-allow-origin'), TEST_ORIGIN);
    assert.match(response.headers.get('vary') ?? '', /Origin/);
    const allowHeaders = (response.headers.get('access-control-allow-headers') ?? '').toLowerCase();
    for (const header of ['authorization', 'range', 'if-range']) assert.ok(allowHeaders.includes(header), header);
    const exposed = (response.headers.get('access-control-expose-headers') ?? '').toLowerCase();
    for (const header of ['content-range', 'accept-ranges', 'etag', 'retry-after', 'www-authenticate']) assert.ok(exposed.includes(header), header);
    assert.equal(response.headers.get('access-control-max-age'), '7200');
    assert.equal(response.headers.get('access-control-allow-credentials'), null);
  });

  it('a disallowed origin gets no CORS headers', async () => {
    const preflight = await fetch(`${t.url}/api/documents/long/content`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://evil.test', 'Access-Control-Request-Method': 'GET' },
    });
    assert.equal(preflight.headers.get('access-control-allow-origin'), null);
    const get = await content(t.url, 'long', token, { Origin: 'https://evil.test', Range: 'bytes=0-1' });
    assert.equal(get.headers.get('access-control-allow-origin'), null);
    await get.arrayBuffer();
  });

  it('actual responses to an allowed origin expose the range headers, without credentials', async () => {
    const get = await content(t.url, 'long', token, { Origin: TEST_ORIGIN, Range: 'bytes=0-1' });
    await get.arrayBuffer();
    assert.equal(get.headers.get('access-control-allow-origin'), TEST_ORIGIN);
    assert.match(get.headers.get('access-control-expose-headers') ?? '', /Content-Range/);
    assert.equal(get.headers.get('access-control-allow-credentials'), null);
  });

  it('the password endpoint allows credentials for allowed origins only', async () => {
    const allowed = await fetch(`${t.url}/api/documents/protected/password-token`, {
      method: 'OPTIONS',
      headers: { Origin: TEST_ORIGIN, 'Access-Control-Request-Method': 'POST' },
    });
    assert.equal(allowed.headers.get('access-control-allow-credentials'), 'true');
    const denied = await fetch(`${t.url}/api/documents/protected/password-token`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://evil.test', 'Access-Control-Request-Method': 'POST' },
    });
    assert.equal(denied.headers.get('access-control-allow-credentials'), null);
    assert.equal(denied.headers.get('access-control-allow-origin'), null);
  });

  it('allowedOrigins may be a function', async () => {
    const other = await import('./helpers.ts').then((h) => h.startTestBackend({ allowedOrigins: (origin) => origin.endsWith('.example.com') }));
    try {
      const yes = await fetch(`${other.url}/api/tokens`, { method: 'OPTIONS', headers: { Origin: 'https://app.example.com' } });
      assert.equal(yes.headers.get('access-control-allow-origin'), 'https://app.example.com');
      const no = await fetch(`${other.url}/api/tokens`, { method: 'OPTIONS', headers: { Origin: 'https://example.org' } });
      assert.equal(no.headers.get('access-control-allow-origin'), null);
    } finally {
      await other.close();
    }
  });
});
