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
}

export interface ReaderPrompt {
  prompt: AccessPrompt;
  /** The dialog opened (`retry: false`) or a password was refused (`retry: true`). */
  onPasswordRequired: (retry: boolean) => void;
  onUnlocked: () => void;
}

/**
 * Token sources in the contract's order: the host's token, `token-url`, then the reader's
 * password. Renewals go to the host when it can renew (`renewToken`, `token-url`); otherwise the
 * reader is asked again, and then only after a 401, never on a timer.
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
    source: (reason, signal) => (fromReader(reason) || !host ? askReader(reason, signal) : host(reason, signal)),
    interactive: fromReader,
    proactive: host !== null,
  };
}
