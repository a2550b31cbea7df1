// `secure-viewer/react`: a typed React wrapper. Importing it defines <secure-viewer> before React
// renders, so function props (renewToken, exchangePassword) reach the element as properties.
import * as React from 'react';
import { createComponent, type EventName } from '@lit/react';
import './define.ts';
import { SecureViewer } from './secure-viewer.ts';
import type {
  SvErrorDetail,
  SvLoadDetail,
  SvPageChangeDetail,
  SvPasswordRequiredDetail,
  SvSidebarToggleDetail,
  SvProgressDetail,
  SvTokenRenewDetail,
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
  },
  displayName: 'SecureViewer',
});

export default SecureViewerReact;
