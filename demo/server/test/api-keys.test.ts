// API keys of the reference backend over HTTP: created (shown once), listed, scoped and revoked at
// run time, failed attempts throttled per client address, a configured SV_API_KEY and an older
// version's key file kept working, and no key in the log.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { access, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { API_KEY_FAILURES_PER_CLIENT } from '../../../server/api-key-registry.ts';
import { SignJWT, importJWK, type CryptoKey, type JWK } from 'jose';
import { content, json, mint, requestFrom, startTestBackend, type TestBackend } from './helpers.ts';

let t: TestBackend;
before(async () => {
  t = await startTestBackend({ trustedProxies: [] });
});
after(async () => {
  await t.close();
});

function call(method: string, route: string, key: string | null, body?: unknown): Promise<Response> {
  return fetch(`${t.url}${route}`, {
    method,
    headers: { ...(key ? { Authorization: `Bearer ${key}` } : {}), ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

const tokenBody = { allowed_documents: [{ document_id: 'sample', document_permissions: ['read'] }] };

interface ListedKey {
  id: string;
  name: string;
  scopes: string[];
  preview: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

describe('API keys over HTTP', () => {
  it('the first start made one key with every scope, shown once and stored as a hash', async () => {
    assert.match(t.apiKey, /^sv_live_[0-9A-Za-z]{38}$/);
    const stored = await readFile(path.join(t.dataDir, 'api-keys.json'), 'utf8');
    assert.ok(!stored.includes(t.apiKey.slice(8)), 'only its hash is stored');
    await assert.rejects(access(path.join(t.dataDir, 'api-key')), 'no plain-text key file');
    const listed = await json<{ keys: ListedKey[] }>(await call('GET', '/api/keys', t.apiKey));
    assert.deepEqual(listed.keys.map((key) => [key.name, key.scopes]), [['default', ['tokens', 'upload', 'revoke', 'list', 'keys']]]);
  });

  it('creates named keys with scopes; each works for its scopes only, shows its last use, and stops when revoked', async () => {
    const created = await call('POST', '/api/keys', t.apiKey, { name: 'Billing', scopes: ['tokens'] });
    assert.equal(created.status, 201);
    const { key, id, preview } = await json<{ key: string; id: string; preview: string }>(created);
    assert.match(key, /^sv_live_/);
    assert.equal(preview, `${key.slice(0, 12)}…`);
    assert.equal((await call('POST', '/api/tokens', key, tokenBody)).status, 200);
    const denied = await call('GET', '/api/documents', key);
    assert.equal(denied.status, 403);
    assert.equal((await json<{ error: { code: string } }>(denied)).error.code, 'insufficient_scope');
    assert.equal((await call('GET', '/api/keys', key)).status, 403, 'managing keys needs the keys scope');
    const listed = await json<{ keys: ListedKey[] }>(await call('GET', '/api/keys', t.apiKey));
    const entry = listed.keys.find((candidate) => candidate.id === id)!;
    assert.notEqual(entry.last_used_at, null);
    assert.equal(JSON.stringify(listed).includes(key.slice(12)), false, 'the list never shows a key');
    assert.equal((await call('POST', `/api/keys/${id}/revoke`, t.apiKey)).status, 200);
    assert.equal((await call('POST', '/api/tokens', key, tokenBody)).status, 401);
    assert.equal((await call('POST', '/api/keys/ak_000000000000/revoke', t.apiKey)).status, 404);
    const test = await json<{ key: string }>(await call('POST', '/api/keys', t.apiKey, { name: 'Staging', scopes: ['list'], environment: 'test' }));
    assert.match(test.key, /^sv_test_/);
  });

  it('refuses bad names, unknown scopes and a missing body', async () => {
    for (const body of [{ name: '', scopes: ['tokens'] }, { name: 'x', scopes: ['admin'] }, { name: 'x', scopes: [] }, { name: 'x\nforged', scopes: ['tokens'] }, {}]) {
      assert.equal((await call('POST', '/api/keys', t.apiKey, body)).status, 400, JSON.stringify(body));
    }
  });

  it('failed attempts are throttled per address: past the limit even the right key is refused there', async () => {
    const from = '127.0.0.31';
    const statuses: number[] = [];
    for (let i = 0; i < API_KEY_FAILURES_PER_CLIENT.points; i++) {
      statuses.push((await requestFrom(t.url, from, 'GET', '/api/documents', { Authorization: `Bearer wrong-key-${i}` })).status);
    }
    assert.deepEqual(new Set(statuses), new Set([401]));
    const limited = await requestFrom(t.url, from, 'GET', '/api/documents', { Authorization: `Bearer ${t.apiKey}` });
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers['retry-after']) > 0);
    assert.equal((await requestFrom(t.url, '127.0.0.32', 'GET', '/api/documents', { Authorization: `Bearer ${t.apiKey}` })).status, 200);
    assert.ok(t.logs.some((line) => / audit apikey\.throttled client=127\.0\.0\.31$/.test(line)));
  });

  it('every key operation is audited, never a key', () => {
    const audit = t.logs.filter((line) => line.includes(' audit apikey.'));
    for (const operation of ['create', 'list', 'revoke', 'failure', 'denied']) {
      assert.ok(audit.some((line) => line.includes(` audit apikey.${operation} `)), operation);
    }
    for (const line of t.logs) assert.doesNotMatch(line, /sv_(live|test)_[0-9A-Za-z]{6}/, line);
  });
});

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** `npm run keys -- …` on the test backend's data folder. */
function keysCli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'demo/server/keys-cli.ts'), ...args], {
      cwd: repoRoot,
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', SV_DATA_DIR: t.dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('npm run keys', () => {
  it('creates, lists and revokes keys a running server honours at once; audit lines without the key', async () => {
    const created = await keysCli('create', 'From the shell', '--scopes', 'tokens,list');
    assert.equal(created.code, 0, created.stderr);
    const key = /key \(shown only now\): (\S+)/.exec(created.stdout)?.[1] ?? '';
    const { id } = JSON.parse(created.stdout.split('\n')[0]!) as { id: string };
    assert.match(key, /^sv_live_/);
    assert.match(created.stderr, / audit apikey\.create id=ak_\w+ name="From the shell" environment=live scopes=tokens,list source=cli/);
    assert.ok(!created.stderr.includes(key.slice(8)));
    assert.equal((await call('POST', '/api/tokens', key, tokenBody)).status, 200, 'the running server takes it');
    const listed = await keysCli('list');
    assert.equal(listed.code, 0);
    assert.ok(listed.stdout.includes(`"id":"${id}"`));
    assert.ok(!listed.stdout.includes(key.slice(12)));
    const revoked = await keysCli('revoke', id);
    assert.equal(revoked.stdout.trim(), 'revoked');
    assert.equal((await call('POST', '/api/tokens', key, tokenBody)).status, 401, 'and refuses it once revoked');
    const wrong = await keysCli('create', 'No scopes');
    assert.equal(wrong.code, 2);
    assert.equal((await keysCli('rotate')).code, 2);
  });
});

