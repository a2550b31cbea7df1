// Access-token validation on the content endpoint: adversarial test plan A1–A13 (security.md §3).
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SignJWT, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import { DEFAULT_CLOCK_TOLERANCE_SECONDS as CLOCK_TOLERANCE_SECONDS } from '../../../server/token-service.ts';
import { b64url, content, decodePart, json, mint, rawRequest, startTestBackend, type TestBackend } from './helpers.ts';

let t: TestBackend;
let serverKey: CryptoKey;
let serverPublicJwk: JWK;
let serverKid: string;

before(async () => {
  t = await startTestBackend();
  const stored = JSON.parse(await readFile(path.join(t.dataDir, 'keys', 'signing-key.jwk.json'), 'utf8')) as { kid: string; privateJwk: JWK; publicJwk: JWK };
  serverKey = (await importJWK(stored.privateJwk, 'EdDSA')) as CryptoKey;
  serverPublicJwk = stored.publicJwk;
  serverKid = stored.kid;
});
after(async () => {
  // No token, or any JWT-shaped string, ever reaches the log sink: logs are read by more people than tokens should be.
  for (const line of t.logs) assert.doesNotMatch(line, /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+/, line);
  await t.close();
});

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
function signWithServerKey(claims: JWTPayload, header: Record<string, unknown> = { alg: 'EdDSA', typ: 'secure-viewer+jwt', kid: serverKid }): Promise<string> {
  return new SignJWT(claims).setProtectedHeader(header as { alg: string }).sign(serverKey);
}

function auditFailures(): number {
  return t.logs.filter((line) => / audit auth\.failure route=content /.test(line)).length;
}

const REVOKED_CHALLENGE = 'Bearer error="invalid_token", error_description="revoked"';

