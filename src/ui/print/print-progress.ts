import { html, type TemplateResult } from 'lit';
import { styleMap } from 'lit/directives/style-map.js';
import { icons } from '../icons.ts';
import { format, partStrings, type PrintStrings, type ViewerStringOverrides } from '../../i18n/strings.ts';

export { printProgressStyles } from './print-progress.styles.ts';

export const PRINT_STRINGS: PrintStrings = {
  printPreparing: 'Preparing to print, {percent} %. Press again or Escape to cancel.',
};

/**
 * The print button while a print is being prepared (`progress`: share of pages ready, 0–1): how
 * far it got, as a bar under it and a percentage beside the cancel icon; pressing it cancels.
 */
export function renderPrintProgress(progress: number, overrides: ViewerStringOverrides | null, cancel: () => void): TemplateResult {
  const strings = partStrings(PRINT_STRINGS, overrides);
  const percent = Math.floor(progress * 100);
  const label = format(strings.printPreparing, { percent }, strings);
  return html`<button type="button" class="icon printing" part="print-button" aria-label=${label} title=${label}
    style=${styleMap({ '--print-progress': `${percent}%` })} @click=${cancel}>
    ${icons.close}<span class="print-progress" aria-hidden="true">${format(strings.zoomLevel, { percent }, strings)}</span>
  </button>`;
}
