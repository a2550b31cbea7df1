import { html, nothing, type TemplateResult } from 'lit';
import type { ViewerErrorInfo } from '../errors.ts';
import type { CoreStrings } from '../i18n/strings.ts';

/** The loading indicator (part `status`): shown while a document loads, with its progress. */
export function renderLoading(strings: CoreStrings, loading: boolean, percent: number | null): TemplateResult {
  return html`<div part="status" class="overlay" role="status" ?hidden=${!loading}>
    ${loading
      ? html`<span>${strings.loading}</span>
          <progress max="100" .value=${percent ?? 0} aria-label=${strings.loadingProgress}></progress>`
      : nothing}
  </div>`;
}

/**
 * The error panel (part `error`): the message and a button that retries, or reopens the password
 * dialog after a cancel. `custom` is the host's own string for the code, which wins over the
 * error's message (a specific one, or the code's default).
 */
export function renderError(strings: CoreStrings, error: ViewerErrorInfo | null, custom: string | undefined, retry: () => void): TemplateResult | typeof nothing {
  if (!error) return nothing;
  return html`<div part="error" class="overlay" role="alert">
    <p>${custom ?? error.message}</p>
    <button part="retry-button" type="button" @click=${retry}>
      ${error.code === 'password-cancelled' ? strings.passwordReopen : strings.retry}
    </button>
  </div>`;
}
