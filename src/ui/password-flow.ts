import type { Attempt } from '../net/outcome.ts';
import type { ReceivedToken } from '../token/token-response.ts';
import type { AccessPasswordRequest } from '../token/token-plan.ts';
import type { SvPasswordRequiredDetail } from '../events.ts';
import type { PasswordDialog, PasswordKind } from './password-dialog.ts';

/**
 * Asking the reader for a password, for both kinds: the server's access password (exchanged for
 * a token) and the PDF's own (handed to pdf.js, never sent anywhere). The element is in state
 * `password` exactly while the dialog is open; `sv-password-required` fires when it opens and
 * again after each wrong password.
 */
export class PasswordFlow {
  readonly #dialog: PasswordDialog;
  readonly #onRequired: (detail: SvPasswordRequiredDetail) => void;

  constructor(dialog: PasswordDialog, onRequired: (detail: SvPasswordRequiredDetail) => void) {
    this.#dialog = dialog;
    this.#onRequired = onRequired;
  }

  get isOpen(): boolean {
    return this.#dialog.isOpen;
  }

  /** An access password for a token; null when the reader cancels or the load is abandoned. */
  async askAccess(request: AccessPasswordRequest): Promise<ReceivedToken | null> {
    const close = () => this.#dialog.close();
    request.signal.addEventListener('abort', close, { once: true });
    try {
      return await this.#ask('access', false, request.expired, request.attempt);
    } finally {
      request.signal.removeEventListener('abort', close);
    }
  }

  /** The PDF's own password; null when the reader cancels. `retry`: pdf.js refused the last one. */
  askDocument(retry: boolean): Promise<string | null> {
    return this.#ask('document', retry, false, (password) => Promise.resolve({ kind: 'accepted', value: password }));
  }

  close(): void {
    this.#dialog.close();
  }

  render(): ReturnType<PasswordDialog['render']> {
    return this.#dialog.render();
  }

  async #ask<T>(kind: PasswordKind, retry: boolean, expired: boolean, attempt: (password: string) => Promise<Attempt<T>>): Promise<T | null> {
    const answer = this.#dialog.ask<T>({
      kind,
      retry,
      expired,
      attempt: async (password) => {
        const outcome = await attempt(password);
        if (outcome.kind === 'incorrect') this.#onRequired({ kind, retry: true });
        return outcome;
      },
    });
    this.#onRequired({ kind, retry });
    return (await answer)?.value ?? null;
  }
}
