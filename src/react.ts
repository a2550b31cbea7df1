// `secure-viewer/react`: a typed React wrapper. Importing it defines <secure-viewer> before React
// renders, so function props (renewToken, exchangePassword) reach the element as properties.
import * as React from 'react';
import { createComponent, type EventName } from '@lit/react';
import './define.ts';
import { SecureViewer } from './secure-viewer.ts';
import type {
  SvCopyDetail,
  SvErrorDetail,
  SvExportDetail,
  SvFindDetail,
  SvLoadDetail,
  SvPageChangeDetail,
  SvPageViewDetail,
  SvPasswordRequiredDetail,
  SvSidebarToggleDetail,
  SvProgressDetail,
  SvTokenRenewDetail,
  SvZoomDetail,
} from './events.ts';

export type { SecureViewer } from './secure-viewer.ts';

/**
 * `<SecureViewer>` for React: element properties as props (`src`, `token`, `tokenUrl`,
 * `renewToken`, `page`, `zoom`, …) and camelCase event props for the element's events.
 */
export const SecureViewerReact = createComponent({
  tagName: 'secure-viewer',
  elementClass: SecureViewer,
  react: React,
  events: {
    onLoad: 'sv-load' as EventName<CustomEvent<SvLoadDetail>>,
    onError: 'sv-error' as EventName<CustomEvent<SvErrorDetail>>,
    onPageChange: 'sv-page-change' as EventName<CustomEvent<SvPageChangeDetail>>,
    onProgress: 'sv-progress' as EventName<CustomEvent<SvProgressDetail>>,
    onTokenRenew: 'sv-token-renew' as EventName<CustomEvent<SvTokenRenewDetail>>,
    onPasswordRequired: 'sv-password-required' as EventName<CustomEvent<SvPasswordRequiredDetail>>,
    onSidebarToggle: 'sv-sidebar-toggle' as EventName<CustomEvent<SvSidebarToggleDetail>>,
    onPageView: 'sv-page-view' as EventName<CustomEvent<SvPageViewDetail>>,
    onCopy: 'sv-copy' as EventName<CustomEvent<SvCopyDetail>>,
    onPrint: 'sv-print' as EventName<CustomEvent<SvExportDetail>>,
    onDownload: 'sv-download' as EventName<CustomEvent<SvExportDetail>>,
    onZoom: 'sv-zoom' as EventName<CustomEvent<SvZoomDetail>>,
    onFind: 'sv-find' as EventName<CustomEvent<SvFindDetail>>,
  },
  displayName: 'SecureViewer',
});

export default SecureViewerReact;
