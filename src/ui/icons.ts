import { svg, type SVGTemplateResult } from 'lit';

// Small stroke icons drawn in the current text colour; the buttons carry the accessible names.
export const icon = (body: SVGTemplateResult): SVGTemplateResult =>
  svg`<svg viewBox="0 0 24 24" width="18" height="18" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false">${body}</svg>`;

export const icons = {
  sidebar: icon(svg`<rect x="3" y="4" width="18" height="16" rx="2"/><path d="M9 4v16"/>`),
  previous: icon(svg`<path d="M15 18l-6-6 6-6"/>`),
  next: icon(svg`<path d="M9 18l6-6-6-6"/>`),
  zoomIn: icon(svg`<circle cx="11" cy="11" r="7"/><path d="M21 21l-4.3-4.3M11 8v6M8 11h6"/>`),
  zoomOut: icon(svg`<circle cx="11" cy="11" r="7"/><path d="M21 21l-4.3-4.3M8 11h6"/>`),
  fitWidth: icon(svg`<path d="M3 12h18M7 8l-4 4 4 4M17 8l4 4-4 4"/>`),
  fitPage: icon(svg`<rect x="5" y="3" width="14" height="18" rx="1"/><path d="M9 8h6M9 12h6M9 16h4"/>`),
  rotate: icon(svg`<path d="M20 11a8 8 0 1 0-2.3 5.7"/><path d="M20 4v7h-7"/>`),
  find: icon(svg`<circle cx="11" cy="11" r="7"/><path d="M21 21l-4.3-4.3"/>`),
  download: icon(svg`<path d="M12 3v12M7 10l5 5 5-5M5 21h14"/>`),
  print: icon(svg`<path d="M6 9V3h12v6M6 18H4v-7h16v7h-2"/><rect x="6" y="14" width="12" height="7"/>`),
  more: icon(svg`<circle cx="5" cy="12" r="1"/><circle cx="12" cy="12" r="1"/><circle cx="19" cy="12" r="1"/>`),
  close: icon(svg`<path d="M6 6l12 12M18 6L6 18"/>`),
};
