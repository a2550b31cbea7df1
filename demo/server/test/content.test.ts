// Ranges, response headers, path handling and CORS on the content endpoint: adversarial test plan
// C26–C34 (security.md §3). Pure Range/If-Range logic is unit-tested in range.test.ts.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it, test } from 'node:test';
import { TEST_ORIGIN, content, mint, rawRequest, startTestBackend, type TestBackend } from './helpers.ts';

let t: TestBackend;
let token: string;
let file: Buffer;
/** Outside the data folder; reachable only through a symlink planted in storage (C30). */
let outsideDir: string;
const OUTSIDE_SECRET = '%PDF-1.7 outside-the-storage-root';

before(async () => {
  outsideDir = await mkdtemp(path.join(tmpdir(), 'sv-outside-'));
  const outsideFile = path.join(outsideDir, 'secret.pdf');
  await writeFile(outsideFile, OUTSIDE_SECRET);
  t = await startTestBackend({}, async (dataDir) => {
    const documents = path.join(dataDir, 'documents');
    await mkdir(documents, { recursive: true });
    await symlink(outsideFile, path.join(documents, 'linked.pdf'));
    const meta = { id: 'linked', title: 'Linked', size: OUTSIDE_SECRET.length, pages: 1, etag: '"linked"', permissions: ['read'] };
    await writeFile(path.join(documents, 'linked.json'), JSON.stringify(meta));
  });
  token = await mint(t.url, 'long');
  file = await readFile(path.join(t.dataDir, 'documents', 'long.pdf'));
});
after(async () => {
  await t.close();
  await rm(outsideDir, { recursive: true, force: true });
});

async function ranged(range: string, extra: Record<string, string> = {}): Promise<{ response: Response; body: Buffer }> {
  const response = await content(t.url, 'long', token, { Range: range, ...extra });
  return { response, body: Buffer.from(await response.arrayBuffer()) };
}

