import { expect } from '@open-wc/testing';
import { DEFAULT_RETRY_AFTER_S } from '../../src/net/outcome.ts';
import { exchangeAtUrl, exchangeWithCallback } from '../../src/token/password-exchange.ts';
import { decodeJwtClaims } from '../../src/token/jwt.ts';
import { backendUrl, createScenario, requestLog } from '../helpers/backend.ts';
import { FakeClock, fakeJwt } from './fake-clock.ts';

const ACCESS_PASSWORD = 'reader-2026';

function passwordUrl(id: string): string {
  return `${backendUrl}/api/documents/${id}/password-token`;
}

/** A fake monotonic clock whose wall time is the real one, so the backend's `exp` is in the future. */
function clock(): FakeClock {
  const fake = new FakeClock();
  fake.wall = Date.now();
  return fake;
}

describe('exchangeAtUrl (reference backend)', () => {
  it('exchanges the right password for the document\'s token, measured from its arrival', async () => {
    const id = await createScenario('protected');
    const c = clock();
    const attempt = await exchangeAtUrl(passwordUrl(id), ACCESS_PASSWORD, c);
    if (attempt.kind !== 'accepted') throw new Error(`refused: ${JSON.stringify(attempt)}`);
    expect(decodeJwtClaims(attempt.value.token)).to.include({ doc: id });
    expect(attempt.value.receivedAt).to.equal(c.now());
    // The backend's password tokens last 10 minutes (`expires_in: 600`); the absolute `exp`, in
    // whole seconds, only shortens that by the moments since the server's `iat`.
    expect(attempt.value.lifetimeMs).to.be.within(590_000, 600_000);
  });

  it('sends the password in a JSON body, never in the URL', async () => {
    const id = await createScenario('protected');
    await exchangeAtUrl(passwordUrl(id), ACCESS_PASSWORD, clock());
    const posts = (await requestLog(id)).requests.filter((r) => r.method === 'POST');
    expect(posts).to.have.length(1);
    expect(posts[0]!.query).to.equal('');
    expect(posts[0]!.status).to.equal(200);
  });

  it('calls a wrong password incorrect, and an unknown document the same', async () => {
    const id = await createScenario('protected');
    expect(await exchangeAtUrl(passwordUrl(id), 'wrong-password', clock())).to.deep.equal({ kind: 'incorrect' });
    expect(await exchangeAtUrl(passwordUrl('no-such-document'), ACCESS_PASSWORD, clock())).to.deep.equal({ kind: 'incorrect' });
  });

  it('reads the wait from Retry-After once the server throttles', async () => {
    const id = await createScenario('protected');
    // The backend allows 5 failures per document and client a minute.
    for (let i = 0; i < 5; i++) {
      expect(await exchangeAtUrl(passwordUrl(id), `guess-${i}`, clock()), `guess ${i}`).to.deep.equal({ kind: 'incorrect' });
    }
    const throttled = await exchangeAtUrl(passwordUrl(id), ACCESS_PASSWORD, clock());
    if (throttled.kind !== 'rate-limited') throw new Error(`not throttled: ${JSON.stringify(throttled)}`);
    // The server's wait (a minute from the first failure), not the 30 s default for a bare 429.
    expect(throttled.retryAfter).to.be.within(45, 60);
    const statuses = (await requestLog(id)).requests.filter((r) => r.method === 'POST').map((r) => r.status);
    expect(statuses).to.deep.equal([401, 401, 401, 401, 401, 429]);
  });

  it('calls any other refusal unavailable', async () => {
    const id = await createScenario('protected');
    // Over 1 KiB: refused with 400 before any hashing.
    expect(await exchangeAtUrl(passwordUrl(id), 'x'.repeat(2000), clock())).to.deep.equal({ kind: 'unavailable' });
    // No such route: 404.
    expect(await exchangeAtUrl(`${backendUrl}/api/nowhere`, ACCESS_PASSWORD, clock())).to.deep.equal({ kind: 'unavailable' });
  });

  it('calls it unavailable when the server cannot be reached', async () => {
    // Port 9 (discard) on the loopback: nothing listens there.
    expect(await exchangeAtUrl('http://127.0.0.1:9/password-token', ACCESS_PASSWORD, clock())).to.deep.equal({ kind: 'unavailable' });
  });

  it('calls it unavailable when a 200 holds no token or no JSON', async () => {
    // data: URLs answer any method with 200 and their content (a token in one is accepted).
    expect((await exchangeAtUrl('data:application/json,{"token":"abc"}', ACCESS_PASSWORD, clock())).kind).to.equal('accepted');
    expect(await exchangeAtUrl('data:application/json,{"nothing":"here"}', ACCESS_PASSWORD, clock())).to.deep.equal({ kind: 'unavailable' });
    expect(await exchangeAtUrl('data:text/html,<p>Sign in</p>', ACCESS_PASSWORD, clock())).to.deep.equal({ kind: 'unavailable' });
    expect(await exchangeAtUrl('data:application/json,{"token":"has space"}', ACCESS_PASSWORD, clock())).to.deep.equal({ kind: 'unavailable' });
  });
});

