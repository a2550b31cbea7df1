import { nothing, type ReactiveController, type TemplateResult } from 'lit';
import { ViewerError } from '../../errors.ts';
import type { Attempt } from '../../net/outcome.ts';
import type { ReceivedToken } from '../../token/token-response.ts';
import type { AccessPasswordRequest } from '../../token/token-plan.ts';
import { createViewerEvent, type SvPasswordRequiredDetail } from '../../events.ts';
import type { PasswordDialog, PasswordHost, PasswordKind } from './password-dialog.ts';
import type { ViewerStringOverrides } from '../../i18n/strings.ts';

/**
 * Asking the reader for a password, for both kinds: the server's access password (exchanged for
 * a token) and the PDF's own (handed to pdf.js, never sent anywhere). The element is in state
 * `password` exactly while the dialog is open; `sv-password-required` fires when it opens and
 * again after each wrong password. The dialog is a chunk of its own, loaded when a password is
 * first needed: most documents never ask for one.
 */
export class PasswordFlow implements ReactiveController {
  readonly #host: PasswordHost;
  readonly #strings: () => ViewerStringOverrides | null;
  #dialog: PasswordDialog | null = null;
  /** Counts questions and closes: a question still waiting for the dialog's chunk is dropped by either. */
  #asked = 0;

  constructor(host: PasswordHost, strings: () => ViewerStringOverrides | null) {
    this.#host = host;
    this.#strings = strings;
    host.addController(this);
  }

  get isOpen(): boolean {
    return this.#dialog?.isOpen ?? false;
  }

  /** An access password for a token; null when the reader cancels or the load is abandoned. */
  async askAccess(request: AccessPasswordRequest): Promise<ReceivedToken | null> {
    const close = () => this.close();
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
    this.#asked++;
    this.#dialog?.close();
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this.close();
  }

  /** Tells the host a password is needed (when the dialog opens, and after each wrong one). */
  #required(detail: SvPasswordRequiredDetail): void {
    this.#host.dispatchEvent(createViewerEvent('sv-password-required', detail));
  }

  render(): TemplateResult | typeof nothing {
    return this.#dialog?.render() ?? nothing;
  }

  async #ask<T>(kind: PasswordKind, retry: boolean, expired: boolean, attempt: (password: string) => Promise<Attempt<T>>): Promise<T | null> {
    const asked = ++this.#asked;
    let dialog: PasswordDialog;
    try {
      const { PasswordDialog } = await import('./password-dialog.ts');
      dialog = this.#dialog ??= new PasswordDialog(this.#host, this.#strings);
    } catch {
      if (asked !== this.#asked) return null;
      throw new ViewerError('network', { message: 'The viewer could not load its password dialog. Check your connection and try again.' });
    }
    // Replaced by a newer question, or closed, while the dialog was loading.
    if (asked !== this.#asked) return null;
    const answer = dialog.ask<T>({
      kind,
      retry,
      expired,
      attempt: async (password) => {
        const outcome = await attempt(password);
        if (outcome.kind === 'incorrect') this.#required({ kind, retry: true });
        return outcome;
      },
    });
    this.#required({ kind, retry });
    return (await answer)?.value ?? null;
  }
}
