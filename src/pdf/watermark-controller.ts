import type { PropertyValues } from 'lit';
import type { JwtClaims } from '../token/jwt.ts';
import type { PageViewer } from './page-viewer.ts';

/** The element as the watermark sees it. */
export interface WatermarkHost extends HTMLElement {
  watermark: string | null;
}

export interface WatermarkOptions {
  /** The current token's claims, to fill the template from. */
  claims: () => JwtClaims | null;
  /** The open document's pages, drawn again when the watermark changes. */
  pages: () => PageViewer | null;
}

/**
 * The watermark drawn into every page canvas. Its code is loaded once `watermark` is set (most
 * embeds draw none); when the watermark changes on an open document, the pages are drawn again.
 */
export class WatermarkController {
  readonly #host: WatermarkHost;
  readonly #options: WatermarkOptions;
  #code: typeof import('./watermark.ts') | null = null;
  #loading: Promise<void> | null = null;

  constructor(host: WatermarkHost, options: WatermarkOptions) {
    this.#host = host;
    this.#options = options;
  }

  /** The element is about to update with these changes (its `willUpdate`). */
  willUpdate(changed: PropertyValues): void {
    if (!changed.has('watermark')) return;
    const loading = this.#host.watermark ? this.#load() : Promise.resolve();
    if (changed.get('watermark') !== undefined) void loading.then(() => this.#options.pages()?.refresh(), () => {});
  }

  /** Code the pages need before the first is drawn: no page is drawn before its mark can be. */
  beforePages(): Promise<void> | undefined {
    return this.#host.watermark ? this.#load() : undefined;
  }

  /**
   * Draws the watermark into a freshly rendered page canvas. Set on an open document, its code may
   * still be on its way: then the page is cleared rather than shown unmarked, and drawn again, with
   * the mark, when the code is here.
   */
  decorate(canvas: HTMLCanvasElement): void {
    const { watermark } = this.#host;
    if (!watermark) return;
    if (this.#code) this.#code.paintWatermark(canvas, watermark, this.#options.claims(), this.#host);
    else canvas.getContext('2d')?.clearRect(0, 0, canvas.width, canvas.height);
  }

  /** For what is drawn on request (print, thumbnails): waits for the watermark's code if it is still on its way. */
  async decorateWhenReady(canvas: HTMLCanvasElement): Promise<void> {
    await this.beforePages();
    this.decorate(canvas);
  }

  #load(): Promise<void> {
    this.#loading ??= import('./watermark.ts').then(
      (code) => {
        this.#code = code;
      },
      (error: unknown) => {
        this.#loading = null;
        throw error;
      },
    );
    return this.#loading;
  }
}
