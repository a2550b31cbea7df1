import { expect } from '@open-wc/testing';
import { ViewerError } from '../../src/errors.ts';
import { DEFAULT_RETRY_AFTER_S, errorForStatus, parseRetryAfter, refusalForStatus, tokenFailure } from '../../src/net/outcome.ts';

describe('errorForStatus', () => {
  it('maps the statuses of the contract to their codes, keeping the status', () => {
    const cases: Array<[number, string]> = [
      [401, 'unauthorized'],
      [403, 'forbidden'],
      [404, 'not-found'],
      [410, 'not-found'],
      [429, 'rate-limited'],
      [500, 'server'],
      [502, 'server'],
      [503, 'server'],
      [599, 'server'],
    ];
    for (const [status, code] of cases) {
      const error = errorForStatus(status);
      expect(error, String(status)).to.be.instanceOf(ViewerError);
      expect(error.code, String(status)).to.equal(code);
      expect(error.status, String(status)).to.equal(status);
    }
  });

  it('treats 416 and any other unexpected answer as an unreadable document', () => {
    for (const status of [200, 204, 302, 400, 405, 416, 418]) {
      expect(errorForStatus(status).code, String(status)).to.equal('invalid-document');
      expect(errorForStatus(status).status, String(status)).to.equal(status);
    }
  });

  it('carries Retry-After on a 429 only', () => {
    expect(errorForStatus(429, 12).retryAfter).to.equal(12);
    expect(errorForStatus(429, 0).retryAfter).to.equal(0);
    expect(errorForStatus(429)).not.to.have.property('retryAfter');
    expect(errorForStatus(503, 12)).not.to.have.property('retryAfter');
  });

  it('exposes neither the Retry-After nor anything but code, message and status', () => {
    expect(errorForStatus(429, 12).toInfo()).to.deep.equal({
      code: 'rate-limited',
      message: 'Too many requests. Please wait a moment and try again.',
      status: 429,
    });
  });
});

describe('refusalForStatus', () => {
  it('calls 401 and 403 a wrong password', () => {
    expect(refusalForStatus(401)).to.deep.equal({ kind: 'incorrect' });
    expect(refusalForStatus(403, 5)).to.deep.equal({ kind: 'incorrect' });
  });

  it('gives a 429 the server\'s wait, or the default when it named none or a negative one', () => {
    expect(refusalForStatus(429, 17)).to.deep.equal({ kind: 'rate-limited', retryAfter: 17 });
    expect(refusalForStatus(429, 0)).to.deep.equal({ kind: 'rate-limited', retryAfter: 0 });
    expect(refusalForStatus(429)).to.deep.equal({ kind: 'rate-limited', retryAfter: DEFAULT_RETRY_AFTER_S });
    expect(refusalForStatus(429, -3)).to.deep.equal({ kind: 'rate-limited', retryAfter: DEFAULT_RETRY_AFTER_S });
    expect(DEFAULT_RETRY_AFTER_S).to.equal(30);
  });

  it('says the server could not be asked for anything else, or no status at all', () => {
    for (const status of [undefined, 200, 400, 404, 500, 503]) {
      expect(refusalForStatus(status), String(status)).to.deep.equal({ kind: 'unavailable' });
    }
  });
});

describe('tokenFailure', () => {
  it('keeps the reader\'s cancel and an existing renewal failure as they are', () => {
    const cancelled = new ViewerError('password-cancelled');
    const failed = new ViewerError('renewal-failed', { status: 502, message: 'The new token is not well-formed.' });
    expect(tokenFailure(cancelled, false)).to.equal(cancelled);
    expect(tokenFailure(cancelled, true)).to.equal(cancelled);
    expect(tokenFailure(failed, false)).to.equal(failed);
  });

  it('turns other viewer errors into renewal-failed with the status behind them', () => {
    for (const cause of [new ViewerError('server', { status: 503 }), new ViewerError('unauthorized', { status: 401 }), new ViewerError('rate-limited', { status: 429, retryAfter: 9 })]) {
      const error = tokenFailure(cause, false);
      expect(error).not.to.equal(cause);
      expect(error.code).to.equal('renewal-failed');
      expect(error.status).to.equal(cause.status);
      expect(error.message).to.equal('Your session could not be renewed.');
    }
  });

  it('turns anything else into renewal-failed without a status', () => {
    for (const cause of [new ViewerError('network'), new Error('boom'), new TypeError('Failed to fetch'), 'text', null, undefined, { status: 500 }]) {
      const error = tokenFailure(cause, false);
      expect(error.code).to.equal('renewal-failed');
      expect(error, String(cause)).not.to.have.property('status');
    }
  });

  it('names a first token that could not be had token-failed, with the status and the likely causes', () => {
    const error = tokenFailure(new ViewerError('renewal-failed', { status: 401 }), true);
    expect(error.code).to.equal('token-failed');
    expect(error.status).to.equal(401);
    expect(error.message).to.contain('CORS');
    expect(tokenFailure(new TypeError('Failed to fetch'), true).code).to.equal('token-failed');
  });

  it('keeps the specific message of a failure it renames', () => {
    const slow = new ViewerError('renewal-failed', { message: 'Renewing your session took too long.' });
    expect(tokenFailure(slow, true).message).to.equal('Renewing your session took too long.');
    expect(tokenFailure(slow, true).code).to.equal('token-failed');
  });
});

describe('parseRetryAfter', () => {
  const now = Date.UTC(2026, 5, 1, 12, 0, 0);

  it('reads delay-seconds, capped at a day', () => {
    expect(parseRetryAfter('120', now)).to.equal(120);
    expect(parseRetryAfter(' 7 ', now)).to.equal(7);
    expect(parseRetryAfter('0', now)).to.equal(0);
    expect(parseRetryAfter('86400', now)).to.equal(86_400);
    expect(parseRetryAfter('86401', now)).to.equal(86_400);
    expect(parseRetryAfter('99999999999999999999', now)).to.equal(86_400);
  });

  it('reads an HTTP date as the whole seconds until then, never negative, capped at a day', () => {
    expect(parseRetryAfter('Mon, 01 Jun 2026 12:01:30 GMT', now)).to.equal(90);
    // 1.5 s ahead rounds up: waiting a little too long is safe, too short is not.
    expect(parseRetryAfter(new Date(now + 1_500).toUTCString(), now - 500)).to.equal(2);
    expect(parseRetryAfter('Mon, 01 Jun 2026 11:00:00 GMT', now)).to.equal(0);
    expect(parseRetryAfter('Wed, 01 Jul 2026 12:00:00 GMT', now)).to.equal(86_400);
  });

  it('uses the current time by default', () => {
    const seconds = parseRetryAfter(new Date(Date.now() + 60_000).toUTCString());
    expect(seconds).to.be.within(59, 60);
  });

  it('gives undefined for no header and for text that is neither', () => {
    for (const value of [null, '', '   ', 'soon', '30s', '0x10', 'NaN']) {
      expect(parseRetryAfter(value, now), JSON.stringify(value)).to.equal(undefined);
    }
  });

  it('gives undefined for numbers that are not delay-seconds', () => {
    for (const value of ['1.5', '-5', '+5', '1 2']) {
      expect(parseRetryAfter(value, now), JSON.stringify(value)).to.equal(undefined);
    }
  });
});
