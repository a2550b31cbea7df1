import { expect } from '@open-wc/testing';
import { DEFAULT_MESSAGES } from '../../src/errors.ts';
import { FIND_STRINGS } from '../../src/ui/find/find-bar.ts';
import { PASSWORD_STRINGS } from '../../src/ui/password/password-dialog.ts';
import { PRINT_STRINGS } from '../../src/ui/print/print-progress.ts';
import { SIDEBAR_STRINGS } from '../../src/ui/sidebar/sidebar-panel.ts';
import { DEFAULT_STRINGS, format, partStrings, resolveStrings } from '../../src/i18n/strings.ts';

describe('format', () => {
  it('fills named placeholders with strings and numbers', () => {
    expect(format('Page {page} of {count}', { page: 3, count: 12 })).to.equal('Page 3 of 12');
    expect(format('{percent} %', { percent: 150 })).to.equal('150 %');
    expect(format('{a}{a}-{b}', { a: 'x', b: 0 })).to.equal('xx-0');
  });

  it('leaves unknown placeholders and non-placeholders as written', () => {
    expect(format('Try again in {seconds} s.', {})).to.equal('Try again in {seconds} s.');
    expect(format('{page} {missing}', { page: 1 })).to.equal('1 {missing}');
    expect(format('{} { page } {pa-ge}', { page: 1 })).to.equal('{} { page } {pa-ge}');
  });

  it('inserts values as text: no second substitution, no replacement patterns', () => {
    expect(format('{a} {b}', { a: '{b}', b: 'B' })).to.equal('{b} B');
    expect(format('{a}', { a: '$& $1 $$' })).to.equal('$& $1 $$');
    expect(format('{a}', { a: '<img src=x onerror=alert(1)>' })).to.equal('<img src=x onerror=alert(1)>');
  });

  it('leaves placeholders named like Object.prototype members alone', () => {
    expect(format('{constructor} {toString}', {})).to.equal('{constructor} {toString}');
  });
});

describe('resolveStrings', () => {
  it('gives the defaults without overrides', () => {
    expect(resolveStrings(null)).to.equal(DEFAULT_STRINGS);
    expect(resolveStrings(null).errors).to.deep.equal(DEFAULT_MESSAGES);
  });

  it('replaces the strings given and keeps the others', () => {
    const strings = resolveStrings({ retry: 'Nochmal', pageCount: 'von {count}' });
    expect(strings.retry).to.equal('Nochmal');
    expect(strings.pageCount).to.equal('von {count}');
    expect(strings.loading).to.equal(DEFAULT_STRINGS.loading);
    expect(strings.errors).to.deep.equal(DEFAULT_MESSAGES);
  });

  it('merges error messages per code', () => {
    const strings = resolveStrings({ errors: { forbidden: 'Kein Zugriff.' } });
    expect(strings.errors.forbidden).to.equal('Kein Zugriff.');
    expect(strings.errors['not-found']).to.equal(DEFAULT_MESSAGES['not-found']);
    expect(Object.keys(strings.errors).sort()).to.deep.equal(Object.keys(DEFAULT_MESSAGES).sort());
  });

  it('never changes the defaults it merges into', () => {
    const before = JSON.stringify(DEFAULT_STRINGS);
    const strings = resolveStrings({ retry: 'x', errors: { server: 'y' } });
    strings.errors.network = 'z';
    expect(JSON.stringify(DEFAULT_STRINGS)).to.equal(before);
    expect(resolveStrings({}).errors).not.to.equal(DEFAULT_STRINGS.errors);
  });

  it('has a non-empty default for every string and error code', () => {
    for (const [name, value] of Object.entries(DEFAULT_STRINGS)) {
      if (name === 'errors') continue;
      expect(value, name).to.be.a('string').and.not.equal('');
    }
    for (const code of Object.keys(DEFAULT_MESSAGES)) {
      expect(DEFAULT_STRINGS.errors[code as keyof typeof DEFAULT_MESSAGES], code).to.be.a('string').and.not.equal('');
    }
  });
});

describe('strings of the parts loaded on use', () => {
  const parts = { sidebar: SIDEBAR_STRINGS, password: PASSWORD_STRINGS, find: FIND_STRINGS, print: PRINT_STRINGS };

  it('each part has a non-empty default for each of its strings, and no string is both the element\'s and a part\'s', () => {
    const seen = new Set(Object.keys(DEFAULT_STRINGS));
    for (const [part, defaults] of Object.entries(parts)) {
      for (const [name, value] of Object.entries(defaults)) {
        expect(value, `${part}: ${name}`).to.be.a('string').and.not.equal('');
        expect(seen.has(name), `${name} defined twice`).to.equal(false);
        seen.add(name);
      }
    }
  });

  it('a part gets its own defaults and the element\'s strings, each replaced where the host gave one', () => {
    const strings = partStrings(SIDEBAR_STRINGS, { outline: 'Gliederung', retry: 'Nochmal' });
    expect(strings.outline).to.equal('Gliederung');
    expect(strings.thumbnails).to.equal(SIDEBAR_STRINGS.thumbnails);
    expect(strings.retry).to.equal('Nochmal');
    expect(strings.loading).to.equal(DEFAULT_STRINGS.loading);
    expect(partStrings(SIDEBAR_STRINGS, null)).to.deep.equal({ ...DEFAULT_STRINGS, ...SIDEBAR_STRINGS });
  });
});
