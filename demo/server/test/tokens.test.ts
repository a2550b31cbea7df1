// Access-token validation on the content endpoint (security.md test plan A).
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SignJWT, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import { b64url, content, decodePart, json, mint, startTestBackend, type TestBackend } from './helpers.ts';

let t: TestBackend;
let serverKey: CryptoKey;
let serverPublicJwk: JWK;

before(async () => {
  t = await startTestBackend();
  const stored = JSON.parse(await readFile(path.join(t.dataDir, 'keys', 'signing-key.jwk.json'), 'utf8')) as { privateJwk: JWK; publicJwk: JWK };
  serverKey = (await importJWK(stored.privateJwk, 'EdDSA')) as CryptoKey;
  serverPublicJwk = stored.publicJwk;
});
after(() => t.close());

const now = (): number => Math.floor(Date.now() / 1000);

function validClaims(overrides: JWTPayload = {}): JWTPayload {
  return {
    iss: 'secure-viewer-reference',
    aud: 'secure-viewer',
    jti: `test-${Math.random()}`,
    doc: 'sample',
    permissions: ['read'],
    iat: now(),
    exp: now() + 300,
    ...overrides,
  };
}

/** Signs with the server's real key, so only the claim or header under test is wrong. */
function signWithServerKey(claims: JWTPayload, header: Record<string, unknown> = { alg: 'EdDSA', typ: 'secure-viewer+jwt' }): Promise<string> {
  return new SignJWT(claims).setProtectedHeader(header as { alg: string }).sign(serverKey);
}

async function assertInvalidToken(token: string, id = 'sample'): Promise<void> {
  const response = await content(t.url, id, token);
  assert.equal(response.status, 401, `expected 401 for ${token.slice(0, 40)}…`);
  assert.equal(response.headers.get('www-authenticate'), 'Bearer error="invalid_token"');
  const body = await response.text();
  assert.ok(!body.includes(token.split('.')[1] ?? '~'), 'the token is not echoed');
  assert.ok(!body.includes('%PDF'), 'no document bytes');
  assert.doesNotMatch(body, /at .*\.ts:\d+/, 'no stack trace');
}

