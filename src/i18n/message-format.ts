import type { Formatter } from './strings.ts';

/** `{name, plural, one {…} other {…}}`: the ICU plural forms of one placeholder, `#` the number. */
const PLURAL = /\{(\w+), plural,((?:\s*(?:=\d+|zero|one|two|few|many|other)\s*\{(?:[^{}]|\{\w+\})*\})+)\s*\}/g;
/** One form: its category (or exact `=n`) and its text, which may hold placeholders of its own. */
const FORM = /(=\d+|zero|one|two|few|many|other)\s*\{((?:[^{}]|\{\w+\})*)\}/g;
const PLACEHOLDER = /\{(\w+)\}/g;

/**
 * A formatter by a language's rules: numbers through `Intl.NumberFormat` (its digits and
 * grouping), and plural forms through `Intl.PluralRules`, written as in ICU messages:
 * `{seconds, plural, one {# Sekunde} other {# Sekunden}}` (an exact `=0 {…}` wins over the
 * categories; `other` is required). Values are inserted as text, never read as templates.
 */
export function messageFormatter(locale: string): Formatter {
  const numbers = new Intl.NumberFormat(locale);
  const plurals = new Intl.PluralRules(locale);
  const text = (value: string | number) => (typeof value === 'number' ? numbers.format(value) : value);
  return (template, values) => {
    // One pass per kind, each over the template only: a value never becomes part of a template.
    const parts: string[] = [];
    let last = 0;
    for (const match of template.matchAll(PLURAL)) {
      const [whole, name, body] = match as unknown as [string, string, string];
      parts.push(fill(template.slice(last, match.index), values, text));
      last = match.index + whole.length;
      const value = values[name];
      if (!Object.hasOwn(values, name) || typeof value !== 'number') {
        parts.push(whole);
        continue;
      }
      const forms = new Map([...body.matchAll(FORM)].map(([, key, form]) => [key!, form!]));
      const form = forms.get(`=${value}`) ?? forms.get(plurals.select(value)) ?? forms.get('other') ?? '';
      parts.push(fill(form.replaceAll('#', numbers.format(value)), values, text));
    }
    parts.push(fill(template.slice(last), values, text));
    return parts.join('');
  };
}

function fill(template: string, values: Record<string, string | number>, text: (value: string | number) => string): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => (Object.hasOwn(values, name) ? text(values[name]!) : whole));
}
