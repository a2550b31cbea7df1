import type { ReactiveControllerHost } from 'lit';
import type { Zoom } from '../../pdf/page-viewer.ts';

/** What touch input and the gestures need of the element. */
export interface TouchHost extends ReactiveControllerHost {
  zoom: Zoom;
}

/** What the gestures zoom: pdf.js's page viewer, or the server-rendered pages. */
export interface ZoomablePages {
  readonly scale: number;
  readonly zoom: Zoom;
  /** Scales by `factor` around a point on screen, drawing the pages once at the new scale. */
  zoomAround(factor: number, clientX: number, clientY: number): void;
}

export interface TouchOptions {
  /** The scrolling area the gestures act on. */
  viewport(): HTMLElement | null;
  pages(): ZoomablePages | null;
  /** Gestures act only on an open document with no dialog in front of it. */
  active(): boolean;
}