describe('content endpoint: access tokens', () => {
  it('serves the document for a valid token', async () => {
    const response = await content(t.url, 'sample', await mint(t.url, 'sample'));
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/pdf');
    assert.equal((await response.text()).slice(0, 5), '%PDF-');
  });

  it('401 without a token, and for a non-Bearer scheme', async () => {
    const missing = await content(t.url, 'sample', null);
    assert.equal(missing.status, 401);
    assert.equal(missing.headers.get('www-authenticate'), 'Bearer error="invalid_token"');
    const basic = await content(t.url, 'sample', null, { Authorization: 'Basic dXNlcjpwYXNz' });
    assert.equal(basic.status, 401);
  });

  it('401 for alg "none" in any spelling, with or without a signature', async () => {
    for (const alg of ['none', 'None', 'noNE', 'NONE']) {
      const unsigned = `${b64url({ alg, typ: 'secure-viewer+jwt' })}.${b64url(validClaims())}`;
      await assertInvalidToken(`${unsigned}.`);
      await assertInvalidToken(`${unsigned}.${b64url('sig')}`);
    }
  });

  it('401 for HS256 signed with the server public key (key confusion)', async () => {
    const unsigned = `${b64url({ alg: 'HS256', typ: 'secure-viewer+jwt' })}.${b64url(validClaims())}`;
    for (const secret of [JSON.stringify(serverPublicJwk), Buffer.from(serverPublicJwk.x!, 'base64url')]) {
      const signature = createHmac('sha256', secret).update(unsigned).digest('base64url');
      await assertInvalidToken(`${unsigned}.${signature}`);
    }
  });

  it('401 for an attacker key in the header (jwk/jku/x5u) and for odd kid values', async () => {
    const attacker = await generateKeyPair('EdDSA', { extractable: true });
    const jwk = await exportJWK(attacker.publicKey);
    const headers = [
      { alg: 'EdDSA', typ: 'secure-viewer+jwt', jwk },
      { alg: 'EdDSA', typ: 'secure-viewer+jwt', jku: 'http://127.0.0.1:9/jwks.json' },
      { alg: 'EdDSA', typ: 'secure-viewer+jwt', x5u: 'http://127.0.0.1:9/cert.pem' },
      { alg: 'EdDSA', typ: 'secure-viewer+jwt', kid: '../../../dev/null' },
      { alg: 'EdDSA', typ: 'secure-viewer+jwt', kid: "' OR 1=1 --" },
    ];
    for (const header of headers) {
      const token = await new SignJWT(validClaims()).setProtectedHeader(header).sign(attacker.privateKey);
      await assertInvalidToken(token);
    }
  });

  it('401 for a tampered payload with the original signature', async () => {
    const token = await mint(t.url, 'sample', { permissions: ['read'] });
    const [header, , signature] = token.split('.');
    const payload = { ...decodePart(token, 1), permissions: ['read', 'download'] };
    await assertInvalidToken(`${header}.${b64url(payload)}.${signature}`);
    const otherDoc = { ...decodePart(token, 1), doc: 'long' };
    await assertInvalidToken(`${header}.${b64url(otherDoc)}.${signature}`, 'long');
  });

  it('401 for expired tokens, missing exp and a future nbf', async () => {
    await assertInvalidToken(await mint(t.url, 'sample', { ttl: 0 }));
    await assertInvalidToken(await mint(t.url, 'sample', { ttl: -30 }));
    await assertInvalidToken(await signWithServerKey(validClaims({ exp: now() - 1 })));
    const { exp: _exp, ...withoutExp } = validClaims();
    await assertInvalidToken(await signWithServerKey(withoutExp));
    await assertInvalidToken(await signWithServerKey(validClaims({ nbf: now() + 300 })));
  });

  it('401 for wrong or missing aud, iss and typ', async () => {
    await assertInvalidToken(await signWithServerKey(validClaims({ aud: 'someone-else' })));
    await assertInvalidToken(await signWithServerKey(validClaims({ iss: 'https://evil.test' })));
    const { aud: _aud, ...withoutAud } = validClaims();
    await assertInvalidToken(await signWithServerKey(withoutAud));
    await assertInvalidToken(await signWithServerKey(validClaims(), { alg: 'EdDSA', typ: 'JWT' }));
    await assertInvalidToken(await signWithServerKey(validClaims(), { alg: 'EdDSA' }));
    // Control: the same construction with correct values is accepted.
    const good = await content(t.url, 'sample', await signWithServerKey(validClaims()));
    assert.equal(good.status, 200);
  });

  it('401 for malformed tokens: JSON serialization, bad characters, huge header', async () => {
    await assertInvalidToken(JSON.stringify({ payload: 'x', signatures: [] }).replace(/\s/g, ''));
    await assertInvalidToken('abc.def.gh!');
    await assertInvalidToken('only-one-part');
    const huge = await content(t.url, 'sample', `a.${'b'.repeat(64 * 1024)}.c`).catch(() => null);
    // Node refuses oversized headers with 431 (or drops the connection); never a 200.
    assert.ok(huge === null || huge.status === 431 || huge.status === 401, `status ${huge?.status}`);
  });

  it('the same 404 for another document and for an unknown document', async () => {
    const token = await mint(t.url, 'sample');
    const other = await content(t.url, 'long', token);
    const unknown = await content(t.url, 'no-such-document', token);
    assert.equal(other.status, 404);
    assert.equal(unknown.status, 404);
    assert.equal(await other.text(), await unknown.text());
    const relevant = (r: Response): string[] =>
      [...r.headers.entries()].filter(([name]) => name !== 'date').map(([name, value]) => `${name}: ${value}`);
    assert.deepEqual(relevant(other), relevant(unknown));
  });

  it('403 insufficient_scope for the download variant without the download permission', async () => {
    const readOnly = await mint(t.url, 'sample', { permissions: ['read'] });
    const refused = await content(t.url, 'sample', readOnly, {}, '?disposition=attachment');
    assert.equal(refused.status, 403);
    assert.match(refused.headers.get('www-authenticate') ?? '', /insufficient_scope/);
    assert.ok(!(await refused.text()).includes('%PDF'));
    const download = await mint(t.url, 'sample', { permissions: ['read', 'download'] });
    const allowed = await content(t.url, 'sample', download, {}, '?disposition=attachment');
    assert.equal(allowed.status, 200);
    assert.match(allowed.headers.get('content-disposition') ?? '', /^attachment; filename="Sample document\.pdf"/);
    await allowed.arrayBuffer();
    const noRead = await mint(t.url, 'sample', { permissions: ['print'] });
    assert.equal((await content(t.url, 'sample', noRead)).status, 403);
  });

  it('revocation takes effect on the next request; later tokens work', async () => {
    const scenario = await json<{ id: string }>(
      await fetch(`${t.url}/__test/scenarios`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ document: 'sample' }) }),
    );
    const before = await mint(t.url, scenario.id);
    assert.equal((await content(t.url, scenario.id, before)).status, 200);
    await fetch(`${t.url}/__test/scenarios/${scenario.id}/revoke`, { method: 'POST' });
    await assertInvalidToken(before, scenario.id);
    assert.equal((await content(t.url, scenario.id, await mint(t.url, scenario.id))).status, 200);
  });

  it('production revocation with the API key refuses outstanding tokens', async () => {
    const token = await mint(t.url, 'long');
    const denied = await fetch(`${t.url}/api/documents/long/revoke`, { method: 'POST' });
    assert.equal(denied.status, 401);
    const revoked = await fetch(`${t.url}/api/documents/long/revoke`, { method: 'POST', headers: { Authorization: `Bearer ${t.apiKey}` } });
    assert.equal(revoked.status, 200);
    await assertInvalidToken(token, 'long');
  });
});
