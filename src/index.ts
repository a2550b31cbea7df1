// Package entry: registers <secure-viewer> and exports its class and public types.
import './define.ts';

export { SecureViewer, parseZoom } from './secure-viewer.ts';
export { setPdfjsBase } from './pdf/pdfjs.ts';
export type { ViewerState, ExchangePasswordCallback, RenderMode, Zoom } from './secure-viewer.ts';
export type { ErrorCode, ViewerErrorInfo } from './errors.ts';
export type {
  SvLoadDetail,
  SvErrorDetail,
  SvPageChangeDetail,
  SvProgressDetail,
  SvTokenRenewDetail,
  SvPasswordRequiredDetail,
  SvSidebarToggleDetail,
  SvPageViewDetail,
  SvCopyDetail,
  SvExportDetail,
  SvZoomDetail,
  SvFindDetail,
  SecureViewerEventMap,
} from './events.ts';
export type { TokenGrant, RenewReason } from './token/token-response.ts';
export type { RenewTokenCallback } from './token/host-source.ts';