describe('byte ranges', () => {
  it('C26: 206 with exact Content-Range and body for the three forms', async () => {
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

  it('C27: 416 with bytes */size when unsatisfiable', async () => {
    const { response } = await ranged('bytes=999999999-');
    assert.equal(response.status, 416);
    assert.equal(response.headers.get('content-range'), `bytes */${file.length}`);
  });

  it('C28: the whole body (200) for reversed, garbage and foreign-unit ranges', async () => {
    for (const range of ['bytes=1000-999', 'bytes=abc', 'items=0-5', 'bytes=0-9,x']) {
      const { response, body } = await ranged(range);
      assert.equal(response.status, 200, range);
      assert.ok(body.equals(file), range);
      assert.equal(response.headers.get('content-range'), null);
      assert.equal(response.headers.get('content-type'), 'application/pdf');
    }
  });

  it('several ranges: overlapping ones merge into one plain part, far ones come as multipart/byteranges', async () => {
    const merged = await ranged('bytes=0-10,5-20,3-30');
    assert.equal(merged.response.status, 206);
    assert.equal(merged.response.headers.get('content-range'), `bytes 0-30/${file.length}`);
    assert.ok(merged.body.equals(file.subarray(0, 31)));

    const far = await ranged('bytes=50000-50009,10-19');
    assert.equal(far.response.status, 206);
    const type = far.response.headers.get('content-type') ?? '';
    const boundary = /^multipart\/byteranges; boundary=(\S+)$/.exec(type)?.[1];
    assert.ok(boundary, type);
    assert.equal(Number(far.response.headers.get('content-length')), far.body.length);
    const text = far.body.toString('latin1');
    // Sorted by position, each part with its own Content-Range and exactly its bytes.
    const first = text.indexOf(`Content-Range: bytes 10-19/${file.length}\r\n\r\n`);
    const second = text.indexOf(`Content-Range: bytes 50000-50009/${file.length}\r\n\r\n`);
    assert.ok(first > 0 && second > first);
    const firstBody = far.body.subarray(text.indexOf('\r\n\r\n', first) + 4).subarray(0, 10);
    assert.ok(firstBody.equals(file.subarray(10, 20)));
    assert.ok(text.endsWith(`\r\n--${boundary}--\r\n`));
  });

  it('C28: 100 small unordered ranges are refused with 416, about as fast as a plain request', async () => {
    const many = Array.from({ length: 100 }, (_, i) => {
      const start = (i * 7919) % (file.length - 10);
      return `${start}-${start + 3}`;
    }).join(',');
    const plainTimes: number[] = [];
    const manyTimes: number[] = [];
    for (let i = 0; i < 3; i++) {
      let started = performance.now();
      await (await content(t.url, 'long', token)).arrayBuffer();
      plainTimes.push(performance.now() - started);
      started = performance.now();
      const { response } = await ranged(`bytes=${many}`);
      manyTimes.push(performance.now() - started);
      // More ranges than a request may list (64): refused, and nothing of the file is sent.
      assert.equal(response.status, 416);
      assert.equal(response.headers.get('content-range'), `bytes */${file.length}`);
    }
    // Generous bound: the range list must cost no more than a few plain downloads.
    const slowest = Math.min(...manyTimes);
    assert.ok(slowest < Math.max(500, 5 * Math.min(...plainTimes)), `${slowest.toFixed(1)} ms vs ${Math.min(...plainTimes).toFixed(1)} ms`);
  });

  it('C29: If-Range: strong match → 206; stale or weak → 200; without Range → 200', async () => {
    const etag = (await content(t.url, 'long', token, { Range: 'bytes=0-0' })).headers.get('etag')!;
    assert.match(etag, /^"[^"]+"$/, 'strong ETag');
    assert.equal((await ranged('bytes=0-9', { 'If-Range': etag })).response.status, 206);
    assert.equal((await ranged('bytes=0-9', { 'If-Range': '"stale"' })).response.status, 200);
    assert.equal((await ranged('bytes=0-9', { 'If-Range': `W/${etag}` })).response.status, 200);
    const noRange = await content(t.url, 'long', token, { 'If-Range': etag });
    assert.equal(noRange.status, 200);
    await noRange.arrayBuffer();
  });

  it('full-body downloads of a large file leave no listeners behind (no MaxListenersExceededWarning)', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error): void => {
      warnings.push(warning.name);
    };
    process.on('warning', onWarning);
    try {
      for (let i = 0; i < 2; i++) assert.equal((await (await content(t.url, 'long', token)).arrayBuffer()).byteLength, file.length);
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      process.off('warning', onWarning);
    }
    assert.deepEqual(warnings.filter((name) => name === 'MaxListenersExceededWarning'), []);
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
  it('C31: no Content-Encoding even when gzip is accepted; exact Content-Length; no-store, nosniff, PDF type, inline disposition', async () => {
    const response = await content(t.url, 'long', token, { 'Accept-Encoding': 'gzip, br' });
    await response.arrayBuffer();
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(response.headers.get('content-type'), 'application/pdf');
    assert.equal(response.headers.get('content-encoding'), null);
    assert.equal(response.headers.get('content-length'), String(file.length));
    assert.match(response.headers.get('content-disposition') ?? '', /^inline; filename="Long report\.pdf"/);
  });

  it('C32: 401/404/416 bodies carry no-store and never echo the token', async () => {
    for (const response of [await content(t.url, 'long', 'x.y.z'), await content(t.url, 'nope', token), await content(t.url, 'long', token, { Range: 'bytes=99999999-' })]) {
      assert.equal(response.headers.get('cache-control'), 'no-store');
      const text = await response.text();
      assert.ok(!text.includes(token));
    }
  });

  it('C32: headers on 200, 206, 401 and 416: no-store, nosniff, a Content-Type, no token echo, WWW-Authenticate on 401', async () => {
    const cases: Array<[number, Response]> = [
      [200, await content(t.url, 'long', token)],
      [206, await content(t.url, 'long', token, { Range: 'bytes=0-99' })],
      [401, await content(t.url, 'long', `${token.slice(0, -4)}AAAA`)],
      [416, await content(t.url, 'long', token, { Range: 'bytes=99999999-' })],
    ];
    for (const [status, response] of cases) {
      assert.equal(response.status, status);
      assert.equal(response.headers.get('cache-control'), 'no-store', `${status}`);
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff', `${status}`);
      assert.equal(response.headers.get('referrer-policy'), 'no-referrer', `${status}`);
      assert.equal(response.headers.get('content-type'), status < 300 ? 'application/pdf' : 'application/json; charset=utf-8', `${status}`);
      const headerText = [...response.headers.entries()].map(([name, value]) => `${name}: ${value}`).join('\n');
      const body = Buffer.from(await response.arrayBuffer()).toString('latin1');
      for (const part of token.split('.')) {
        assert.ok(!headerText.includes(part), `${status}: token part in headers`);
        assert.ok(!body.includes(part), `${status}: token part in body`);
      }
      if (status === 401) assert.equal(response.headers.get('www-authenticate'), 'Bearer error="invalid_token"');
      else assert.equal(response.headers.get('www-authenticate'), null);
    }
  });
});

describe('document ids and paths', () => {
  it('C30: traversal and odd ids are 404, never a file', async () => {
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

  it('C30: the file system is never touched outside the data folder, and a symlink out of storage is 404', async () => {
    // fs spy: every path handed to the calls that could read a document.
    const touched: Array<[string, string]> = [];
    const originals = {
      createReadStream: fs.createReadStream,
      realpath: fs.promises.realpath,
      open: fs.promises.open,
      readFile: fs.promises.readFile,
      stat: fs.promises.stat,
    };
    const record = (name: string, target: unknown): void => {
      touched.push([name, String(target)]);
    };
    const patched = fs as unknown as Record<string, unknown>;
    const patchedPromises = fs.promises as unknown as Record<string, unknown>;
    patched['createReadStream'] = (target: unknown, ...rest: unknown[]) => (record('createReadStream', target), (originals.createReadStream as (...a: unknown[]) => unknown)(target, ...rest));
    for (const name of ['realpath', 'open', 'readFile', 'stat'] as const) {
      patchedPromises[name] = (target: unknown, ...rest: unknown[]) => (record(name, target), (originals[name] as (...a: unknown[]) => unknown)(target, ...rest));
    }
    syncBuiltinESMExports();
    try {
      for (const rawPath of ['/api/documents/../../etc/passwd/content', '/api/documents/%2e%2e%2f%2e%2e%2fetc%2fpasswd/content', `/api/documents/${encodeURIComponent(outsideDir)}/content`]) {
        assert.equal((await rawRequest(t.url, rawPath, { Authorization: `Bearer ${token}` })).status, 404, rawPath);
      }
      assert.equal(touched.length, 0, `rejected ids never reach the file system: ${JSON.stringify(touched)}`);

      const linkedToken = await mint(t.url, 'linked');
      const linked = await content(t.url, 'linked', linkedToken);
      assert.equal(linked.status, 404);
      assert.ok(!(await linked.text()).includes('outside-the-storage-root'));
      assert.ok(touched.length > 0, 'the spy sees the containment check');
      for (const [name, target] of touched) {
        assert.ok(target.startsWith(t.dataDir), `${name}(${target}) stays inside the data folder`);
        assert.notEqual(name, 'createReadStream', 'the symlinked file is never opened');
      }
      assert.ok(t.logs.some((line) => line.includes('content.refused doc=linked reason=outside-storage')));

      // Control: a normal document is read, from inside the data folder.
      touched.length = 0;
      const normal = await content(t.url, 'long', token, { Range: 'bytes=0-9' });
      assert.equal(normal.status, 206);
      await normal.arrayBuffer();
      assert.ok(touched.some(([name, target]) => name === 'createReadStream' && target.startsWith(t.dataDir)));
    } finally {
      patched['createReadStream'] = originals.createReadStream;
      for (const name of ['realpath', 'open', 'readFile', 'stat'] as const) patchedPromises[name] = originals[name];
      syncBuiltinESMExports();
    }
  });
});

describe('CORS', () => {
  it('C33: preflight from an allowed origin: exact origin, Authorization/Range/If-Range, exposed headers, 7200 s, no 401', async () => {
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

  it('C33: preflights are never 401: bad Authorization, no Origin, every API route', async () => {
    for (const route of ['/api/documents/long/content', '/api/documents/protected/password-token', '/api/documents/protected/refresh', '/api/documents/nope/content']) {
      const variants: Array<Record<string, string>> = [
        { Origin: TEST_ORIGIN, 'Access-Control-Request-Method': 'GET', Authorization: 'Bearer not.a.token' },
        { 'Access-Control-Request-Method': 'GET' },
        { Origin: 'https://evil.test', 'Access-Control-Request-Method': 'GET' },
      ];
      for (const headers of variants) {
        const response = await fetch(`${t.url}${route}`, { method: 'OPTIONS', headers });
        assert.equal(response.status, 204, `${route} ${JSON.stringify(headers)}`);
        assert.equal(response.headers.get('www-authenticate'), null);
        const allowed = headers.Origin === TEST_ORIGIN;
        assert.equal(response.headers.get('access-control-allow-origin'), allowed ? TEST_ORIGIN : null);
        assert.equal(response.headers.get('access-control-max-age'), allowed ? '7200' : null);
        if (!allowed) assert.equal(response.headers.get('access-control-allow-headers'), null);
      }
    }
  });

  it('C33: a disallowed origin gets no CORS headers', async () => {
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

  it('server-to-server routes (API key) have no CORS, not even for an allowed origin', async () => {
    for (const [method, route] of [
      ['OPTIONS', '/api/tokens'],
      ['OPTIONS', '/api/documents'],
      ['OPTIONS', '/api/documents/long/revoke'],
      ['GET', '/api/documents'],
    ] as const) {
      const response = await fetch(`${t.url}${route}`, { method, headers: { Origin: TEST_ORIGIN, 'Access-Control-Request-Method': 'POST' } });
      assert.equal(response.headers.get('access-control-allow-origin'), null, `${method} ${route}`);
      assert.equal(response.headers.get('access-control-allow-methods'), null, `${method} ${route}`);
      await response.arrayBuffer();
    }
  });

  it('allowedOrigins may be a function', async () => {
    const other = await import('./helpers.ts').then((h) => h.startTestBackend({ allowedOrigins: (origin) => origin.endsWith('.example.com') }));
    try {
      const yes = await fetch(`${other.url}/api/documents/long/content`, { method: 'OPTIONS', headers: { Origin: 'https://app.example.com' } });
      assert.equal(yes.headers.get('access-control-allow-origin'), 'https://app.example.com');
      const no = await fetch(`${other.url}/api/documents/long/content`, { method: 'OPTIONS', headers: { Origin: 'https://example.org' } });
      assert.equal(no.headers.get('access-control-allow-origin'), null);
    } finally {
      await other.close();
    }
  });
});

describe('preflight cost', () => {
  it('C34 (server side): one stable document URL and a 7200 s preflight lifetime; same-origin requests get no CORS headers', async () => {
    const preflights = await Promise.all(
      ['bytes=0-65535', 'bytes=65536-131071'].map(() =>
        fetch(`${t.url}/api/documents/long/content`, { method: 'OPTIONS', headers: { Origin: TEST_ORIGIN, 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization,range' } }),
      ),
    );
    for (const response of preflights) assert.equal(response.headers.get('access-control-max-age'), '7200');
    // Ranges of one document share one URL (no per-range query), so one cached preflight covers them.
    const sameOrigin = await content(t.url, 'long', token, { Range: 'bytes=0-65535' });
    assert.equal(sameOrigin.status, 206);
    assert.equal(sameOrigin.headers.get('access-control-allow-origin'), null);
    await sameOrigin.arrayBuffer();
  });

  test.todo('C34: count real OPTIONS requests while a browser loads a 20 MiB PDF in 64 KiB chunks (needs a browser preflight cache; belongs to the browser suite)');
});
