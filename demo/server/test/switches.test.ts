// Test switches and fault scenarios (what the browser suite relies on), and that they are
// absent without `testSwitches`.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { TEST_ORIGIN, content, json, mint, startTestBackend, type TestBackend } from './helpers.ts';

let t: TestBackend;
before(async () => {
  t = await startTestBackend();
});
after(() => t.close());

async function post<T>(path: string, body: unknown, method = 'POST'): Promise<T> {
  const response = await fetch(`${t.url}${path}`, { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  assert.ok(response.ok, `${path} → ${response.status}`);
  return json<T>(response);
}

async function scenario(document: string, faults: Record<string, unknown> = {}): Promise<string> {
  return (await post<{ id: string }>('/__test/scenarios', { document, faults })).id;
}

interface Log {
  requests: Array<{ method: string; path: string; query: string; range: string | null; status: number; bytes: number; auth: string; jti: string | null; origin: string | null }>;
  bytes: number;
}

async function log(id: string): Promise<Log> {
  return json<Log>(await fetch(`${t.url}/__test/scenarios/${id}/log`));
}

describe('test switches', () => {
  it('lists documents with size and pages', async () => {
    const { documents } = await json<{ documents: Array<{ id: string; size: number; pages: number }> }>(await fetch(`${t.url}/__test/documents`));
    assert.ok(documents.some((d) => d.id === 'sample' && d.pages === 3 && d.size > 0));
  });

  it('mints tokens with the requested permissions and lifetime, and returns the jti', async () => {
    const minted = await post<{ token: string; expires_in: number; jti: string }>('/__test/tokens', { document: 'sample', permissions: ['read'], ttl: 2 });
    assert.equal(minted.expires_in, 2);
    assert.equal(typeof minted.jti, 'string');
    assert.equal((await content(t.url, 'sample', minted.token)).status, 200);
  });

  it('answers preflights for the test page origin (GET, POST, PATCH; Content-Type)', async () => {
    const response = await fetch(`${t.url}/__test/scenarios`, {
      method: 'OPTIONS',
      headers: { Origin: TEST_ORIGIN, 'Access-Control-Request-Method': 'PATCH', 'Access-Control-Request-Headers': 'content-type' },
    });
    assert.equal(response.headers.get('access-control-allow-origin'), TEST_ORIGIN);
    assert.match(response.headers.get('access-control-allow-methods') ?? '', /PATCH/);
    assert.match(response.headers.get('access-control-allow-headers') ?? '', /Content-Type/);
  });

  it('logs every scenario request without secrets', async () => {
    const id = await scenario('sample');
    const token = await mint(t.url, id);
    await fetch(`${t.url}/api/documents/${id}/content?x=1&token=${token}`, { method: 'OPTIONS', headers: { Origin: TEST_ORIGIN } });
    const ranged = await content(t.url, id, token, { Range: 'bytes=0-99', Origin: TEST_ORIGIN });
    await ranged.arrayBuffer();
    await (await content(t.url, id, null)).text();
    const entries = (await log(id)).requests;
    assert.deepEqual(entries.map((r) => [r.method, r.status, r.auth]), [['OPTIONS', 204, 'none'], ['GET', 206, 'bearer'], ['GET', 401, 'none']]);
    assert.equal(entries[1]!.range, 'bytes=0-99');
    assert.equal(entries[1]!.bytes, 100);
    assert.equal(entries[1]!.origin, TEST_ORIGIN);
    assert.equal(typeof entries[1]!.jti, 'string');
    assert.equal(entries[0]!.query, 'x=1&token=[redacted]');
    assert.ok(!JSON.stringify(entries).includes(token));
  });
});

describe('faults', () => {
  it('status + after + retryAfter', async () => {
    const id = await scenario('sample', { status: 503, after: 1, retryAfter: 7 });
    const token = await mint(t.url, id);
    assert.equal((await content(t.url, id, token).then(async (r) => (await r.arrayBuffer(), r))).status, 200);
    const failed = await content(t.url, id, token);
    assert.equal(failed.status, 503);
    assert.equal(failed.headers.get('retry-after'), '7');
    assert.equal((await json<{ error: { code: string } }>(failed)).error.code, 'injected_fault');
  });

  it('unauthorizedAfter: tokens in use expire after n requests, fresh ones work', async () => {
    const id = await scenario('sample', { unauthorizedAfter: 2 });
    const old = await mint(t.url, id);
    for (let i = 0; i < 2; i++) assert.equal((await content(t.url, id, old, { Range: 'bytes=0-9' }).then(async (r) => (await r.arrayBuffer(), r))).status, 206);
    assert.equal((await content(t.url, id, old)).status, 401);
    const fresh = await content(t.url, id, await mint(t.url, id));
    assert.equal(fresh.status, 200);
    await fresh.arrayBuffer();
  });

  it('html, truncateTo, ignoreRange, badContentRange, redirectTo', async () => {
    const html = await scenario('sample', { html: true });
    const page = await content(t.url, html, await mint(t.url, html), { Range: 'bytes=0-9' });
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);
    assert.match(await page.text(), /Login/);

    const truncated = await scenario('sample', { truncateTo: 1000 });
    const short = await content(t.url, truncated, await mint(t.url, truncated), { Range: 'bytes=900-' });
    assert.equal(short.headers.get('content-range'), 'bytes 900-999/1000');
    assert.equal((await short.arrayBuffer()).byteLength, 100);

    const ignoring = await scenario('sample', { ignoreRange: true });
    const whole = await content(t.url, ignoring, await mint(t.url, ignoring), { Range: 'bytes=0-9' });
    assert.equal(whole.status, 200);
    assert.ok((await whole.arrayBuffer()).byteLength > 10);

    const bad = await scenario('sample', { badContentRange: true });
    const wrong = await content(t.url, bad, await mint(t.url, bad), { Range: 'bytes=0-9' });
    assert.equal(wrong.status, 206);
    assert.notEqual(wrong.headers.get('content-range')?.split('/')[0], 'bytes 0-9');
    await wrong.arrayBuffer();

    const redirect = await scenario('sample', { redirectTo: 'https://evil.test/x' });
    const moved = await fetch(`${t.url}/api/documents/${redirect}/content`, { headers: { Authorization: `Bearer ${await mint(t.url, redirect)}` }, redirect: 'manual' });
    assert.equal(moved.status, 302);
    assert.equal(moved.headers.get('location'), 'https://evil.test/x');
  });

  it('etagChangeAfter changes the validator, and If-Range with the old one gets 200', async () => {
    const id = await scenario('sample', { etagChangeAfter: 1 });
    const token = await mint(t.url, id);
    const first = await content(t.url, id, token, { Range: 'bytes=0-9' });
    await first.arrayBuffer();
    const etag = first.headers.get('etag')!;
    const second = await content(t.url, id, token, { Range: 'bytes=10-19', 'If-Range': etag });
    assert.notEqual(second.headers.get('etag'), etag);
    assert.equal(second.status, 200);
    await second.arrayBuffer();
  });

  it('resetAfterBytes cuts the connection mid-body', async () => {
    const id = await scenario('long', { resetAfterBytes: 1000 });
    const token = await mint(t.url, id);
    await assert.rejects(async () => {
      const response = await content(t.url, id, token);
      await response.arrayBuffer();
    });
    const entry = (await log(id)).requests.at(-1)!;
    assert.equal(entry.bytes, 1000);
  });

  it('bandwidth throttles the body; latency delays the answer; PATCH replaces faults', async () => {
    const id = await scenario('sample', { bandwidth: 10_000 });
    const token = await mint(t.url, id);
    const started = Date.now();
    const body = await (await content(t.url, id, token, { Range: 'bytes=0-1999' })).arrayBuffer();
    assert.equal(body.byteLength, 2000);
    assert.ok(Date.now() - started >= 150, 'about 200 ms for 2000 bytes at 10 kB/s');
    await post(`/__test/scenarios/${id}`, { faults: { latency: 200 } }, 'PATCH');
    const delayed = Date.now();
    await (await content(t.url, id, token, { Range: 'bytes=0-9' })).arrayBuffer();
    assert.ok(Date.now() - delayed >= 190);
  });

  it('hang never answers, and close() still ends promptly', async () => {
    const other = await startTestBackend();
    const id = (await json<{ id: string }>(
      await fetch(`${other.url}/__test/scenarios`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ document: 'sample', faults: { hang: true } }) }),
    )).id;
    const token = await mint(other.url, id);
    const { hostname, port } = new URL(other.url);
    const outcome = new Promise<string>((resolve) => {
      const req = request({ hostname, port, path: `/api/documents/${id}/content`, headers: { Authorization: `Bearer ${token}` } }, () => resolve('answered'));
      req.on('error', () => resolve('closed'));
    });
    const raced = await Promise.race([outcome, new Promise((resolve) => setTimeout(() => resolve('pending'), 300))]);
    assert.equal(raced, 'pending');
    const started = Date.now();
    await other.close();
    assert.ok(Date.now() - started < 2000, 'close() is prompt');
    assert.equal(await outcome, 'closed');
  });

  it('rejects unknown faults', async () => {
    const response = await fetch(`${t.url}/__test/scenarios`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ document: 'sample', faults: { explode: true } }) });
    assert.equal(response.status, 400);
  });
});

describe('without testSwitches', () => {
  it('every /__test path is 404, preflights included', async () => {
    const plain = await startTestBackend({ testSwitches: false });
    try {
      for (const [method, path] of [
        ['GET', '/__test/documents'],
        ['POST', '/__test/tokens'],
        ['POST', '/__test/scenarios'],
        ['OPTIONS', '/__test/scenarios'],
      ] as const) {
        const response = await fetch(`${plain.url}${path}`, { method, headers: { Origin: TEST_ORIGIN, 'Content-Type': 'application/json' }, ...(method === 'POST' ? { body: '{"document":"sample"}' } : {}) });
        assert.equal(response.status, 404, `${method} ${path}`);
        assert.equal(response.headers.get('access-control-allow-origin'), null);
      }
    } finally {
      await plain.close();
    }
  });
});
