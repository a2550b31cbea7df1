import { expect } from '@open-wc/testing';
import { withTimeout } from '../../src/internal/timeout.ts';
import { FakeClock, flush } from '../token/fake-clock.ts';

/** A promise the test settles by hand. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Records how the race settled, without awaiting it. */
function observe<T>(promise: Promise<T>) {
  const outcome: { value?: T; error?: unknown; settled: boolean } = { settled: false };
  promise.then(
    (value) => Object.assign(outcome, { value, settled: true }),
    (error: unknown) => Object.assign(outcome, { error, settled: true }),
  );
  return outcome;
}

describe('withTimeout', () => {
  it('settles with the value when the work finishes first, and clears its timer', async () => {
    const clock = new FakeClock();
    const work = deferred<string>();
    let timeouts = 0;
    const outcome = observe(withTimeout(work.promise, 1_000, () => (timeouts++, new Error('late')), clock));
    expect(clock.pendingTimers).to.equal(1);
    await clock.advance(999);
    expect(outcome.settled).to.equal(false);
    work.resolve('done');
    await flush();
    expect(outcome).to.deep.equal({ value: 'done', settled: true });
    expect(clock.pendingTimers).to.equal(0);
    await clock.advance(5_000);
    expect(timeouts).to.equal(0);
  });

  it('passes the work\'s own failure through, and clears its timer', async () => {
    const clock = new FakeClock();
    const work = deferred<string>();
    const failure = new Error('refused');
    const outcome = observe(withTimeout(work.promise, 1_000, () => new Error('late'), clock));
    work.reject(failure);
    await flush();
    expect(outcome.error).to.equal(failure);
    expect(clock.pendingTimers).to.equal(0);
  });

  it('rejects with onTimeout()\'s error exactly when the time is up, calling it once', async () => {
    const clock = new FakeClock();
    const work = deferred<string>();
    const late = new Error('late');
    let timeouts = 0;
    const outcome = observe(
      withTimeout(work.promise, 1_000, () => {
        timeouts++;
        return late;
      }, clock),
    );
    await clock.advance(999);
    expect(outcome.settled).to.equal(false);
    expect(timeouts).to.equal(0);
    await clock.advance(1);
    expect(outcome.error).to.equal(late);
    expect(timeouts).to.equal(1);
    expect(clock.pendingTimers).to.equal(0);
  });

  it('ignores the work\'s late answer after the deadline', async () => {
    const clock = new FakeClock();
    const work = deferred<string>();
    const outcome = observe(withTimeout(work.promise, 50, () => new Error('late'), clock));
    await clock.advance(50);
    work.resolve('too late');
    await flush();
    expect((outcome.error as Error).message).to.equal('late');
    expect(outcome).not.to.have.property('value');
  });

  it('works with the real timers when none are given', async () => {
    const never = new Promise<never>(() => {});
    const started = performance.now();
    let caught: unknown;
    try {
      await withTimeout(never, 30, () => new Error('late'));
    } catch (error) {
      caught = error;
    }
    expect((caught as Error).message).to.equal('late');
    expect(performance.now() - started).to.be.at.least(25);
    expect(await withTimeout(Promise.resolve(7), 30, () => new Error('late'))).to.equal(7);
  });
});
