import { expect } from '@open-wc/testing';
import { ViewerError } from '../../src/errors.ts';
import type { RenewTokenCallback } from '../../src/token/host-source.ts';
import type { ExchangePasswordCallback } from '../../src/token/password-exchange.ts';
import { planTokens, type AccessPasswordRequest, type TokenSettings } from '../../src/token/token-plan.ts';
import { receiveToken, type ReceivedToken } from '../../src/token/token-response.ts';
import { backendUrl, createScenario } from '../helpers/backend.ts';
import { FakeClock } from './fake-clock.ts';

const DOCUMENT = 'https://documents.example/doc.pdf';
const NONE: TokenSettings = { tokenUrl: null, passwordUrl: null, renewToken: null, exchangePassword: null, renewTimeout: 30_000 };

function setup(initial: Partial<TokenSettings>, hasInitialToken = false, answer: (request: AccessPasswordRequest) => Promise<ReceivedToken | null> = async () => null) {
  const clock = new FakeClock();
  // The host replaces settings as a whole, as the element pushes them: a plan that kept the
  // object it was made with would miss every later change.
  let current: TokenSettings = { ...NONE, ...initial };
  const settings = (change: Partial<TokenSettings>) => {
    current = { ...current, ...change };
  };
  const requests: AccessPasswordRequest[] = [];
  const plan = planTokens(
    () => current,
    { src: DOCUMENT, hasInitialToken },
    (request) => {
      requests.push(request);
      return answer(request);
    },
    clock,
  );
  return { clock, settings, plan, requests, signal: new AbortController().signal };
}

