// Host-backend API: API key, document list and upload, token issuing (test plan B25, and uploads).
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createMemoryStore } from '../../../server/store/memory-store.ts';
import { apiKeyMatches } from '../api-key.ts';
import { buildSample } from '../samples.ts';
import { content, decodePart, json, rawRequest, startTestBackend, type TestBackend } from './helpers.ts';

let t: TestBackend;
before(async () => {
  t = await startTestBackend({ demoSessionTokens: true });
});
after(() => t.close());

function api(path: string, init: RequestInit & { key?: string | null } = {}): Promise<Response> {
  const { key = t.apiKey, headers, ...rest } = init;
  return fetch(`${t.url}${path}`, {
    ...rest,
    headers: { ...(key ? { Authorization: `Bearer ${key}` } : {}), ...(headers as Record<string, string> | undefined) },
  });
}

function tokenRequest(body: unknown, key: string | null = t.apiKey): Promise<Response> {
  return api('/api/tokens', { method: 'POST', key, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
}

function upload(file: Blob | null, title?: string, key: string | null = t.apiKey): Promise<Response> {
  const form = new FormData();
  if (file) form.append('file', file, 'upload.pdf');
  if (title) form.append('title', title);
  return api('/api/documents', { method: 'POST', key, body: form });
}

describe('API key', () => {
  it('is required for list, upload and tokens (401 JSON)', async () => {
    for (const response of [
      await api('/api/documents', { key: null }),
      await api('/api/documents', { key: 'wrong' }),
      await api('/api/documents', { key: `${t.apiKey}x` }),
      await upload(new Blob(['%PDF-1.7']), undefined, null),
      await tokenRequest({ allowed_documents: [{ document_id: 'sample', document_permissions: ['read'] }] }, 'nope'),
    ]) {
      assert.equal(response.status, 401);
      const body = await json<{ error: { code: string } }>(response);
      assert.equal(body.error.code, 'invalid_api_key');
    }
  });

  it('is also accepted as X-Api-Key', async () => {
    const response = await fetch(`${t.url}/api/documents`, { headers: { 'X-Api-Key': t.apiKey } });
    assert.equal(response.status, 200);
  });

  it('is compared in constant time, whatever the lengths', () => {
    assert.equal(apiKeyMatches('abc', 'abc'), true);
    assert.equal(apiKeyMatches('abc', 'abd'), false);
    assert.equal(apiKeyMatches('a', 'a much longer key'), false); // no RangeError from timingSafeEqual
  });
});

describe('documents', () => {
  it('lists the seeded samples with their password flag', async () => {
    const { documents } = await json<{ documents: Array<{ id: string; title: string; password_protected: boolean }> }>(await api('/api/documents'));
    const ids = documents.map((d) => d.id).sort();
    assert.deepEqual(ids, ['encrypted', 'large', 'long', 'long-objstm', 'pages-1000', 'protected', 'report', 'sample']);
    assert.equal(documents.find((d) => d.id === 'protected')?.password_protected, true);
    assert.equal(documents.find((d) => d.id === 'sample')?.password_protected, false);
  });

  it('seeds samples with the documented sizes and page counts', async () => {
    const { documents } = await json<{ documents: Array<{ id: string; size: number; pages: number }> }>(await fetch(`${t.url}/__test/documents`));
    const byId = new Map(documents.map((d) => [d.id, d]));
    assert.equal(byId.get('sample')?.pages, 3);
    assert.equal(byId.get('long')?.pages, 500);
    assert.equal(byId.get('pages-1000')?.pages, 1000);
    assert.equal(byId.get('report')?.pages, 6);
    assert.ok((byId.get('large')?.size ?? 0) > 20 * 1024 * 1024);
  });

  it('uploads a PDF (201) that can then be viewed with a token', async () => {
    const bytes = await buildSample();
    const response = await upload(new Blob([bytes], { type: 'application/pdf' }), 'Quarterly report');
    assert.equal(response.status, 201);
    const { document_id } = await json<{ document_id: string }>(response);
    const list = await json<{ documents: Array<{ id: string; title: string }> }>(await api('/api/documents'));
    assert.equal(list.documents.find((d) => d.id === document_id)?.title, 'Quarterly report');
    const { jwt } = await json<{ jwt: string }>(await tokenRequest({ allowed_documents: [{ document_id, document_permissions: ['read'] }] }));
    const served = await content(t.url, document_id, jwt);
    assert.equal(served.status, 200);
    assert.deepEqual(new Uint8Array(await served.arrayBuffer()), bytes);
  });

  it('refuses a missing file, a non-PDF and an oversized upload, storing nothing', async () => {
    const before = (await json<{ documents: unknown[] }>(await api('/api/documents'))).documents.length;
    const missing = await upload(null, 'nothing');
    assert.equal(missing.status, 400);
    const notPdf = await upload(new Blob(['<html>not a pdf</html>']));
    assert.equal(notPdf.status, 400);
    assert.equal((await json<{ error: { code: string } }>(notPdf)).error.code, 'invalid_document');
    const big = new Uint8Array(50 * 1024 * 1024 + 1);
    big.set(Buffer.from('%PDF-1.7\n'));
    const tooLarge = await upload(new Blob([big]));
    assert.equal(tooLarge.status, 413);
    const after = (await json<{ documents: unknown[] }>(await api('/api/documents'))).documents.length;
    assert.equal(after, before);
  });
});

describe('POST /api/tokens', () => {
  it('B25: issues an EdDSA JWT with the documented header and claims, 5 minutes by default', async () => {
    const response = await tokenRequest({ allowed_documents: [{ document_id: 'sample', document_permissions: ['read', 'print', 'write'] }], sub: 'reader-42' });
    assert.equal(response.status, 200);
    const { jwt } = await json<{ jwt: string }>(response);
    const header = decodePart(jwt, 0);
    const claims = decodePart(jwt, 1);
    assert.equal(header['alg'], 'EdDSA');
    assert.equal(header['typ'], 'secure-viewer+jwt');
    assert.equal(claims['iss'], 'secure-viewer-reference');
    assert.equal(claims['aud'], 'secure-viewer');
    assert.equal(claims['doc'], 'sample');
    assert.equal(claims['sub'], 'reader-42');
    assert.deepEqual(claims['permissions'], ['read', 'print']); // 'write' is not grantable
    assert.equal(typeof claims['jti'], 'string');
    assert.equal(typeof header['kid'], 'string');
    assert.equal((claims['exp'] as number) - (claims['iat'] as number), 300);
    // Each token gets its own jti.
    const again = decodePart((await json<{ jwt: string }>(await tokenRequest({ allowed_documents: [{ document_id: 'sample' }] }))).jwt, 1);
    assert.notEqual(again['jti'], claims['jti']);
  });

  it('B25: honours exp up to 15 min and refuses more, or past values', async () => {
    const now = Math.floor(Date.now() / 1000);
    const ok = await tokenRequest({ allowed_documents: [{ document_id: 'sample', document_permissions: ['read'] }], exp: now + 900 });
    assert.equal(ok.status, 200);
    const claims = decodePart((await json<{ jwt: string }>(ok)).jwt, 1);
    assert.ok(Math.abs((claims['exp'] as number) - (now + 900)) <= 1);
    for (const exp of [now + 3600, now + 25 * 3600, now - 10, 'soon']) {
      const refused = await tokenRequest({ allowed_documents: [{ document_id: 'sample', document_permissions: ['read'] }], exp });
      assert.equal(refused.status, 400);
    }
  });

  it('refuses permission names it does not know with 400 naming them, instead of dropping them', async () => {
    const response = await tokenRequest({ allowed_documents: [{ document_id: 'sample', document_permissions: ['read', 'downlaod', 'admin', 'admin'] }] });
    assert.equal(response.status, 400);
    const { error } = await json<{ error: { code: string; message: string } }>(response);
    assert.equal(error.code, 'invalid_request');
    assert.match(error.message, /Unknown permissions: "downlaod", "admin"\./);
    // Even for a document that does not exist: the request itself is wrong.
    assert.equal((await tokenRequest({ allowed_documents: [{ document_id: 'nope', document_permissions: ['read', 'edit'] }] })).status, 400);
  });

  it('knows write as a reserved name: granted where the document grants it, checked by nothing yet', async () => {
    const uploaded = await api('/api/documents?title=Writable&permissions=read,write', {
      method: 'POST',
      headers: { 'Content-Type': 'application/pdf' },
      body: await buildSample(),
    });
    assert.equal(uploaded.status, 201);
    const { document_id: id } = await json<{ document_id: string }>(uploaded);
    const issued = await tokenRequest({ allowed_documents: [{ document_id: id, document_permissions: ['read', 'write', 'download'] }] });
    assert.equal(issued.status, 200);
    const { jwt } = await json<{ jwt: string }>(issued);
    assert.deepEqual(decodePart(jwt, 1)['permissions'], ['read', 'write']);
    const served = await content(t.url, id, jwt, { Range: 'bytes=0-7' });
    assert.equal(served.status, 206, 'a token carrying write verifies');
    await served.arrayBuffer();
  });

  it('404 for an unknown document, 400 without read or with several documents', async () => {
    assert.equal((await tokenRequest({ allowed_documents: [{ document_id: 'nope', document_permissions: ['read'] }] })).status, 404);
    assert.equal((await tokenRequest({ allowed_documents: [{ document_id: 'sample', document_permissions: ['print'] }] })).status, 400);
    assert.equal(
      (await tokenRequest({ allowed_documents: [{ document_id: 'sample' }, { document_id: 'long' }] })).status,
      400,
    );
    assert.equal((await tokenRequest({})).status, 400);
  });

  it('requires a JSON body and caps its size', async () => {
    const form = await api('/api/tokens', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'a=b' });
    assert.equal(form.status, 415);
    const huge = await api('/api/tokens', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ pad: 'x'.repeat(20_000) }) });
    assert.equal(huge.status, 413);
    const broken = await api('/api/tokens', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{' });
    assert.equal(broken.status, 400);
  });
});

