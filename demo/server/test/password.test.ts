// Password exchange, throttling and refresh-token rotation: adversarial test plan B (security.md §3),
// plus A9 (token kinds are not interchangeable) and log hygiene. More of B in abuse.test.ts.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TEST_ORIGIN, content, decodePart, json, startTestBackend, type TestBackend } from './helpers.ts';

const PASSWORD = 'reader-2026';
let t: TestBackend;
const secrets: string[] = [PASSWORD];

before(async () => {
  t = await startTestBackend();
});
after(async () => {
  // Nothing secret ever reaches the log sink.
  const logText = t.logs.join('\n');
  for (const secret of [...secrets, t.apiKey]) assert.ok(!logText.includes(secret), `log contains a secret (${secret.slice(0, 6)}…)`);
  await t.close();
});

/** A fresh alias of `protected`, so each test has its own throttle counters. */
async function protectedAlias(): Promise<string> {
  const response = await fetch(`${t.url}/__test/scenarios`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ document: 'protected' }),
  });
  return (await json<{ id: string }>(response)).id;
}

function exchange(id: string, password: unknown, headers: Record<string, string> = {}, query = ''): Promise<Response> {
  return fetch(`${t.url}/api/documents/${id}/password-token${query}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify({ password }),
  });
}

function refresh(id: string, cookie: string | null, headers: Record<string, string> = {}, body: string | null = null): Promise<Response> {
  return fetch(`${t.url}/api/documents/${id}/refresh`, {
    method: 'POST',
    headers: { ...(cookie ? { Cookie: `sv_refresh=${cookie}` } : {}), ...headers },
    body,
  });
}

function cookieValue(response: Response): string {
  const header = response.headers.get('set-cookie') ?? '';
  const match = /sv_refresh=([^;]*)/.exec(header);
  assert.ok(match, 'sets the refresh cookie');
  return match[1]!;
}

describe('password exchange', () => {
  it('B21: wrong password, unknown document and password-less document all get the same 401', async () => {
    const bodies: string[] = [];
    for (const [id, password] of [
      ['protected', 'wrong-password'],
      ['no-such-document', 'wrong-password'],
      ['sample', 'wrong-password'],
    ] as const) {
      const response = await exchange(id, password);
      assert.equal(response.status, 401, id);
      assert.equal(response.headers.get('set-cookie'), null);
      bodies.push(await response.text());
    }
    assert.equal(new Set(bodies).size, 1);
    assert.equal(JSON.parse(bodies[0]!).error.code, 'invalid_password');
  });

  it('B25: the right password gives a short document-scoped token and an HttpOnly, SameSite=Strict refresh cookie', async () => {
    const response = await exchange('protected', PASSWORD);
    assert.equal(response.status, 200);
    const { token, expires_in } = await json<{ token: string; expires_in: number }>(response);
    secrets.push(token);
    assert.equal(expires_in, 600);
    const header = decodePart(token, 0);
    const claims = decodePart(token, 1);
    assert.deepEqual([header['alg'], header['typ'], typeof header['kid']], ['EdDSA', 'secure-viewer+jwt', 'string']);
    assert.equal(claims['doc'], 'protected');
    assert.equal(claims['iss'], 'secure-viewer-reference');
    assert.equal(claims['aud'], 'secure-viewer');
    assert.equal(typeof claims['jti'], 'string');
    assert.ok((claims['permissions'] as string[]).includes('read'));
    assert.ok((claims['exp'] as number) - (claims['iat'] as number) <= 900, 'at most 15 minutes');
    const cookie = response.headers.get('set-cookie') ?? '';
    secrets.push(cookieValue(response));
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Strict/);
    assert.match(cookie, /Path=\/api\/documents\/protected\//);
    assert.match(cookie, /Max-Age=86400/);
    assert.doesNotMatch(cookie, /Secure/, 'plain http: no Secure, or the browser would drop it');
    const pdf = await content(t.url, 'protected', token);
    assert.equal(pdf.status, 200);
    await pdf.arrayBuffer();
  });

  it('marks the cookie Secure behind a trusted HTTPS proxy, and only then', async () => {
    const untrusted = await exchange('protected', PASSWORD, { 'X-Forwarded-Proto': 'https' });
    assert.doesNotMatch(untrusted.headers.get('set-cookie') ?? '', /; Secure/, 'any client can send X-Forwarded-Proto');
    secrets.push((await json<{ token: string }>(untrusted)).token, cookieValue(untrusted));
    const proxied = await startTestBackend({ trustedProxies: ['loopback'] });
    try {
      const response = await fetch(`${proxied.url}/api/documents/protected/password-token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Forwarded-Proto': 'https' },
        body: JSON.stringify({ password: PASSWORD }),
      });
      assert.match(response.headers.get('set-cookie') ?? '', /; Secure/);
      secrets.push((await json<{ token: string }>(response)).token, cookieValue(response));
    } finally {
      await proxied.close();
    }
  });

  it('works for scenario aliases, whose tokens are bound to the alias', async () => {
    const id = await protectedAlias();
    const response = await exchange(id, PASSWORD);
    assert.equal(response.status, 200);
    const { token } = await json<{ token: string }>(response);
    secrets.push(token);
    assert.equal(decodePart(token, 1)['doc'], id);
  });

  it('B22, B24: refuses a password in the query string, bad types, oversized bodies and foreign origins', async () => {
    const inQuery = await exchange('protected', PASSWORD, {}, `?password=${PASSWORD}`);
    assert.equal(inQuery.status, 400);
    assert.equal((await json<{ error: { code: string } }>(inQuery)).error.code, 'password_in_url');
    assert.equal((await exchange('protected', { $ne: 1 })).status, 400);
    assert.equal((await exchange('protected', undefined)).status, 400);
    assert.equal((await exchange('protected', 'x'.repeat(1024 * 1024))).status, 413);
    const form = await fetch(`${t.url}/api/documents/protected/password-token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `password=${PASSWORD}`,
    });
    assert.equal(form.status, 415);
    assert.equal((await exchange('protected', PASSWORD, { Origin: 'https://evil.test' })).status, 403);
    const allowed = await exchange('protected', PASSWORD, { Origin: TEST_ORIGIN });
    assert.equal(allowed.status, 200);
    assert.equal(allowed.headers.get('access-control-allow-credentials'), 'true');
    secrets.push((await json<{ token: string }>(allowed)).token, cookieValue(allowed));
  });
});

describe('throttling', () => {
  it('B18: 429 with Retry-After after 5 failures, and the right password is refused meanwhile (same body)', async () => {
    const id = await protectedAlias();
    for (let attempt = 0; attempt < 5; attempt++) assert.equal((await exchange(id, `guess-${attempt}`)).status, 401);
    const limited = await exchange(id, 'guess-6');
    assert.equal(limited.status, 429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    assert.ok(retryAfter > 0 && retryAfter <= 60, `Retry-After ${retryAfter}`);
    const limitedBody = await json<{ error: { code: string } }>(limited);
    assert.equal(limitedBody.error.code, 'rate_limited');
    const right = await exchange(id, PASSWORD);
    assert.equal(right.status, 429, 'the correct password is refused during the lockout');
    assert.equal(right.headers.get('set-cookie'), null);
    assert.equal((await json<{ error: { code: string } }>(right)).error.code, limitedBody.error.code);
  });

  it('B18: a success resets the per-document counter', async () => {
    const id = await protectedAlias();
    for (let attempt = 0; attempt < 4; attempt++) await exchange(id, `guess-${attempt}`);
    const ok = await exchange(id, PASSWORD);
    assert.equal(ok.status, 200);
    secrets.push((await json<{ token: string }>(ok)).token, cookieValue(ok));
    for (let attempt = 0; attempt < 4; attempt++) assert.equal((await exchange(id, `guess-${attempt}`)).status, 401);
  });

  it('B19: parallel guesses cannot exceed the limit', async () => {
    const id = await protectedAlias();
    const statuses = await Promise.all(Array.from({ length: 20 }, (_, i) => exchange(id, `parallel-${i}`).then((r) => r.status)));
    assert.equal(statuses.filter((s) => s === 401).length, 5);
    assert.equal(statuses.filter((s) => s === 429).length, 15);
  });

  it('B20: unknown ids are throttled like real ones', async () => {
    for (let attempt = 0; attempt < 5; attempt++) assert.equal((await exchange('ghost-doc', `guess-${attempt}`)).status, 401);
    assert.equal((await exchange('ghost-doc', 'again')).status, 429);
  });
});

describe('refresh cookie', () => {
  async function login(id: string): Promise<string> {
    const response = await exchange(id, PASSWORD);
    assert.equal(response.status, 200);
    secrets.push((await json<{ token: string }>(response)).token);
    const cookie = cookieValue(response);
    secrets.push(cookie);
    return cookie;
  }

  it('B14: rotates on every use and issues a fresh access token (JSON or empty body)', async () => {
    const id = await protectedAlias();
    const first = await login(id);
    const r1 = await refresh(id, first, { 'Content-Type': 'application/json' }, '{}');
    assert.equal(r1.status, 200);
    const second = cookieValue(r1);
    secrets.push(second);
    assert.notEqual(second, first);
    const { token } = await json<{ token: string; expires_in: number }>(r1);
    secrets.push(token);
    const pdf = await content(t.url, id, token);
    assert.equal(pdf.status, 200);
    await pdf.arrayBuffer();
    const r2 = await refresh(id, second); // no body, as a token-url fetch sends it
    assert.equal(r2.status, 200);
    secrets.push(cookieValue(r2), (await json<{ token: string }>(r2)).token);
  });

  it('B14: a replayed (rotated) cookie revokes the whole family, audited as reuse', async () => {
    const id = await protectedAlias();
    const first = await login(id);
    const second = cookieValue(await refresh(id, first));
    const third = cookieValue(await refresh(id, second));
    secrets.push(second, third);
    const replay = await refresh(id, first);
    assert.equal(replay.status, 401);
    assert.match(replay.headers.get('set-cookie') ?? '', /Max-Age=0/);
    assert.equal((await refresh(id, third)).status, 401, 'the current cookie of the family is dead too');
    assert.ok(t.logs.some((line) => line.includes(`audit refresh.reuse doc=${id}`)), 'reuse is audited');
  });

  it('B15: two parallel refreshes with the same cookie get the same successor (no revocation)', async () => {
    const id = await protectedAlias();
    const first = await login(id);
    const [a, b] = await Promise.all([refresh(id, first), refresh(id, first)]);
    assert.equal(a.status, 200);
    assert.equal(b.status, 200);
    const successor = cookieValue(a);
    secrets.push(successor, (await json<{ token: string }>(a)).token, (await json<{ token: string }>(b)).token);
    assert.equal(cookieValue(b), successor);
    const next = await refresh(id, successor);
    assert.equal(next.status, 200, 'the family is still alive');
    secrets.push(cookieValue(next), (await json<{ token: string }>(next)).token);
    assert.ok(!t.logs.some((line) => line.includes(`refresh.reuse doc=${id}`)), 'no reuse detected');
  });

  it('B14: 401 without a cookie, with an unknown one, or with a cookie for another document', async () => {
    const id = await protectedAlias();
    const cookie = await login(id);
    assert.equal((await refresh(id, null)).status, 401);
    assert.equal((await refresh(id, 'made-up-value')).status, 401);
    assert.equal((await refresh('protected', cookie)).status, 401);
  });

  it('A9: an access token is not a refresh token, and a refresh token (or the API key) is not an access token', async () => {
    const id = await protectedAlias();
    const response = await exchange(id, PASSWORD);
    const { token } = await json<{ token: string }>(response);
    const cookie = cookieValue(response);
    secrets.push(token, cookie);
    assert.equal((await refresh(id, token)).status, 401);
    assert.equal((await refresh(id, null, { Authorization: `Bearer ${token}` })).status, 401);
    for (const bearer of [cookie, t.apiKey]) {
      const refused = await content(t.url, id, bearer);
      assert.equal(refused.status, 401);
      assert.equal(refused.headers.get('www-authenticate'), 'Bearer error="invalid_token"');
      assert.ok(!(await refused.text()).includes(bearer));
    }
    // Both are still good for what they are.
    const pdf = await content(t.url, id, token);
    assert.equal(pdf.status, 200);
    await pdf.arrayBuffer();
    const renewed = await refresh(id, cookie);
    assert.equal(renewed.status, 200);
    secrets.push(cookieValue(renewed), (await json<{ token: string }>(renewed)).token);
  });

  it('B17: refuses cross-site form posts and foreign origins (CSRF), without a token or cookie', async () => {
    const id = await protectedAlias();
    const cookie = await login(id);
    for (const type of ['application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data; boundary=x']) {
      for (const origin of [{}, { Origin: TEST_ORIGIN }] as Array<Record<string, string>>) {
        const response = await refresh(id, cookie, { 'Content-Type': type, ...origin }, 'a=b');
        assert.equal(response.status, 403, type);
        assert.equal(response.headers.get('set-cookie'), null);
        assert.ok(!(await response.text()).includes('token'));
      }
    }
    assert.equal((await refresh(id, cookie, { Origin: 'https://evil.test' })).status, 403);
    assert.equal((await refresh(id, cookie, { Origin: 'null' })).status, 403);
    assert.equal((await refresh(id, cookie, { 'Sec-Fetch-Site': 'cross-site' })).status, 403, 'cross-site without Origin');
    // The cookie is still valid afterwards: refused requests did not rotate it.
    const ok = await refresh(id, cookie, { Origin: TEST_ORIGIN });
    assert.equal(ok.status, 200);
    secrets.push(cookieValue(ok), (await json<{ token: string }>(ok)).token);
  });
});
