import { html, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import type { ViewerError, ViewerErrorInfo } from './errors.ts';
import { createViewerEvent } from './events.ts';
import type { CoreStrings, ViewerStringOverrides } from './i18n/strings.ts';
import { renderError, renderLoading } from './ui/overlays.ts';

/** Where the current load stands. */
export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error';

export interface LoadOptions<A extends readonly unknown[]> {
  /** What a load depends on, read at every update; a change starts a new load. */
  args: () => A;
  /**
   * One load. Its signal aborts when a newer load starts or the element leaves the page. It sets
   * `status` as it goes and reports failures with `fail`.
   */
  task: (args: A, signal: AbortSignal) => Promise<void>;
  /** The load failed (once per load): stop what still runs of it (`sv-error` follows). */
  onError: (error: ViewerError) => void;
}

/** What the screens over the pages are drawn with. */
export interface LoadScreenView {
  strings: CoreStrings;
  /** The host's replacements, whose `errors` win over an error's own message. */
  overrides: ViewerStringOverrides | null;
  /** A dialog is in front of the load (the password): no loading indicator behind it. */
  covered: boolean;
}

/**
 * Runs the element's load the way `@lit/task` runs a task, and owns where it stands: status,
 * value (the open document's page count), error, and the screen each status shows. A load runs once per update in which its arguments changed (however many of
 * them did), again on `rerun()` and when the element is put back on the page. Each run has its own
 * abort signal, aborted when a newer run starts or on disconnect, so a stale run stops at its next
 * check instead of overwriting the current one.
 */
export class LoadController<A extends readonly unknown[]> implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #options: LoadOptions<A>;
  #args: A | undefined;
  #queued = false;
  #abort: AbortController | null = null;
  #connectedBefore = false;
  #status: LoadStatus = 'idle';
  #error: ViewerErrorInfo | null = null;
  #numPages = 0;
  /** Share of the document's bytes loaded, 0–100 (null before the size is known). */
  #percent: number | null = null;

  constructor(host: ReactiveControllerHost & HTMLElement, options: LoadOptions<A>) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  /** Where the load stands; the task moves it to `loading`, `ready` or `idle` (failures go through `fail`). */
  get status(): LoadStatus {
    return this.#status;
  }

  set status(status: LoadStatus) {
    this.#status = status;
    this.#host.requestUpdate();
  }

  /** The open document's page count: 0 until the load is `ready`. */
  get numPages(): number {
    return this.#numPages;
  }

  /** The load's document is open with `numPages` pages. */
  ready(numPages: number): void {
    this.#numPages = numPages;
    this.status = 'ready';
  }

  /** Share of the document's bytes loaded, 0–100 (null before the size is known). */
  get percent(): number | null {
    return this.#percent;
  }

  /** Bytes of the document arrived: `sv-progress`, and a new whole percent draws again (bytes come in many small pieces while pdf.js starts). */
  progress(loaded: number, total: number): void {
    const percent = total > 0 ? Math.round((loaded / total) * 100) : this.#percent;
    if (percent !== this.#percent) {
      this.#percent = percent;
      this.#host.requestUpdate();
    }
    this.#host.dispatchEvent(createViewerEvent('sv-progress', { loaded, total }));
  }

  /**
   * The screens over the pages for where the load stands, as `@lit/task`'s `render()` picks one per
   * status: the loading indicator with its progress while loading (hidden otherwise, not removed:
   * it is a live region), the error panel and its retry after a failure.
   */
  render({ strings, overrides, covered }: LoadScreenView): TemplateResult {
    const error = this.#status === 'error' ? this.#error : null;
    return html`${renderLoading(strings, this.#status === 'loading' && !covered, this.#percent)}
      ${renderError(strings, error, error ? overrides?.errors?.[error.code] : undefined, () => this.rerun())}`;
  }

  /** The failure that ended the current load, or null. */
  get error(): ViewerErrorInfo | null {
    return this.#error;
  }

  /** Loads again with the current arguments (after the pending update). */
  rerun(): void {
    if (this.#queued) return;
    this.#queued = true;
    void this.#host.updateComplete.then(() => {
      this.#queued = false;
      this.#start();
    });
  }

  /** Ends the current load in `error`; a load already ended (failed, or idle) stays as it is. */
  fail(error: ViewerError): void {
    if (this.#status === 'error' || this.#status === 'idle') return;
    // A failed load is over: its signal stops what still runs of it and what it started (reader
    // tracking), which would otherwise keep the document's viewer until the next load. Not kept:
    // the abort's reason holds the stack it was raised in, and with it the failed load's objects.
    this.#abort?.abort();
    this.#abort = null;
    this.#forget();
    this.#error = error.toInfo();
    this.status = 'error';
    this.#options.onError(error);
    this.#host.dispatchEvent(createViewerEvent('sv-error', error.toInfo()));
  }

  hostConnected(): void {
    // The other controllers stop everything on removal; a viewer put back on the page loads again.
    if (this.#connectedBefore) this.rerun();
    this.#connectedBefore = true;
  }

  hostDisconnected(): void {
    this.#abort?.abort();
    this.#abort = null;
  }

  hostUpdate(): void {
    const args = this.#options.args();
    const previous = this.#args;
    if (previous && previous.length === args.length && args.every((value, i) => Object.is(value, previous[i]))) return;
    this.#args = args;
    this.rerun();
  }

  #start(): void {
    this.#abort?.abort();
    const abort = new AbortController();
    this.#abort = abort;
    // A new load starts clean: no error, page count or progress from the last one.
    this.#error = null;
    this.#forget();
    this.#host.requestUpdate();
    void this.#options.task(this.#args ?? this.#options.args(), abort.signal);
  }

  #forget(): void {
    this.#numPages = 0;
    this.#percent = null;
  }
}