async function assertInvalidToken(token: string, id = 'sample', challenge = 'Bearer error="invalid_token"'): Promise<void> {
  const response = await content(t.url, id, token);
  assert.equal(response.status, 401, `expected 401 for ${token.slice(0, 40)}…`);
  assert.equal(response.headers.get('www-authenticate'), challenge);
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

  it('A12: 401 without a token, and for a non-Bearer scheme', async () => {
    const missing = await content(t.url, 'sample', null);
    assert.equal(missing.status, 401);
    assert.equal(missing.headers.get('www-authenticate'), 'Bearer error="invalid_token"');
    const basic = await content(t.url, 'sample', null, { Authorization: 'Basic dXNlcjpwYXNz' });
    assert.equal(basic.status, 401);
  });

  it('A1: 401 for alg "none" in any spelling, with or without a signature, each audited', async () => {
    for (const alg of ['none', 'None', 'noNE', 'NONE']) {
      const unsigned = `${b64url({ alg, typ: 'secure-viewer+jwt', kid: serverKid })}.${b64url(validClaims())}`;
      for (const token of [`${unsigned}.`, `${unsigned}.${b64url('sig')}`]) {
        const before = auditFailures();
        await assertInvalidToken(token);
        assert.equal(auditFailures(), before + 1, `audited: ${alg}`);
      }
    }
    assert.match(t.logs.findLast((line) => line.includes('auth.failure'))!, /^\d{4}-\d\d-\d\dT[\d:.]+Z audit /, 'UTC timestamp');
  });

  it('A2: 401 for HS256 signed with the server public key (key confusion)', async () => {
    const unsigned = `${b64url({ alg: 'HS256', typ: 'secure-viewer+jwt', kid: serverKid })}.${b64url(validClaims())}`;
    for (const secret of [JSON.stringify(serverPublicJwk), Buffer.from(serverPublicJwk.x!, 'base64url')]) {
      const signature = createHmac('sha256', secret).update(unsigned).digest('base64url');
      await assertInvalidToken(`${unsigned}.${signature}`);
    }
  });

  it('A3: 401 for an attacker key in the header (jwk/jku/x5u), and nothing is fetched from jku/x5u', async () => {
    // Network spy: a local server standing in for the attacker's key URLs, plus a fetch wrapper.
    let hits = 0;
    const spy: Server = createServer((_req, res) => {
      hits++;
      res.end('{}');
    });
    await new Promise<void>((resolve) => spy.listen(0, '127.0.0.1', resolve));
    const spyUrl = `http://127.0.0.1:${(spy.address() as AddressInfo).port}`;
    const originalFetch = globalThis.fetch;
    const outbound: string[] = [];
    globalThis.fetch = ((input: Parameters<typeof fetch>[0], init?: RequestInit) => {
      const target = input instanceof Request ? input.url : String(input);
      if (!target.startsWith(t.url)) outbound.push(target);
      return originalFetch(input, init);
    }) as typeof fetch;
    try {
      const attacker = await generateKeyPair('EdDSA', { extractable: true });
      const jwk = await exportJWK(attacker.publicKey);
      for (const extra of [{ jwk }, { jku: `${spyUrl}/jwks.json` }, { x5u: `${spyUrl}/cert.pem` }, { jwk, kid: serverKid }, { jku: `${spyUrl}/jwks.json`, kid: serverKid }]) {
        const token = await new SignJWT(validClaims()).setProtectedHeader({ alg: 'EdDSA', typ: 'secure-viewer+jwt', ...extra }).sign(attacker.privateKey);
        await assertInvalidToken(token);
      }
    } finally {
      globalThis.fetch = originalFetch;
      await new Promise<void>((resolve) => spy.close(() => resolve()));
    }
    assert.equal(hits, 0, 'no request reached the jku/x5u host');
    assert.deepEqual(outbound, [], 'no outbound fetch');
  });

  it('A4: 401 for path- or SQL-like kid values, even when signed with the real key; kid is an allowlist key', async () => {
    const attacker = await generateKeyPair('EdDSA', { extractable: true });
    for (const kid of ['../../../dev/null', "' OR 1=1 --", '/etc/passwd']) {
      await assertInvalidToken(await new SignJWT(validClaims()).setProtectedHeader({ alg: 'EdDSA', typ: 'secure-viewer+jwt', kid }).sign(attacker.privateKey));
      await assertInvalidToken(await signWithServerKey(validClaims(), { alg: 'EdDSA', typ: 'secure-viewer+jwt', kid }));
    }
    await assertInvalidToken(await signWithServerKey(validClaims(), { alg: 'EdDSA', typ: 'secure-viewer+jwt' }));
    // Control: the allowlisted kid with the real key is accepted.
    const good = await content(t.url, 'sample', await signWithServerKey(validClaims()));
    assert.equal(good.status, 200);
    await good.arrayBuffer();
  });

  it('A5: 401 for a tampered payload with the original signature', async () => {
    const token = await mint(t.url, 'sample', { permissions: ['read'] });
    const [header, , signature] = token.split('.');
    const payload = { ...decodePart(token, 1), permissions: ['read', 'download'] };
    await assertInvalidToken(`${header}.${b64url(payload)}.${signature}`);
    const otherDoc = { ...decodePart(token, 1), doc: 'long' };
    await assertInvalidToken(`${header}.${b64url(otherDoc)}.${signature}`, 'long');
  });

  it('A6: exp just outside the clock tolerance → 401 invalid_token; just inside → served; missing exp → 401', async () => {
    await assertInvalidToken(await mint(t.url, 'sample', { ttl: 0 }));
    await assertInvalidToken(await mint(t.url, 'sample', { ttl: -30 }));
    await assertInvalidToken(await signWithServerKey(validClaims({ exp: now() - (CLOCK_TOLERANCE_SECONDS + 1) })));
    const { exp: _exp, ...withoutExp } = validClaims();
    await assertInvalidToken(await signWithServerKey(withoutExp));
    // Start early in a second, so "one second inside the tolerance" cannot cross a second boundary.
    while (Date.now() % 1000 > 300) await new Promise((resolve) => setTimeout(resolve, 20));
    const inside = await content(t.url, 'sample', await signWithServerKey(validClaims({ exp: now() - (CLOCK_TOLERANCE_SECONDS - 1) })), { Range: 'bytes=0-9' });
    assert.equal(inside.status, 206);
    await inside.arrayBuffer();
  });

  it('A6: 401 for a correctly signed token that lives too long, is too old, or was issued in the future', async () => {
    await assertInvalidToken(await signWithServerKey(validClaims({ exp: 10_000_000_000 })), 'sample');
    await assertInvalidToken(await signWithServerKey(validClaims({ exp: now() + 16 * 60 })));
    await assertInvalidToken(await signWithServerKey(validClaims({ iat: now() - 16 * 60, exp: now() + 60 })));
    await assertInvalidToken(await signWithServerKey(validClaims({ iat: now() + 3600, exp: now() + 3600 + 300 })));
    await assertInvalidToken(await signWithServerKey(validClaims({ iat: now() + 5, exp: now() + 300 })));
    // Control: the longest allowed lifetime, issued now.
    const longest = await content(t.url, 'sample', await signWithServerKey(validClaims({ exp: now() + 15 * 60 })), { Range: 'bytes=0-9' });
    assert.equal(longest.status, 206);
    await longest.arrayBuffer();
  });

  it('A7: 401 for a future nbf', async () => {
    await assertInvalidToken(await signWithServerKey(validClaims({ nbf: now() + 300 })));
  });

  it('A8: 401 for wrong or missing aud, iss and typ', async () => {
    await assertInvalidToken(await signWithServerKey(validClaims({ aud: 'someone-else' })));
    await assertInvalidToken(await signWithServerKey(validClaims({ iss: 'https://evil.test' })));
    const { aud: _aud, ...withoutAud } = validClaims();
    await assertInvalidToken(await signWithServerKey(withoutAud));
    const { iss: _iss, ...withoutIss } = validClaims();
    await assertInvalidToken(await signWithServerKey(withoutIss));
    await assertInvalidToken(await signWithServerKey(validClaims(), { alg: 'EdDSA', typ: 'JWT', kid: serverKid }));
    await assertInvalidToken(await signWithServerKey(validClaims(), { alg: 'EdDSA', kid: serverKid }));
    // Control: the same construction with correct values is accepted.
    const good = await content(t.url, 'sample', await signWithServerKey(validClaims()));
    assert.equal(good.status, 200);
  });

  it('A12: malformed tokens (JSON serialization, bad characters, oversized) fail fast, without crash or stack trace', async () => {
    const started = Date.now();
    await assertInvalidToken(JSON.stringify({ payload: 'x', signatures: [] }).replace(/\s/g, ''));
    await assertInvalidToken('abc.def.gh!');
    await assertInvalidToken('abc.d+f.gh/');
    await assertInvalidToken('only-one-part');
    // Over the 8 KiB token cap but under Node's header limit: refused before any parsing.
    const before = t.logs.filter((line) => line.includes('reason=malformed')).length;
    await assertInvalidToken(`${'a'.repeat(4096)}.${'b'.repeat(6 * 1024)}.c`);
    assert.equal(t.logs.filter((line) => line.includes('reason=malformed')).length, before + 1);
    // 64 KiB Authorization header: Node refuses the request itself.
    const huge = await rawRequest(t.url, '/api/documents/sample/content', { Authorization: `Bearer a.${'b'.repeat(64 * 1024)}.c` });
    assert.equal(huge.status, 431);
    assert.doesNotMatch(huge.body, /at .*\.ts:\d+|Error:/);
    assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
    // Still serving afterwards.
    const ok = await content(t.url, 'sample', await mint(t.url, 'sample'));
    assert.equal(ok.status, 200);
    await ok.arrayBuffer();
  });

  it('A10: the same 404 for another document and for an unknown document', async () => {
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

  it('A11: 403 insufficient_scope for the download variant without the download permission', async () => {
    const readOnly = await mint(t.url, 'sample', { permissions: ['read'] });
    const refused = await content(t.url, 'sample', readOnly, {}, '?disposition=attachment');
    assert.equal(refused.status, 403);
    assert.match(refused.headers.get('www-authenticate') ?? '', /insufficient_scope/);
    assert.equal(refused.headers.get('content-range'), null);
    assert.ok(!(await refused.text()).includes('%PDF'), 'no body bytes');
    const download = await mint(t.url, 'sample', { permissions: ['read', 'download'] });
    const allowed = await content(t.url, 'sample', download, {}, '?disposition=attachment');
    assert.equal(allowed.status, 200);
    assert.match(allowed.headers.get('content-disposition') ?? '', /^attachment; filename="Sample document\.pdf"/);
    await allowed.arrayBuffer();
    const noRead = await mint(t.url, 'sample', { permissions: ['print'] });
    assert.equal((await content(t.url, 'sample', noRead)).status, 403);
  });

  it('A13: revocation (test switch) takes effect on the next request; later tokens work', async () => {
    const scenario = await json<{ id: string }>(
      await fetch(`${t.url}/__test/scenarios`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ document: 'sample' }) }),
    );
    const before = await mint(t.url, scenario.id);
    assert.equal((await content(t.url, scenario.id, before)).status, 200);
    await fetch(`${t.url}/__test/scenarios/${scenario.id}/revoke`, { method: 'POST' });
    await assertInvalidToken(before, scenario.id);
    const after = await mint(t.url, scenario.id);
    assert.equal((await content(t.url, scenario.id, after)).status, 200);
    // A revoked session, not a token that merely ran out: a viewer clears its screen instead of renewing.
    await fetch(`${t.url}/__test/scenarios/${scenario.id}/revoke-session`, { method: 'POST' });
    await assertInvalidToken(after, scenario.id, REVOKED_CHALLENGE);
  });

  it('A13: admin revocation with the API key: the next range request and every later one are 401 until a new grant', async () => {
    const token = await mint(t.url, 'long');
    const first = await content(t.url, 'long', token, { Range: 'bytes=0-1023' });
    assert.equal(first.status, 206);
    await first.arrayBuffer();
    const denied = await fetch(`${t.url}/api/documents/long/revoke`, { method: 'POST' });
    assert.equal(denied.status, 401, 'revocation needs the API key');
    const revoked = await fetch(`${t.url}/api/documents/long/revoke`, { method: 'POST', headers: { Authorization: `Bearer ${t.apiKey}` } });
    assert.equal(revoked.status, 200);
    assert.ok(t.logs.some((line) => /audit document\.revoke doc=long$/.test(line)), 'revocation is audited');
    for (const range of ['bytes=1024-2047', 'bytes=2048-4095', 'bytes=0-1023']) {
      const response = await content(t.url, 'long', token, { Range: range });
      assert.equal(response.status, 401, range);
      assert.equal(response.headers.get('www-authenticate'), REVOKED_CHALLENGE);
      await response.arrayBuffer();
    }
    const regranted = await content(t.url, 'long', await mint(t.url, 'long'), { Range: 'bytes=1024-2047' });
    assert.equal(regranted.status, 206);
    await regranted.arrayBuffer();
  });
});
