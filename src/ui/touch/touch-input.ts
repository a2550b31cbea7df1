import type { ReactiveController } from 'lit';
import type { TouchGestures } from './touch-gestures.ts';
import type { TouchHost, TouchOptions } from './touch-options.ts';

const EVENTS = ['touchstart', 'touchmove', 'touchend', 'touchcancel'] as const;

/**
 * Touch on the page area, handed to the gestures (pinch, double tap) in `touch-gestures.ts`, a
 * chunk of their own: loaded once a document is open on a touch screen, else on the first touch.
 * Touches that come before it has arrived are kept and handed over when it does, so a first
 * gesture is not lost.
 */
export class TouchInput implements ReactiveController {
  readonly #host: TouchHost;
  readonly #options: TouchOptions;
  #viewport: HTMLElement | null = null;
  #gestures: TouchGestures | null = null;
  /** Touches while the gestures load; null when they are not loading. */
  #early: TouchEvent[] | null = null;

  constructor(host: TouchHost, options: TouchOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  hostUpdated(): void {
    if (!this.#gestures && navigator.maxTouchPoints > 0 && this.#options.active()) this.#load();
    const viewport = this.#options.viewport();
    if (viewport === this.#viewport) return;
    this.#detach();
    this.#viewport = viewport;
    // Not passive: a pinch must stop the browser from zooming the whole page.
    for (const type of EVENTS) viewport?.addEventListener(type, this.#onTouch, { passive: false });
  }

  hostDisconnected(): void {
    this.#detach();
  }

  #detach(): void {
    this.#gestures?.cancel();
    if (this.#early) this.#early = [];
    for (const type of EVENTS) this.#viewport?.removeEventListener(type, this.#onTouch);
    this.#viewport = null;
  }

  readonly #onTouch = (event: TouchEvent): void => {
    if (this.#gestures) this.#gestures.handle(event);
    else if (this.#early) this.#early.push(event);
    else if (event.type === 'touchstart' && this.#options.active()) this.#load().push(event);
  };

  /** Starts loading the gestures (once); gives the list that keeps touches until they are here. */
  #load(): TouchEvent[] {
    if (this.#early) return this.#early;
    const early: TouchEvent[] = [];
    this.#early = early;
    void import('./touch-gestures.ts').then(
      ({ TouchGestures }) => {
        const gestures = new TouchGestures(this.#host, this.#options);
        this.#gestures = gestures;
        const waiting = this.#early ?? [];
        this.#early = null;
        for (const event of waiting) gestures.handle(event);
      },
      () => {
        // Offline, say: the next touch asks for the gestures again.
        this.#early = null;
      },
    );
    return early;
  }
}