describe('exchangeWithCallback', () => {
  it('hands the password to the callback once and accepts a bare token', async () => {
    const seen: string[] = [];
    const attempt = await exchangeWithCallback(
      async (password) => {
        seen.push(password);
        return 'opaque-token';
      },
      'pass phrase',
      clock(),
    );
    expect(seen).to.deep.equal(['pass phrase']);
    expect(attempt).to.deep.equal({ kind: 'accepted', value: { token: 'opaque-token', receivedAt: 1_000, lifetimeMs: null } });
  });

  it('accepts a grant with expiresAt, and a JWT measured by its own exp - iat', async () => {
    const c = clock();
    const grant = await exchangeWithCallback(async () => ({ token: 'opaque-token', expiresAt: c.wallNow() + 90_000 }), 'p', c);
    expect(grant).to.deep.equal({ kind: 'accepted', value: { token: 'opaque-token', receivedAt: 1_000, lifetimeMs: 90_000, expiresAt: c.wallNow() + 90_000 } });
    const iat = Math.floor(c.wallNow() / 1000);
    c.wall = iat * 1000;
    const jwt = await exchangeWithCallback(async () => fakeJwt({ iat, exp: iat + 300 }), 'p', c);
    if (jwt.kind !== 'accepted') throw new Error('refused');
    expect(jwt.value.lifetimeMs).to.equal(300_000);
  });

  it('calls null, undefined and false a wrong password', async () => {
    for (const answer of [null, undefined, false]) {
      const attempt = await exchangeWithCallback(async () => answer as unknown as string, 'p', clock());
      expect(attempt, String(answer)).to.deep.equal({ kind: 'incorrect' });
    }
  });

  it('reads a rejection\'s status and retryAfter like a server\'s answer', async () => {
    const reject = (reason: unknown) => exchangeWithCallback(() => Promise.reject(reason), 'p', clock());
    expect(await reject({ status: 401 })).to.deep.equal({ kind: 'incorrect' });
    expect(await reject(Object.assign(new Error('no'), { status: 403 }))).to.deep.equal({ kind: 'incorrect' });
    expect(await reject({ status: 429, retryAfter: 12 })).to.deep.equal({ kind: 'rate-limited', retryAfter: 12 });
    expect(await reject({ status: 429 })).to.deep.equal({ kind: 'rate-limited', retryAfter: DEFAULT_RETRY_AFTER_S });
    expect(await reject({ status: 429, retryAfter: '12' })).to.deep.equal({ kind: 'rate-limited', retryAfter: DEFAULT_RETRY_AFTER_S });
    expect(await reject({ status: 503 })).to.deep.equal({ kind: 'unavailable' });
  });

  it('calls other failures unavailable: no status, a status that is not a number, a throw', async () => {
    for (const reason of [new Error('offline'), 'text', null, undefined, 42, { status: '401' }]) {
      const attempt = await exchangeWithCallback(() => Promise.reject(reason), 'p', clock());
      expect(attempt, String(reason)).to.deep.equal({ kind: 'unavailable' });
    }
    const thrown = await exchangeWithCallback(() => {
      throw Object.assign(new Error('sync'), { status: 401 });
    }, 'p', clock());
    expect(thrown).to.deep.equal({ kind: 'incorrect' });
  });

  it('calls an answer that is no usable token unavailable', async () => {
    for (const answer of [42, {}, { token: 7 }, 'has space', 'line\r\nbreak', '']) {
      const attempt = await exchangeWithCallback(async () => answer as string, 'p', clock());
      expect(attempt, JSON.stringify(answer)).to.deep.equal({ kind: 'unavailable' });
    }
  });
});
