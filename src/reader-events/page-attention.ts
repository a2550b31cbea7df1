// How long each page held the reader's attention: a page counts while it is in view (at least
// half of it visible, or it fills at least half of the viewport) and the reader is attentive (the
// tab is visible and they are not idle). A view ends when the page leaves the view or when
// `flush()` closes the views under way (the tab hidden, the document closed); views shorter than
// the minimum are not reported.

export interface PageAttentionOptions {
  /** Monotonic milliseconds. */
  now: () => number;
  /** One ended view: page (1-based) and the attentive milliseconds it was in view. */
  onView: (page: number, ms: number) => void;
  /** Views shorter than this are dropped (a page scrolled past). Default 500 ms. */
  minMs?: number;
}

interface View {
  /** Attentive milliseconds counted before `since`. */
  counted: number;
  /** When the current attentive stretch began; null while the reader is not attentive. */
  since: number | null;
}

export class PageAttention {
  readonly #options: PageAttentionOptions;
  readonly #views = new Map<number, View>();
  #attentive = true;

  constructor(options: PageAttentionOptions) {
    this.#options = options;
  }

  get attentive(): boolean {
    return this.#attentive;
  }

  /** Page `page` came into view or left it. */
  setInView(page: number, inView: boolean): void {
    const view = this.#views.get(page);
    if (inView && !view) this.#views.set(page, { counted: 0, since: this.#attentive ? this.#options.now() : null });
    if (!inView && view) {
      this.#views.delete(page);
      this.#report(page, view);
    }
  }

  /** The reader became attentive or stopped being so (tab hidden, idle). */
  setAttentive(attentive: boolean): void {
    if (attentive === this.#attentive) return;
    this.#attentive = attentive;
    const now = this.#options.now();
    for (const view of this.#views.values()) {
      if (attentive) view.since = now;
      else if (view.since !== null) {
        view.counted += now - view.since;
        view.since = null;
      }
    }
  }

  /** Ends every view under way; pages still in view start new views from here. */
  flush(): void {
    const now = this.#options.now();
    for (const [page, view] of this.#views) {
      this.#report(page, view);
      view.counted = 0;
      view.since = view.since === null ? null : now;
    }
  }

  #report(page: number, view: View): void {
    const ms = Math.round(view.counted + (view.since === null ? 0 : this.#options.now() - view.since));
    if (ms >= (this.#options.minMs ?? 500)) this.#options.onView(page, ms);
  }
}
