import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * Without the `copy` permission nothing leaves the element through the clipboard. A deterrent, not
 * protection: anyone who can see a page can photograph it.
 */
export class CopyGuard implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #allowed: () => boolean;

  constructor(host: ReactiveControllerHost & HTMLElement, allowed: () => boolean) {
    this.#host = host;
    this.#allowed = allowed;
    host.addController(this);
  }

  hostConnected(): void {
    this.#host.addEventListener('copy', this.#onCopy, true);
  }

  hostDisconnected(): void {
    this.#host.removeEventListener('copy', this.#onCopy, true);
  }

  readonly #onCopy = (event: ClipboardEvent): void => {
    if (this.#allowed()) return;
    event.preventDefault();
    event.stopImmediatePropagation();
  };
}
