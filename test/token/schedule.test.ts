import { expect } from '@open-wc/testing';
import { receiveToken, tokenFromCallbackResult, tokenFromResponseBody } from '../../src/token/token-response.ts';
import { RenewalBudget } from '../../src/token/renewal-budget.ts';
import { renewalDelay } from '../../src/token/schedule.ts';
import { fakeJwt } from './fake-clock.ts';

describe('renewalDelay', () => {
  it('renews at 80 % of a long lifetime, but at least 30 s before expiry', () => {
    expect(renewalDelay(300_000)).to.equal(240_000);
    expect(renewalDelay(7_200_000)).to.equal(5_760_000);
    expect(renewalDelay(120_000)).to.equal(90_000);
    expect(renewalDelay(100_000)).to.equal(70_000);
  });

  it('renews short tokens at half their life, never sooner than the floor', () => {
    expect(renewalDelay(40_000)).to.equal(20_000);
    expect(renewalDelay(20_000)).to.equal(10_000);
    expect(renewalDelay(4_000)).to.equal(2_000);
    expect(renewalDelay(500)).to.equal(1_000);
  });
});

describe('receiveToken', () => {
  const wall = Date.UTC(2026, 0, 1);
  const iat = wall / 1000;

  it('measures a JWT lifetime as exp − iat, whatever the client clock says', () => {
    const token = fakeJwt({ iat, exp: iat + 300 });
    for (const skew of [-2 * 3600_000, 0, 2 * 3600_000]) {
      const received = receiveToken(token, {}, 50, wall + skew);
      expect(received.lifetimeMs, `skew ${skew}`).to.equal(300_000);
      expect(received.receivedAt).to.equal(50);
    }
  });

  it('prefers expires_in, and lets a plausible clock shorten it', () => {
    expect(receiveToken('opaque', { expiresInMs: 60_000 }, 0, wall).lifetimeMs).to.equal(60_000);
    const old = fakeJwt({ iat: iat - 200, exp: iat + 100 });
    expect(receiveToken(old, {}, 0, wall).lifetimeMs).to.equal(100_000);
  });

  it('leaves the lifetime unknown when nothing says', () => {
    expect(receiveToken('opaque', {}, 0, wall).lifetimeMs).to.equal(null);
    expect(receiveToken('opaque', { expiresAtMs: wall - 1000 }, 0, wall).lifetimeMs).to.equal(null);
  });

  it('refuses malformed tokens', () => {
    expect(() => receiveToken('a b', {}, 0, wall)).to.throw().with.property('code', 'renewal-failed');
  });

  it('reads token responses and callback results', () => {
    expect(tokenFromResponseBody({ access_token: 'abc', expires_in: 120 }, 0, wall)).to.include({ token: 'abc', lifetimeMs: 120_000 });
    expect(tokenFromResponseBody({ jwt: 'j', expires_at: iat + 60 }, 0, wall)).to.include({ token: 'j', lifetimeMs: 60_000 });
    expect(tokenFromResponseBody({ access: 'x' }, 0, wall).token).to.equal('x');
    expect(() => tokenFromResponseBody({ nothing: 1 }, 0, wall)).to.throw().with.property('code', 'renewal-failed');
    expect(tokenFromCallbackResult({ token: 't', expiresAt: wall + 10_000 }, 0, wall)).to.include({ lifetimeMs: 10_000, expiresAt: wall + 10_000 });
    expect(() => tokenFromCallbackResult(undefined, 0, wall)).to.throw().with.property('code', 'renewal-failed');
  });
});

describe('RenewalBudget', () => {
  it('allows a few renewals per window', () => {
    const budget = new RenewalBudget(4, 60_000);
    for (let i = 0; i < 4; i++) expect(budget.take(i * 1000)).to.equal(true);
    expect(budget.take(5000)).to.equal(false);
    expect(budget.waitTime(5000)).to.equal(55_000);
    expect(budget.take(60_000)).to.equal(true);
  });
});
