// pdf.js's localization service as the element gives it to pdf.js's viewer: it fills the elements
// pdf.js marks with data-l10n-id, as they come and again when the language changes.
import { expect } from '@open-wc/testing';
import { messageFormatter } from '../../src/i18n/message-format.ts';
import { PDFJS_STRINGS, PdfjsL10n } from '../../src/i18n/pdfjs-l10n.ts';
import { DEFAULT_STRINGS, FORMATTER } from '../../src/i18n/strings.ts';
import { waitFor } from '../helpers/viewer.ts';
import arabic from '../../src/i18n/languages/ar.ts';
import german from '../../src/i18n/languages/de.ts';

function marked(tag: string, id: string, args?: object): HTMLElement {
  const element = document.createElement(tag);
  element.setAttribute('data-l10n-id', id);
  if (args) element.setAttribute('data-l10n-args', JSON.stringify(args));
  return element;
}

describe('pdf.js\'s messages in the pages', () => {
  const when = Date.UTC(2025, 2, 14, 9, 30, 5);
  let root: HTMLDivElement;
  let l10n: PdfjsL10n;

  beforeEach(() => {
    root = document.createElement('div');
    document.body.append(root);
    l10n = new PdfjsL10n();
  });

  afterEach(() => {
    void l10n.destroy();
    root.remove();
  });

  it('fills page landmarks, annotation icons, comment buttons and dates, present and later added', async () => {
    l10n.update('de', 'ltr', { ...german.strings, [FORMATTER]: messageFormatter('de') });
    const page = root.appendChild(marked('div', 'pdfjs-page-landmark', { page: 1234 }));
    const icon = root.appendChild(marked('img', 'pdfjs-text-annotation-type', { type: 'Comment' }));
    await l10n.translate(root);
    expect(page.getAttribute('aria-label')).to.equal('Seite 1.234');
    expect(icon.getAttribute('alt')).to.equal('[Anmerkung: Comment]');
    expect(l10n.getLanguage()).to.equal('de');
    const layer = document.createElement('section');
    const button = layer.appendChild(marked('button', 'pdfjs-show-comment-button'));
    const date = layer.appendChild(marked('time', 'pdfjs-annotation-date-time-string', { dateObj: when }));
    const unknown = layer.appendChild(marked('span', 'pdfjs-editor-ink-button'));
    root.append(layer);
    await waitFor(() => button.getAttribute('title') === 'Kommentar anzeigen', 2_000, () => `button: ${button.getAttribute('title')}`);
    expect(date.textContent).to.equal(new Intl.DateTimeFormat('de', { dateStyle: 'short', timeStyle: 'medium' }).format(when));
    expect(unknown.textContent, 'a message a reader never meets here').to.equal('');
  });

  it('writes everything again when the language changes, and in English as pdf.js does', async () => {
    l10n.update('ar', 'rtl', { ...arabic.strings, [FORMATTER]: messageFormatter('ar') });
    const page = root.appendChild(marked('div', 'pdfjs-page-landmark', { page: 3 }));
    await l10n.translate(root);
    expect(page.getAttribute('aria-label')).to.equal(`الصفحة ${new Intl.NumberFormat('ar').format(3)}`);
    expect(l10n.getDirection()).to.equal('rtl');
    l10n.update('en', 'ltr', { ...PDFJS_STRINGS, ...DEFAULT_STRINGS });
    expect(page.getAttribute('aria-label')).to.equal('Page 3');
    expect(await l10n.get('pdfjs-text-annotation-type', { type: 'Note' })).to.equal('[Note Annotation]');
  });
});
