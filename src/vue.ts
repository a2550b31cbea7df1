// `secure-viewer/vue`: registers <secure-viewer> and types it for Vue templates (Volar/vue-tsc).
// In vite.config: vue({ template: { compilerOptions: { isCustomElement: (tag) => tag === 'secure-viewer' } } }).
import type { DefineComponent } from 'vue';
import './define.ts';
import type { SecureViewer } from './secure-viewer.ts';
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
 * Props of <secure-viewer> in Vue templates. Pass functions as properties with the camelCase name
 * (`:renewToken.prop`, or `:renew-token.prop.camel`): `.prop` alone does not camelize, so
 * `:renew-token.prop` would set a property literally named `renew-token`.
 */
export type SecureViewerVueProps = Partial<
  Pick<
    SecureViewer,
    'src' | 'token' | 'tokenUrl' | 'passwordUrl' | 'renewToken' | 'exchangePassword' | 'page' | 'zoom' | 'renewTimeout' | 'strings' | 'noToolbar' | 'watermark' | 'sidebarOpen' | 'analyticsUrl' | 'shareFindQuery'
  >
> & {
  onSvLoad?: (event: CustomEvent<SvLoadDetail>) => void;
  onSvError?: (event: CustomEvent<SvErrorDetail>) => void;
  onSvPageChange?: (event: CustomEvent<SvPageChangeDetail>) => void;
  onSvProgress?: (event: CustomEvent<SvProgressDetail>) => void;
  onSvTokenRenew?: (event: CustomEvent<SvTokenRenewDetail>) => void;
  onSvPasswordRequired?: (event: CustomEvent<SvPasswordRequiredDetail>) => void;
  onSvSidebarToggle?: (event: CustomEvent<SvSidebarToggleDetail>) => void;
  onSvPageView?: (event: CustomEvent<SvPageViewDetail>) => void;
  onSvCopy?: (event: CustomEvent<SvCopyDetail>) => void;
  onSvPrint?: (event: CustomEvent<SvExportDetail>) => void;
  onSvDownload?: (event: CustomEvent<SvExportDetail>) => void;
  onSvZoom?: (event: CustomEvent<SvZoomDetail>) => void;
  onSvFind?: (event: CustomEvent<SvFindDetail>) => void;
};

declare module 'vue' {
  interface GlobalComponents {
    'secure-viewer': DefineComponent<SecureViewerVueProps>;
  }
}
