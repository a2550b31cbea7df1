import type { ViewerErrorInfo } from './errors.ts';
import type { Zoom } from './pdf/zoom.ts';

/** Detail of `sv-load`: the document is open and its first pages are being drawn. */
export interface SvLoadDetail {
  numPages: number;
}

/** Detail of `sv-error`: the same object as the element's `error` property. */
export type SvErrorDetail = ViewerErrorInfo;

/** Detail of `sv-page-change`: the page mostly in view changed. */
export interface SvPageChangeDetail {
  page: number;
  numPages: number;
}

/** Detail of `sv-progress`: document bytes received so far and the document size. */
export interface SvProgressDetail {
  loaded: number;
  total: number;
}

/** Detail of `sv-token-renew`: a new token was obtained; never contains the token itself. */
export interface SvTokenRenewDetail {
  reason: 'expiring' | 'unauthorized';
  /** Epoch milliseconds at which the new token expires, when known. */
  expiresAt?: number;
}

/** Detail of `sv-password-required`: the password dialog is shown. */
export interface SvPasswordRequiredDetail {
  /** `access`: a password the server exchanges for a token; `document`: the PDF's own password. */
  kind: 'access' | 'document';
  /** True when the previous password was wrong. */
  retry: boolean;
}

/** Detail of `sv-sidebar-toggle`: the reader opened or closed the sidebar. */
export interface SvSidebarToggleDetail {
  open: boolean;
}

/**
 * Detail of `sv-page-view`: page `page` held the reader's attention for `visibleMs` milliseconds. A page
 * is in view while at least half of it is visible (or it fills at least half of the viewport);
 * time counts only while the tab is visible and the reader is not idle (no pointer, key, wheel,
 * touch or scroll input for 60 seconds). Fired when the page leaves the view, the tab is hidden or
 * the document closes; views under half a second are not reported.
 */
export interface SvPageViewDetail {
  page: number;
  /** Milliseconds the page held the reader's attention. */
  visibleMs: number;
  /** The same as `visibleMs` (the name this detail had first). */
  ms: number;
}

/** Detail of `sv-copy`: the reader copied text from the document (never the text itself). */
export interface SvCopyDetail {
  /** Characters copied. */
  chars: number;
}

/** Detail of `sv-print` and `sv-download`: the reader printed or saved the document. */
export interface SvExportDetail {
  numPages: number;
}

/** Detail of `sv-zoom`: the zoom changed (not fired when a fit zoom is only fitted again after a resize). */
export interface SvZoomDetail {
  /** The zoom as set: a fit mode or a factor (1 = 100 %). */
  zoom: Zoom;
  /** The scale it gives now (1 = 100 %). */
  scale: number;
}

/** Detail of `sv-find`: the reader searched the document; fired once per new query, a second after they stopped typing it. */
export interface SvFindDetail {
  /** The query, only when the host set `share-find-query`. */
  query?: string;
}

export interface SecureViewerEventMap {
  'sv-load': CustomEvent<SvLoadDetail>;
  'sv-error': CustomEvent<SvErrorDetail>;
  'sv-page-change': CustomEvent<SvPageChangeDetail>;
  'sv-progress': CustomEvent<SvProgressDetail>;
  'sv-token-renew': CustomEvent<SvTokenRenewDetail>;
  'sv-password-required': CustomEvent<SvPasswordRequiredDetail>;
  'sv-sidebar-toggle': CustomEvent<SvSidebarToggleDetail>;
  'sv-page-view': CustomEvent<SvPageViewDetail>;
  'sv-copy': CustomEvent<SvCopyDetail>;
  'sv-print': CustomEvent<SvExportDetail>;
  'sv-download': CustomEvent<SvExportDetail>;
  'sv-zoom': CustomEvent<SvZoomDetail>;
  'sv-find': CustomEvent<SvFindDetail>;
}

export type SecureViewerEventName = keyof SecureViewerEventMap;
export type SecureViewerEventDetail<K extends SecureViewerEventName> = SecureViewerEventMap[K]['detail'];

/** Creates one of the element's events: all bubble and cross shadow boundaries. */
export function createViewerEvent<K extends SecureViewerEventName>(
  name: K,
  detail: SecureViewerEventDetail<K>,
): SecureViewerEventMap[K] {
  return new CustomEvent(name, { detail, bubbles: true, composed: true }) as SecureViewerEventMap[K];
}

declare global {
  interface HTMLElementEventMap extends SecureViewerEventMap {}
}
