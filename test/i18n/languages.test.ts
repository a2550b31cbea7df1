// Every shipped language carries every string of the element and of each part loaded on use (and
// pdf.js's), with the same placeholders as the English, in plural forms that parse.
import { expect } from '@open-wc/testing';
import { DEFAULT_MESSAGES } from '../../src/errors.ts';
import { messageFormatter } from '../../src/i18n/message-format.ts';
import { PDFJS_STRINGS } from '../../src/i18n/pdfjs-l10n.ts';
import { SHIPPED_LANGUAGES } from '../../src/i18n/shipped-languages.ts';
import { DEFAULT_STRINGS } from '../../src/i18n/strings.ts';
import type { Translation } from '../../src/i18n/strings.ts';
import { loadTranslation } from '../../src/i18n/translation.ts';
import { FIND_STRINGS } from '../../src/ui/find/find-bar.ts';
import { PASSWORD_STRINGS } from '../../src/ui/password/password-dialog.ts';
import { PRINT_STRINGS } from '../../src/ui/print/print-progress.ts';
import { SIDEBAR_STRINGS } from '../../src/ui/sidebar/sidebar-panel.ts';

/** Every English string, by name: the element's, each part's, pdf.js's; error messages as `errors.<code>`. */
function englishStrings(): Map<string, string> {
  const { errors, ...core } = DEFAULT_STRINGS;
  const all = new Map<string, string>(Object.entries({ ...core, ...FIND_STRINGS, ...PASSWORD_STRINGS, ...PRINT_STRINGS, ...SIDEBAR_STRINGS, ...PDFJS_STRINGS }));
  for (const [code, message] of Object.entries(errors)) all.set(`errors.${code}`, message);
  return all;
}

function flatten(translation: Translation): Map<string, unknown> {
  const { errors, ...rest } = translation.strings;
  const all = new Map<string, unknown>(Object.entries(rest));
  for (const [code, message] of Object.entries(errors ?? {})) all.set(`errors.${code}`, message);
  return all;
}

/** The placeholder names a template fills, plural ones included. */
function placeholders(template: string): string[] {
  return [...new Set([...template.matchAll(/\{(\w+)(?:\}|, plural,)/g)].map((match) => match[1]!))].sort();
}

describe('shipped languages', () => {
  const english = englishStrings();

  it('English has every error code and no string twice', () => {
    expect([...english.keys()].filter((key) => key.startsWith('errors.')).sort()).to.deep.equal(Object.keys(DEFAULT_MESSAGES).map((code) => `errors.${code}`).sort());
    expect(english.size).to.be.greaterThan(50);
  });

  for (const language of SHIPPED_LANGUAGES) {
    describe(language, () => {
      let translation: Translation;
      before(async () => {
        translation = await loadTranslation(language);
      });

      it('has every string of the element, of each part and of pdf.js, and no other', () => {
        const strings = flatten(translation);
        const missing = [...english.keys()].filter((key) => typeof strings.get(key) !== 'string' || (strings.get(key) as string).trim() === '');
        expect(missing, `missing in ${language}`).to.deep.equal([]);
        const unknown = [...strings.keys()].filter((key) => !english.has(key));
        expect(unknown, `not English strings in ${language}`).to.deep.equal([]);
      });

      it('fills the same placeholders as the English', () => {
        for (const [key, template] of flatten(translation)) {
          expect(placeholders(template as string), `${language} ${key}`).to.deep.equal(placeholders(english.get(key)!));
        }
      });

      it('writes each plural with an `other` form, and every form fills in', () => {
        const format = messageFormatter(translation.locale);
        for (const [key, template] of flatten(translation)) {
          const text = template as string;
          for (const match of text.matchAll(/\{\w+, plural,(.*?)\}\}/g)) expect(match[1], `${language} ${key}`).to.match(/\bother\s*\{/);
          for (const n of [0, 1, 2, 3, 5, 11, 22, 100, 101]) {
            const values = { seconds: n, count: n, page: n, current: n, total: n, percent: n, type: 'Comment' };
            expect(format(text, values), `${language} ${key} with ${n}`).not.to.match(/[{}#]/);
          }
        }
      });

      it('names a locale that Intl knows, and a direction', () => {
        expect(Intl.NumberFormat.supportedLocalesOf([translation.locale])).to.deep.equal([translation.locale]);
        expect(translation.dir).to.equal(language === 'ar' ? 'rtl' : 'ltr');
      });
    });
  }
});