describe('npm run keys: signing keys', () => {
  it('a rotation from the shell is taken by the running server at once; tokens signed before keep working', async () => {
    const before = await mint(t.url, 'sample');
    const rotated = await keysCli('rotate-signing-key');
    assert.equal(rotated.code, 0, rotated.stderr);
    const keys = rotated.stdout.trim().split('\n').map((line) => JSON.parse(line) as { kid: string; signing: boolean });
    assert.equal(keys.length, 2);
    const newest = keys.find((key) => key.signing)!;
    assert.match(rotated.stderr, new RegExp(` audit signingkey\\.rotate kid=${newest.kid} source=cli`));
    // A token signed with the new key (as any instance that has heard of it would sign) verifies at once.
    const set = JSON.parse(await readFile(path.join(t.dataDir, 'keys', 'signing-keys.json'), 'utf8')) as Array<{ kid: string; privateJwk: JWK }>;
    const privateKey = (await importJWK(set.find((key) => key.kid === newest.kid)!.privateJwk, 'EdDSA')) as CryptoKey;
    const now = Math.floor(Date.now() / 1000);
    const signedWithNew = await new SignJWT({ doc: 'sample', permissions: ['read'] })
      .setProtectedHeader({ alg: 'EdDSA', typ: 'secure-viewer+jwt', kid: newest.kid })
      .setIssuer('secure-viewer-reference')
      .setAudience('secure-viewer')
      .setJti(`cli-${now}`)
      .setIssuedAt(now)
      .setExpirationTime(now + 300)
      .sign(privateKey);
    for (const token of [before, signedWithNew]) {
      const response = await content(t.url, 'sample', token, { Range: 'bytes=0-7' });
      assert.equal(response.status, 206);
      await response.arrayBuffer();
    }
    const jwks = await json<{ keys: Array<{ kid: string }> }>(await fetch(`${t.url}/.well-known/jwks.json`));
    assert.ok(jwks.keys.some((key) => key.kid === newest.kid), 'published once heard of');
    const retired = await keysCli('retire-signing-key', keys.find((key) => !key.signing)!.kid);
    assert.equal(retired.code, 0, retired.stderr);
    assert.equal(retired.stdout.trim().split('\n').length, 1);
    assert.equal((await keysCli('retire-signing-key', 'no-such-kid')).code, 1);
  });
});

describe('keys from before', () => {
  it('SV_API_KEY keeps working with every scope, and cannot be revoked at run time', async () => {
    const configured = 'configured-key-0123456789-0123456789-0123456789';
    const backend = await startTestBackend({ apiKey: configured });
    try {
      assert.equal((await fetch(`${backend.url}/api/documents`, { headers: { 'X-Api-Key': configured } })).status, 200);
      const listed = await json<{ keys: Array<{ id: string; name: string; configured: boolean }> }>(
        await fetch(`${backend.url}/api/keys`, { headers: { Authorization: `Bearer ${configured}` } }),
      );
      assert.deepEqual(listed.keys.map((key) => [key.id, key.name, key.configured]), [['configured', 'SV_API_KEY', true]]);
      const revoke = await fetch(`${backend.url}/api/keys/configured/revoke`, { method: 'POST', headers: { Authorization: `Bearer ${configured}` } });
      assert.equal(revoke.status, 409);
    } finally {
      await backend.close();
    }
  });

  it('an older version\'s key file is adopted as a hash, removed, and the key keeps working', async () => {
    const legacy = `sv_${'L'.repeat(43)}`;
    const backend = await startTestBackend({}, (dataDir) => writeFile(path.join(dataDir, 'api-key'), `${legacy}\n`, { mode: 0o600 }));
    try {
      assert.equal(backend.apiKey, legacy);
      assert.equal((await fetch(`${backend.url}/api/documents`, { headers: { Authorization: `Bearer ${legacy}` } })).status, 200);
      await assert.rejects(access(path.join(backend.dataDir, 'api-key')), 'the plain-text file is gone');
      assert.ok(!(await readFile(path.join(backend.dataDir, 'api-keys.json'), 'utf8')).includes(legacy));
    } finally {
      await backend.close();
    }
  });
});