describe('POST /api/tokens/revoke', () => {
  it('refuses the token whatever expiry the caller names, or none', async () => {
    for (const exp of [undefined, Math.floor(Date.now() / 1000) - 3600]) {
      const issued = await tokenRequest({ allowed_documents: [{ document_id: 'sample', document_permissions: ['read'] }] });
      const { jwt } = await json<{ jwt: string }>(issued);
      const first = await content(t.url, 'sample', jwt, { Range: 'bytes=0-7' });
      assert.equal(first.status, 206);
      await first.arrayBuffer();
      const revoked = await api('/api/tokens/revoke', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ jti: decodePart(jwt, 1)['jti'], ...(exp === undefined ? {} : { exp }) }),
      });
      assert.equal(revoked.status, 200, String(exp));
      const after = await content(t.url, 'sample', jwt, { Range: 'bytes=0-7' });
      assert.equal(after.status, 401, `exp ${String(exp)}`);
      await after.arrayBuffer();
    }
  });
});

describe('a revocation time ahead of the clock', () => {
  it('makes token issuing answer 503 with Retry-After at once, for that document only', async () => {
    const storeDir = await mkdtemp(path.join(tmpdir(), 'sv-ahead-'));
    const store = await createMemoryStore({ dataDir: storeDir });
    const backend = await startTestBackend({ store });
    try {
      const issue = (id: string): Promise<Response> =>
        fetch(`${backend.url}/api/tokens`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${backend.apiKey}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ allowed_documents: [{ document_id: id, document_permissions: ['read'] }] }),
        });
      // As another instance whose clock runs an hour ahead would have stored it.
      await store.revocations.revokeDocument('long', Math.floor(Date.now() / 1000) + 3600);
      const started = Date.now();
      const response = await issue('long');
      assert.equal(response.status, 503);
      assert.ok(Number(response.headers.get('retry-after')) > 0);
      assert.equal((await json<{ error: { code: string } }>(response)).error.code, 'token_unavailable');
      assert.ok(Date.now() - started < 2000, 'answered at once');
      assert.equal((await issue('sample')).status, 200);
    } finally {
      await backend.close();
      await store.close();
      await rm(storeDir, { recursive: true, force: true });
    }
  });
});

