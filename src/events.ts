import type { ViewerErrorInfo } from './errors.ts';

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

export interface SecureViewerEventMap {
  'sv-load': CustomEvent<SvLoadDetail>;
  'sv-error': CustomEvent<SvErrorDetail>;
  'sv-page-change': CustomEvent<SvPageChangeDetail>;
  'sv-progress': CustomEvent<SvProgressDetail>;
  'sv-token-renew': CustomEvent<SvTokenRenewDetail>;
  'sv-password-required': CustomEvent<SvPasswordRequiredDetail>;
  'sv-sidebar-toggle': CustomEvent<SvSidebarToggleDetail>;
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
