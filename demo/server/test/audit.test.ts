// The reference app's accountability routes: POST /api/documents/:id/events from a viewer page,
// GET /api/documents/:id/audit for the host's backend (API key).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TEST_ORIGIN, content, json, mint, startTestBackend, type TestBackend } from './helpers.ts';

let t: TestBackend;
before(async () => {
  t = await startTestBackend();
});
after(() => t.close());

interface Audit {
  served: Array<{ tokenId: string; pages: number[] | null; bytes: number; requests: number; first: number; last: number }>;
  events: Array<{ type: string; tokenId: string; doc: string }>;
}

function audit(id: string, key: string | null = t.apiKey, query = ''): Promise<Response> {
  return fetch(`${t.url}/api/documents/${id}/audit${query}`, { headers: key ? { Authorization: `Bearer ${key}` } : {} });
}

function jtiOf(token: string): string {
  return (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { jti: string }).jti;
}

describe('accountability routes', () => {
  it('the audit names the pages whose content each token was served, with bytes and times', async () => {
    const token = await mint(t.url, 'sample');
    const whole = await content(t.url, 'sample', token);
    assert.equal(whole.status, 200);
    const size = (await whole.arrayBuffer()).byteLength;
    const other = await mint(t.url, 'sample');
    const head = await content(t.url, 'sample', other, { Range: 'bytes=0-15' });
    assert.equal(head.status, 206);
    await head.arrayBuffer();

    const response = await audit('sample', t.apiKey, `?jti=${jtiOf(token)}`);
    assert.equal(response.status, 200);
    const { served } = await json<Audit>(response);
    assert.equal(served.length, 1);
    assert.deepEqual([served[0]!.pages, served[0]!.bytes, served[0]!.requests], [[1, 2, 3], size, 1]);
    const all = await json<Audit>(await audit('sample'));
    const header = all.served.find((r) => r.tokenId === jtiOf(other));
    assert.deepEqual([header?.pages, header?.bytes], [[], 16]);
  });

  it('takes reader events from an allowed page (CORS preflight), stored under the token’s document', async () => {
    const token = await mint(t.url, 'sample');
    const preflight = await fetch(`${t.url}/api/documents/sample/events`, {
      method: 'OPTIONS',
      headers: { Origin: TEST_ORIGIN, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization, content-type' },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), TEST_ORIGIN);
    assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /Authorization/);
    const posted = await fetch(`${t.url}/api/documents/sample/events`, {
      method: 'POST',
      headers: { Origin: TEST_ORIGIN, Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ events: [{ type: 'download', at: Date.now() }] }),
    });
    assert.equal(posted.status, 202);
    assert.equal(posted.headers.get('access-control-allow-origin'), TEST_ORIGIN);
    const { events } = await json<Audit>(await audit('sample', t.apiKey, `?jti=${jtiOf(token)}`));
    assert.deepEqual(events.map((e) => [e.type, e.doc, e.tokenId]), [['download', 'sample', jtiOf(token)]]);

    const foreign = await fetch(`${t.url}/api/documents/sample/events`, {
      method: 'POST',
      headers: { Origin: 'https://evil.example', Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ events: [{ type: 'print', at: Date.now() }] }),
    });
    assert.equal(foreign.status, 403);
  });

  it('the audit needs the API key, and an unknown document is 404', async () => {
    assert.equal((await audit('sample', null)).status, 401);
    assert.equal((await audit('sample', 'wrong')).status, 401);
    assert.equal((await audit('no-such-document')).status, 404);
    assert.equal((await audit('sample', t.apiKey, '?limit=0')).status, 400);
    const preflight = await fetch(`${t.url}/api/documents/sample/audit`, { method: 'OPTIONS', headers: { Origin: TEST_ORIGIN, 'Access-Control-Request-Method': 'GET' } });
    assert.equal(preflight.headers.get('access-control-allow-origin'), null);
  });
});
