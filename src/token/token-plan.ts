import { ViewerError } from '../errors.ts';
import { hostTokenSource, type RenewTokenCallback } from './host-source.ts';
import { exchangeAtUrl, exchangeWithCallback, type ExchangePasswordCallback } from './password-exchange.ts';
import { passwordTokenSource, type AccessPrompt } from './password-source.ts';
import { realClock, type TokenPlan } from './token-controller.ts';
import type { TokenReason } from './token-session.ts';

/** The element's token-related properties, read when a load starts. */
export interface TokenSettings {
  token: string | null;
  tokenUrl: string | null;
  passwordUrl: string | null;
  renewToken: RenewTokenCallback | null;
  exchangePassword: ExchangePasswordCallback | null;
  /** Milliseconds the host may take to renew. */
  renewTimeout: number;
}

export interface ReaderPrompt {
  prompt: AccessPrompt;
  /** The dialog opened (`retry: false`) or a password was refused (`retry: true`). */
  onPasswordRequired: (retry: boolean) => void;
  onUnlocked: () => void;
}

/**
 * Token sources in the contract's order: the host's token, `token-url`, then the reader's
 * password. With a password available, the host is tried first whenever it can give a token
 * (`token-url`, `renewToken`), and the reader is asked when it cannot; with no host source the
 * reader is asked again only after a 401, never on a timer.
 */
export function planTokens(settings: () => TokenSettings, reader: ReaderPrompt): TokenPlan {
  const current = settings();
  const host = hostTokenSource(() => {
    const { renewToken, tokenUrl } = settings();
    return { renewToken, tokenUrl };
  }, realClock);
  if (current.passwordUrl === null && current.exchangePassword === null) return { source: host };

  const initialFromReader = !current.token && !current.tokenUrl;
  const askReader = passwordTokenSource({
    prompt: reader.prompt,
    exchange: (password) => {
      const { exchangePassword, passwordUrl } = settings();
      if (exchangePassword) return exchangeWithCallback(exchangePassword, password, realClock);
      return exchangeAtUrl(new URL(passwordUrl ?? '', document.baseURI).href, password, realClock);
    },
    onPasswordRequired: reader.onPasswordRequired,
    onUnlocked: reader.onUnlocked,
  });
  const fromReader = (reason: TokenReason) => !host || (reason === 'initial' && initialFromReader);
  return {
    source: async (reason, signal) => {
      if (host && !fromReader(reason)) {
        // The host first (a returning reader's refresh cookie, say); when it cannot help, the reader.
        try {
          return await withTimeout(host(reason, signal), settings().renewTimeout);
        } catch {
          if (signal.aborted) throw new ViewerError('renewal-failed');
        }
      }
      return askReader(reason, signal);
    },
    // The reader may be asked at any call, so the session sets no deadline; the host's part has its own.
    interactive: () => true,
    proactive: host !== null,
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ViewerError('renewal-failed')), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