describe('planTokens', () => {
  describe('which sources the settings give', () => {
    it('neither a host source nor a reader without any setting', () => {
      const { plan } = setup({});
      expect(plan.source).to.equal(null);
      expect(plan.reader).to.equal(undefined);
      expect(plan.firstFromReader).to.equal(undefined);
    });

    it('only the host with token-url or renewToken', () => {
      for (const settings of [{ tokenUrl: '/token' }, { renewToken: () => 'x' }]) {
        const { plan } = setup(settings);
        expect(plan.source, JSON.stringify(settings)).to.be.a('function');
        expect(plan.reader, JSON.stringify(settings)).to.equal(undefined);
      }
    });

    it('only the reader, first, with a password and nothing from the host', () => {
      for (const settings of [{ passwordUrl: '/password' }, { exchangePassword: async () => 'x' }]) {
        const { plan } = setup(settings);
        expect(plan.source).to.equal(null);
        expect(plan.reader).to.be.a('function');
        expect(plan.firstFromReader).to.equal(true);
      }
    });

    it('the host first when it gave a token or a token-url, the reader when it cannot help', () => {
      const withToken = setup({ passwordUrl: '/password' }, true).plan;
      expect(withToken.source).to.equal(null);
      expect(withToken.reader).to.be.a('function');
      expect(withToken.firstFromReader).to.equal(false);

      const withTokenUrl = setup({ passwordUrl: '/password', tokenUrl: '/token' }).plan;
      expect(withTokenUrl.source).to.be.a('function');
      expect(withTokenUrl.reader).to.be.a('function');
      expect(withTokenUrl.firstFromReader).to.equal(false);
    });

    it('the reader first when the host has only renewToken (it renews, it does not open)', () => {
      const { plan } = setup({ exchangePassword: async () => 'x', renewToken: () => 'x' });
      expect(plan.source).to.be.a('function');
      expect(plan.reader).to.be.a('function');
      expect(plan.firstFromReader).to.equal(true);
    });

    it('settings the host gives after the plan was made count from then on', () => {
      const { plan, settings } = setup({});
      expect(plan.source).to.equal(null);
      settings({ renewToken: () => 'x' });
      expect(plan.source).to.be.a('function');
      expect(plan.reader).to.equal(undefined);
      settings({ exchangePassword: async () => 'x' });
      expect(plan.reader).to.be.a('function');
      expect(plan.firstFromReader).to.equal(true);
      settings({ renewToken: null, tokenUrl: '/token' });
      expect(plan.source).to.be.a('function');
      expect(plan.firstFromReader).to.equal(false);
    });
  });

  describe('the host source', () => {
    it('calls renewToken with the reason, a first token counting as expiring', async () => {
      const reasons: string[] = [];
      const { plan, signal } = setup({ renewToken: ({ reason }) => (reasons.push(reason), `token-${reasons.length}`) });
      expect((await plan.source!('initial', signal)).token).to.equal('token-1');
      expect((await plan.source!('expiring', signal)).token).to.equal('token-2');
      expect((await plan.source!('unauthorized', signal)).token).to.equal('token-3');
      expect(reasons).to.deep.equal(['expiring', 'expiring', 'unauthorized']);
    });

    it('tells renewToken which document the token is for', async () => {
      const sources: string[] = [];
      const { plan, signal } = setup({ renewToken: ({ src }) => (sources.push(src), 'token') });
      await plan.source!('initial', signal);
      await plan.source!('unauthorized', signal);
      expect(sources).to.deep.equal([DOCUMENT, DOCUMENT]);
    });

    it('calls the renewToken the host set last, not the one it had when the plan was made', async () => {
      const calls: string[] = [];
      const first: RenewTokenCallback = () => (calls.push('first'), 'token-a');
      const second: RenewTokenCallback = async () => (calls.push('second'), { token: 'token-b', expiresAt: Date.UTC(2026, 0, 1, 0, 5) });
      const { plan, settings, signal } = setup({ renewToken: first });
      await plan.source!('expiring', signal);
      settings({ renewToken: second });
      const token = await plan.source!('expiring', signal);
      expect(calls).to.deep.equal(['first', 'second']);
      expect(token).to.include({ token: 'token-b', lifetimeMs: 300_000 });
    });

    it('posts to token-url when there is no renewToken', async () => {
      const { plan, signal } = setup({ tokenUrl: `${backendUrl}/demo/session-token?doc=sample&ttl=120` });
      const token = await plan.source!('initial', signal);
      expect(token.token.split('.')).to.have.length(3);
      expect(token.lifetimeMs).to.be.within(110_000, 120_000);
    });
  });

  describe('the reader', () => {
    const accepted = (clock: FakeClock) => receiveToken('from-reader', {}, clock.now(), clock.wallNow());

    it('asks with expired false for the first token and true after a 401, passing the signal', async () => {
      let clock!: FakeClock;
      const s = setup({ passwordUrl: '/password' }, false, async () => accepted(clock));
      clock = s.clock;
      const controller = new AbortController();
      expect((await s.plan.reader!('initial', controller.signal)).token).to.equal('from-reader');
      expect((await s.plan.reader!('unauthorized', controller.signal)).token).to.equal('from-reader');
      expect(s.requests.map((r) => r.expired)).to.deep.equal([false, true]);
      expect(s.requests.every((r) => r.signal === controller.signal)).to.equal(true);
    });

    it('ends in password-cancelled when the reader cancels', async () => {
      const { plan, signal } = setup({ passwordUrl: '/password' });
      let caught: unknown;
      try {
        await plan.reader!('initial', signal);
      } catch (error) {
        caught = error;
      }
      expect(caught).to.be.instanceOf(ViewerError);
      expect((caught as ViewerError).code).to.equal('password-cancelled');
    });

    it('tries each password with the exchangePassword the host set last', async () => {
      const calls: string[] = [];
      const first: ExchangePasswordCallback = async (password) => (calls.push(`first:${password}`), 'token-a');
      const second: ExchangePasswordCallback = async (password) => (calls.push(`second:${password}`), 'token-b');
      const { plan, settings, requests, signal } = setup({ exchangePassword: first });
      void plan.reader!('initial', signal).catch(() => {});
      const attempt = requests[0]!.attempt;
      expect(await attempt('one')).to.deep.include({ kind: 'accepted' });
      settings({ exchangePassword: second });
      const result = await attempt('two');
      expect(calls).to.deep.equal(['first:one', 'second:two']);
      expect(result.kind === 'accepted' && result.value.token).to.equal('token-b');
    });

    it('prefers exchangePassword over password-url, and posts to password-url without it', async () => {
      const id = await createScenario('protected');
      const { plan, settings, requests, signal } = setup({ passwordUrl: `${backendUrl}/api/documents/${id}/password-token`, exchangePassword: async () => 'from-callback' });
      void plan.reader!('initial', signal).catch(() => {});
      const attempt = requests[0]!.attempt;
      const viaCallback = await attempt('reader-2026');
      expect(viaCallback.kind === 'accepted' && viaCallback.value.token).to.equal('from-callback');
      settings({ exchangePassword: null });
      expect(await attempt('wrong-password')).to.deep.equal({ kind: 'incorrect' });
      const viaUrl = await attempt('reader-2026');
      expect(viaUrl.kind).to.equal('accepted');
    });
  });
});
