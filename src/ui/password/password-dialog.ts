import { html, nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import type { Attempt } from '../../net/outcome.ts';
import { passwordDialogStyles } from './password-dialog.styles.ts';
import { format, partStrings, type CoreStrings, type ViewerStringOverrides, type PasswordStrings } from '../../i18n/strings.ts';
import { adoptSheet } from '../../internal/adopt-sheet.ts';

export const PASSWORD_STRINGS: PasswordStrings = {
  accessPasswordTitle: 'Password required',
  accessPasswordDescription: 'Enter the password you were given to open this document.',
  sessionExpiredDescription: 'Your session has expired. Enter the password again to keep reading.',
  documentPasswordTitle: 'Protected document',
  documentPasswordDescription: 'This PDF is encrypted. Enter its password to open it.',
  passwordLabel: 'Password',
  passwordSubmit: 'Open',
  passwordCancel: 'Cancel',
  passwordIncorrect: 'Incorrect password. Please try again.',
  passwordRateLimited: 'Too many attempts. You can try again in {seconds} s.',
  passwordUnavailable: 'The password could not be checked right now. Please try again.',
  enterPassword: 'Enter password',
};

/** `access`: exchanged for a token by the server; `document`: the PDF's own password, never sent anywhere. */
export type PasswordKind = 'access' | 'document';

export interface PasswordRequest<T> {
  kind: PasswordKind;
  /** The previous password was wrong. */
  retry: boolean;
  /** Asking again because the session ran out, not for the first time. */
  expired?: boolean;
  /**
   * Tries one password; the dialog is busy until it settles. Accepted closes the dialog with its
   * value; a refusal keeps it open with a message.
   */
  attempt: (password: string) => Promise<Attempt<T>>;
}

interface OpenPrompt extends PasswordRequest<unknown> {
  resolve: (accepted: { value: unknown } | null) => void;
  message: string | null;
  busy: boolean;
  /** Monotonic ms until which submitting is disabled (429 answers). */
  blockedUntil: number;
}

export interface PasswordHost extends ReactiveControllerHost, HTMLElement {
  readonly renderRoot: HTMLElement | DocumentFragment;
}

/**
 * The built-in password dialog: one prompt at a time, modal within the element (the pages behind
 * it are inert) rather than the whole page. The password lives only in the input field and the
 * call to `attempt`; the field is cleared after every submit.
 */
export class PasswordDialog implements ReactiveController {
  readonly #host: PasswordHost;
  readonly #overrides: () => ViewerStringOverrides | null;
  #prompt: OpenPrompt | null = null;
  #returnFocus: HTMLElement | null = null;
  #countdown: ReturnType<typeof setInterval> | undefined;

  /** `strings`: the host's replacements for visible strings. */
  constructor(host: PasswordHost, strings: () => ViewerStringOverrides | null) {
    this.#host = host;
    this.#overrides = strings;
    adoptSheet(host.renderRoot, passwordDialogStyles.styleSheet);
    host.addController(this);
  }

  get isOpen(): boolean {
    return this.#prompt !== null;
  }

  /**
   * Shows the dialog. Resolves with the accepted attempt's value, or null when the reader cancels
   * (or the prompt is replaced or closed by the element).
   */
  ask<T>(request: PasswordRequest<T>): Promise<{ value: T } | null> {
    this.#finish(null);
    return new Promise<{ value: T } | null>((resolve) => {
      const settle = resolve as (accepted: { value: unknown } | null) => void;
      this.#prompt = { ...(request as PasswordRequest<unknown>), resolve: settle, message: request.retry ? this.#strings().passwordIncorrect : null, busy: false, blockedUntil: 0 };
      const active = (this.#host.getRootNode() as Document | ShadowRoot).activeElement;
      this.#returnFocus = active instanceof HTMLElement && active !== document.body ? active : null;
      this.#host.requestUpdate();
      void this.#host.updateComplete.then(() => this.#showDialog());
    });
  }

  /** Closes any open prompt as cancelled, without the `password-cancelled` error. */
  close(): void {
    this.#finish(null);
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this.#finish(null);
  }

  render(): TemplateResult | typeof nothing {
    const prompt = this.#prompt;
    if (!prompt) return nothing;
    const strings = this.#strings();
    const access = prompt.kind === 'access';
    const title = access ? strings.accessPasswordTitle : strings.documentPasswordTitle;
    const description = access
      ? prompt.expired
        ? strings.sessionExpiredDescription
        : strings.accessPasswordDescription
      : strings.documentPasswordDescription;
    const waitSeconds = this.#secondsBlocked();
    const message = waitSeconds > 0 ? format(strings.passwordRateLimited, { seconds: waitSeconds }, strings) : prompt.message;
    return html`<dialog
      part="password-dialog"
      class="password-dialog"
      aria-labelledby="sv-password-title"
      aria-describedby="sv-password-description"
      @keydown=${this.#onKeydown}
      @cancel=${this.#onCancelEvent}
    >
      <form @submit=${this.#onSubmit} novalidate>
        <h2 id="sv-password-title">${title}</h2>
        <p id="sv-password-description">${description}</p>
        <label for="sv-password-input">${strings.passwordLabel}</label>
        <input
          id="sv-password-input"
          part="password-input"
          name="password"
          type="password"
          autocomplete="current-password"
          required
          aria-invalid=${prompt.message ? 'true' : 'false'}
          aria-describedby="sv-password-message"
          ?readonly=${prompt.busy}
        />
        <p id="sv-password-message" class="password-message" aria-live="assertive">${message ?? ''}</p>
        <div class="password-actions">
          <button type="button" part="password-cancel" @click=${() => this.#cancel()}>${strings.passwordCancel}</button>
          <button type="submit" part="password-submit" ?disabled=${prompt.busy || waitSeconds > 0}>${strings.passwordSubmit}</button>
        </div>
      </form>
    </dialog>`;
  }

  #strings(): CoreStrings & PasswordStrings {
    return partStrings(PASSWORD_STRINGS, this.#overrides());
  }

  #dialog(): HTMLDialogElement | null {
    return this.#host.renderRoot.querySelector('dialog.password-dialog');
  }

  #input(): HTMLInputElement | null {
    return this.#host.renderRoot.querySelector('#sv-password-input');
  }

  #showDialog(): void {
    const dialog = this.#dialog();
    if (!dialog || !this.#prompt) return;
    // show(), not showModal(): modal for the element only, the host page stays usable.
    if (!dialog.open) dialog.show();
    this.#input()?.focus();
  }

  readonly #onSubmit = (event: SubmitEvent): void => {
    event.preventDefault();
    const prompt = this.#prompt;
    const input = this.#input();
    if (!prompt || !input || prompt.busy || this.#secondsBlocked() > 0) return;
    const password = input.value;
    // Cleared at once: the password is not kept in the DOM while the request is under way.
    input.value = '';
    if (password === '') {
      prompt.message = this.#strings().enterPassword;
      this.#host.requestUpdate();
      return;
    }
    prompt.busy = true;
    this.#host.requestUpdate();
    void prompt.attempt(password).then(
      (outcome) => this.#settle(prompt, outcome),
      () => this.#settle(prompt, { kind: 'unavailable' }),
    );
  };

  #settle(prompt: OpenPrompt, outcome: Attempt<unknown>): void {
    if (this.#prompt !== prompt) return;
    prompt.busy = false;
    const strings = this.#strings();
    switch (outcome.kind) {
      case 'accepted':
        this.#finish({ value: outcome.value });
        return;
      case 'incorrect':
        prompt.message = strings.passwordIncorrect;
        break;
      case 'rate-limited':
        prompt.message = null;
        prompt.blockedUntil = performance.now() + Math.max(1, outcome.retryAfter) * 1000;
        this.#startCountdown();
        break;
      case 'unavailable':
        prompt.message = strings.passwordUnavailable;
        break;
    }
    this.#host.requestUpdate();
    void this.#host.updateComplete.then(() => this.#input()?.focus());
  }

  #secondsBlocked(): number {
    const until = this.#prompt?.blockedUntil ?? 0;
    return Math.max(0, Math.ceil((until - performance.now()) / 1000));
  }

  #startCountdown(): void {
    clearInterval(this.#countdown);
    this.#countdown = setInterval(() => {
      this.#host.requestUpdate();
      if (this.#secondsBlocked() === 0) clearInterval(this.#countdown);
    }, 1000);
  }

  readonly #onKeydown = (event: KeyboardEvent): void => {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      this.#cancel();
    }
  };

  readonly #onCancelEvent = (event: Event): void => {
    event.preventDefault();
    this.#cancel();
  };

  #cancel(): void {
    this.#finish(null);
  }

  #finish(accepted: { value: unknown } | null): void {
    const prompt = this.#prompt;
    if (!prompt) return;
    this.#prompt = null;
    clearInterval(this.#countdown);
    this.#dialog()?.close();
    const input = this.#input();
    if (input) input.value = '';
    this.#host.requestUpdate();
    const target = this.#returnFocus;
    this.#returnFocus = null;
    if (target?.isConnected) target.focus();
    prompt.resolve(accepted);
  }
}
