import type { ReactiveControllerHost } from 'lit';
import type { PageViewer, Zoom } from '../../pdf/page-viewer.ts';

/** What touch input and the gestures need of the element. */
export interface TouchHost extends ReactiveControllerHost {
  zoom: Zoom;
}

export interface TouchOptions {
  /** The scrolling area the gestures act on. */
  viewport(): HTMLElement | null;
  pages(): PageViewer | null;
  /** Gestures act only on an open document with no dialog in front of it. */
  active(): boolean;
}
