import { ViewerError } from '../errors.ts';
import type { ReceivedToken } from './grant.ts';
import type { ExchangeOutcome } from './password-exchange.ts';
import type { TokenSource } from './token-session.ts';

/** What the dialog shows after a submit (`done` closes it). */
export type PromptOutcome =
  | { kind: 'done' }
  | { kind: 'incorrect' }
  | { kind: 'rate-limited'; retryAfter: number }
  | { kind: 'unavailable' };

/** The part of the password dialog this flow needs. */
export interface AccessPrompt {
  ask(request: { kind: 'access'; retry: boolean; expired: boolean; submit: (password: string) => Promise<PromptOutcome> }): Promise<boolean>;
  close(): void;
}

export interface PasswordSourceOptions {
  prompt: AccessPrompt;
  exchange: (password: string) => Promise<ExchangeOutcome>;
  /** The dialog opened (`retry: false`) or a password was refused (`retry: true`). */
  onPasswordRequired: (retry: boolean) => void;
  /** The dialog closed with a token. */
  onUnlocked: () => void;
}

/**
 * A token source that asks the reader: the first token of a password-protected document, and a
 * new one when the session expired and the host gave no other way to renew. Cancelling ends in
 * `password-cancelled`.
 */
export function passwordTokenSource(options: PasswordSourceOptions): TokenSource {
  return (reason, signal) =>
    new Promise<ReceivedToken>((resolve, reject) => {
      let token: ReceivedToken | null = null;
      const onAbort = () => options.prompt.close();
      signal.addEventListener('abort', onAbort, { once: true });
      options.onPasswordRequired(false);
      const submit = async (password: string): Promise<PromptOutcome> => {
        const outcome = await options.exchange(password);
        if (outcome.kind === 'token') {
          token = outcome.token;
          return { kind: 'done' };
        }
        if (outcome.kind === 'incorrect') options.onPasswordRequired(true);
        return outcome;
      };
      void options.prompt.ask({ kind: 'access', retry: false, expired: reason !== 'initial', submit }).then((submitted) => {
        signal.removeEventListener('abort', onAbort);
        if (submitted && token) {
          options.onUnlocked();
          resolve(token);
        } else {
          reject(new ViewerError('password-cancelled'));
        }
      });
    });
}
