import { expect } from '@open-wc/testing';
import type { ViewerError } from '../../src/errors.ts';
import { receiveToken, type ReceivedToken } from '../../src/token/token-response.ts';
import { TokenSession, type TokenReason } from '../../src/token/token-session.ts';
import { FakeClock, flush } from './fake-clock.ts';

function setup(options: { answer?: (n: number, reason: TokenReason, signal: AbortSignal) => Promise<ReceivedToken>; timeoutMs?: number } = {}) {
  const clock = new FakeClock();
  const calls: TokenReason[] = [];
  const renewed: TokenReason[] = [];
  const failures: ViewerError[] = [];
  const answer =
    options.answer ?? ((n: number) => Promise.resolve(receiveToken(`token-${n}`, { expiresInMs: 60_000 }, clock.now(), clock.wallNow())));
  const session = new TokenSession({
    source: (reason, signal) => {
      calls.push(reason);
      return answer(calls.length, reason, signal);
    },
    onToken: (_token, reason) => renewed.push(reason),
    onFailure: (error) => failures.push(error),
    timeoutMs: options.timeoutMs ?? 30_000,
    clock,
  });
  const seed = (lifetimeMs: number | null = 60_000) =>
    session.set(receiveToken('token-0', lifetimeMs === null ? {} : { expiresInMs: lifetimeMs }, clock.now(), clock.wallNow()));
  return { clock, session, calls, renewed, failures, seed };
}

describe('TokenSession', () => {
  it('renews proactively at the scheduled time and keeps the new token', async () => {
    const { clock, session, calls, seed } = setup();
    seed(60_000);
    await clock.advance(29_999);
    expect(calls).to.deep.equal([]);
    await clock.advance(1);
    expect(calls).to.deep.equal(['expiring']);
    expect(await session.token()).to.equal('token-1');
  });

  it('fetches the first token from the source when the host gave none', async () => {
    const { session, calls } = setup();
    expect(await session.token()).to.equal('token-1');
    expect(calls).to.deep.equal(['initial']);
  });

  it('turns 25 concurrent rejections into one renewal', async () => {
    let release!: () => void;
    const { clock, session, calls, seed } = setup({
      answer: (n) => new Promise((resolve) => { release = () => resolve(receiveToken(`token-${n}`, {}, clock.now(), clock.wallNow())); }),
    });
    seed(null);
    const retries = Array.from({ length: 25 }, () => session.renewAfterRejection('token-0'));
    await flush();
    release();
    expect(new Set(await Promise.all(retries))).to.deep.equal(new Set(['token-1']));
    // A late 401 for the old token reuses the new one instead of renewing again.
    expect(await session.renewAfterRejection('token-0')).to.equal('token-1');
    expect(calls).to.deep.equal(['unauthorized']);
  });

  it('does not let scheduled renewals use up the budget for 401s', async () => {
    const { clock, session, calls } = setup({ answer: (n) => Promise.resolve(receiveToken(`token-${n}`, { expiresInMs: 20_000 }, clock.now(), clock.wallNow())) });
    session.set(receiveToken('token-0', { expiresInMs: 20_000 }, clock.now(), clock.wallNow()));
    await clock.advance(59_000);
    expect(calls).to.deep.equal(['expiring', 'expiring', 'expiring', 'expiring', 'expiring']);
    const current = await session.token();
    expect(await session.renewAfterRejection(current)).to.equal('token-6');
  });

  it('stops after a few renewals a minute when fresh tokens keep being refused', async () => {
    const { session, calls, seed } = setup();
    seed(null);
    let token = 'token-0';
    const outcomes: string[] = [];
    for (let i = 0; i < 10; i++) {
      try {
        token = await session.renewAfterRejection(token);
        outcomes.push('renewed');
      } catch (error) {
        outcomes.push((error as ViewerError).code);
        break;
      }
    }
    expect(calls).to.have.length(4);
    expect(outcomes.at(-1)).to.equal('unauthorized');
  });

  it('fails with renewal-failed when the source rejects, and refuses requests afterwards', async () => {
    const { session, failures, seed, calls } = setup({ answer: () => Promise.reject(new Error('no')) });
    seed(null);
    await session.renewAfterRejection('token-0').then(
      () => expect.fail('should reject'),
      (error: ViewerError) => expect(error.code).to.equal('renewal-failed'),
    );
    expect(failures.map((f) => f.code)).to.deep.equal(['renewal-failed']);
    await session.token().then(() => expect.fail('should reject'), (error: ViewerError) => expect(error.code).to.equal('renewal-failed'));
    expect(calls).to.have.length(1);
  });

  it('times out a source that never answers and ignores its late answer', async () => {
    let aborted = false;
    let lateAnswer!: (token: ReceivedToken) => void;
    const { clock, session, failures, renewed, seed } = setup({
      timeoutMs: 5_000,
      answer: (_n, _reason, signal) => {
        signal.addEventListener('abort', () => (aborted = true));
        return new Promise((resolve) => (lateAnswer = resolve));
      },
    });
    seed(null);
    const pending = session.renewAfterRejection('token-0').catch((error: ViewerError) => error.code);
    await clock.advance(5_000);
    expect(await pending).to.equal('renewal-failed');
    expect(aborted).to.equal(true);
    lateAnswer(receiveToken('late', {}, clock.now(), clock.wallNow()));
    await flush();
    expect(renewed).to.deep.equal([]);
    expect(failures).to.have.length(1);
  });

  it('rejects a malformed token from the source as a renewal failure', async () => {
    const { session, clock } = setup({
      answer: () => Promise.resolve().then(() => receiveToken('bad\r\ntoken', {}, 0, 0)),
    });
    session.set(receiveToken('token-0', {}, clock.now(), clock.wallNow()));
    const code = await session.renewAfterRejection('token-0').catch((error: ViewerError) => error.code);
    expect(code).to.equal('renewal-failed');
  });

  it('does nothing after dispose: no timers, late answers dropped', async () => {
    let release!: () => void;
    const { clock, session, renewed, failures, seed } = setup({
      answer: (n) => new Promise((resolve) => { release = () => resolve(receiveToken(`token-${n}`, { expiresInMs: 60_000 }, clock.now(), clock.wallNow())); }),
    });
    seed(60_000);
    expect(clock.pendingTimers).to.equal(1);
    await clock.advance(30_000);
    session.dispose();
    release();
    await flush();
    expect(renewed).to.deep.equal([]);
    expect(failures).to.deep.equal([]);
    expect(clock.pendingTimers).to.equal(0);
  });

  it('renews at once when checked after the tab slept past the renewal time', async () => {
    const { clock, session, calls, seed } = setup();
    seed(60_000);
    clock.monotonic += 50_000; // timers did not run meanwhile
    session.checkNow();
    await flush();
    expect(calls).to.deep.equal(['expiring']);
  });

  it('keeps proactive renewals of very short tokens within the budget', async () => {
    const { clock, calls, session } = setup({ answer: (n) => Promise.resolve(receiveToken(`token-${n}`, { expiresInMs: 2_000 }, clock.now(), clock.wallNow())) });
    session.set(receiveToken('token-0', { expiresInMs: 2_000 }, clock.now(), clock.wallNow()));
    await clock.advance(60_000);
    // Renewed every second by the schedule, then held at 30 a minute.
    expect(calls.length).to.equal(30);
    await clock.advance(60_000);
    expect(calls.length).to.be.at.most(60);
  });
});