describe('GET /.well-known/jwks.json', () => {
  it('lists the public signing keys, the one in issued tokens among them, without private parts', async () => {
    const response = await fetch(`${t.url}/.well-known/jwks.json`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^application\/jwk-set\+json/);
    const { keys } = await json<{ keys: Array<Record<string, unknown>> }>(response);
    const issued = await tokenRequest({ allowed_documents: [{ document_id: 'sample', document_permissions: ['read'] }] });
    const kid = decodePart((await json<{ jwt: string }>(issued)).jwt, 0)['kid'];
    assert.ok(keys.some((key) => key['kid'] === kid));
    for (const key of keys) assert.equal(key['d'], undefined);
  });
});

describe('everything else', () => {
  it('is a JSON 404 with security headers', async () => {
    const response = await fetch(`${t.url}/nothing/here`);
    assert.equal(response.status, 404);
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.equal(response.headers.get('referrer-policy'), 'no-referrer');
    assert.equal((await json<{ error: { code: string } }>(response)).error.code, 'not_found');
  });

  it('demo session tokens: bounded ttl, read by default, same-origin or allowed Origin required', async () => {
    const own = { Origin: t.url };
    const ok = await fetch(`${t.url}/demo/session-token?doc=sample&ttl=60&permissions=read,download`, { method: 'POST', headers: own });
    assert.equal(ok.status, 200);
    const body = await json<{ token: string; expires_in: number }>(ok);
    assert.equal(body.expires_in, 60);
    assert.deepEqual(decodePart(body.token, 1)['permissions'], ['read', 'download']);
    const plain = await json<{ token: string }>(await fetch(`${t.url}/demo/session-token?doc=sample`, { method: 'POST', headers: own }));
    assert.deepEqual(decodePart(plain.token, 1)['permissions'], ['read'], 'read only unless more is asked for');
    assert.equal((await fetch(`${t.url}/demo/session-token?doc=sample&ttl=1`, { method: 'POST', headers: own })).status, 400);
    const foreign = await fetch(`${t.url}/demo/session-token?doc=sample`, { method: 'POST', headers: { Origin: 'https://evil.test' } });
    assert.equal(foreign.status, 403);
    const noOrigin = await fetch(`${t.url}/demo/session-token?doc=sample`, { method: 'POST' });
    assert.equal(noOrigin.status, 403, 'a client without Origin (not a browser page) gets nothing');
  });

  it('demo session tokens: a password-protected and an unknown document get the same 404', async () => {
    const own = { Origin: t.url };
    const replies = await Promise.all(
      ['protected', 'missing'].map((doc) => fetch(`${t.url}/demo/session-token?doc=${doc}`, { method: 'POST', headers: own })),
    );
    assert.deepEqual(replies.map((r) => r.status), [404, 404]);
    const [a, b] = await Promise.all(replies.map((r) => r.text()));
    assert.equal(a, b);
  });

  it('demo session tokens: the Host header does not make an origin this server\'s own', async () => {
    const forged = await rawRequest(t.url, '/demo/session-token?doc=sample', { Host: 'evil.test', Origin: 'http://evil.test' }, 'POST');
    assert.equal(forged.status, 403);
  });

  it('demo session tokens are not mounted unless asked for (npm run serve)', async () => {
    const plain = await startTestBackend();
    try {
      const response = await fetch(`${plain.url}/demo/session-token?doc=sample`, { method: 'POST', headers: { Origin: plain.url } });
      assert.equal(response.status, 404);
    } finally {
      await plain.close();
    }
  });
});

describe('Origin check', () => {
  it('refuses state-changing requests from a foreign page, even with the API key', async () => {
    const response = await api('/api/tokens', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: 'https://evil.test' },
      body: JSON.stringify({ allowed_documents: [{ document_id: 'sample', document_permissions: ['read'] }] }),
    });
    assert.equal(response.status, 403);
    assert.equal((await json<{ error: { code: string } }>(response)).error.code, 'origin_not_allowed');
  });
});
