import { expect } from '@open-wc/testing';
import { messageFormatter } from '../../src/i18n/message-format.ts';
import { pickLanguage, shippedLanguage } from '../../src/i18n/shipped-languages.ts';

describe('messageFormatter', () => {
  it('writes numbers by the language: digits and grouping', () => {
    expect(messageFormatter('de')('von {count}', { count: 1234 })).to.equal('von 1.234');
    expect(messageFormatter('en')('of {count}', { count: 1234 })).to.equal('of 1,234');
    expect(messageFormatter('ar')('{percent}٪', { percent: 150 })).to.equal(`${new Intl.NumberFormat('ar').format(150)}٪`);
  });

  it('picks the plural form by the language: Polish one, few, many', () => {
    const format = messageFormatter('pl');
    const template = 'za {seconds, plural, one {# sekundę} few {# sekundy} many {# sekund} other {# sekundy}}';
    expect(format(template, { seconds: 1 })).to.equal('za 1 sekundę');
    expect(format(template, { seconds: 3 })).to.equal('za 3 sekundy');
    expect(format(template, { seconds: 5 })).to.equal('za 5 sekund');
    expect(format(template, { seconds: 22 })).to.equal('za 22 sekundy');
    expect(format(template, { seconds: 12 })).to.equal('za 12 sekund');
  });

  it('picks Arabic\'s forms, and an exact form before the categories', () => {
    const format = messageFormatter('ar');
    const template = '{n, plural, =0 {none} zero {#z} one {one} two {two} few {#f} many {#m} other {#o}}';
    const digits = (n: number) => new Intl.NumberFormat('ar').format(n);
    expect(format(template, { n: 0 })).to.equal('none');
    expect(format(template, { n: 1 })).to.equal('one');
    expect(format(template, { n: 2 })).to.equal('two');
    expect(format(template, { n: 3 })).to.equal(`${digits(3)}f`);
    expect(format(template, { n: 11 })).to.equal(`${digits(11)}m`);
    expect(format(template, { n: 100 })).to.equal(`${digits(100)}o`);
  });

  it('inserts values as text and leaves unknown placeholders as written', () => {
    const format = messageFormatter('fr');
    expect(format('{a} {b} {missing}', { a: '{b}', b: '#' })).to.equal('{b} # {missing}');
    expect(format('{n, plural, one {# {label}} other {# {label}s}}', { n: 2, label: '{n}' })).to.equal('2 {n}s');
    expect(format('{n, plural, one {x} other {y}}', { n: 'many' })).to.equal('{n, plural, one {x} other {y}}');
  });
});

describe('the language picked', () => {
  it('is the first tag that asks for English or a shipped language', () => {
    expect(pickLanguage(['de-AT', 'fr'])).to.equal('de');
    expect(pickLanguage(['he', 'ru', 'pl-PL', 'en'])).to.equal('pl');
    expect(pickLanguage(['en-GB', 'de'])).to.equal('en');
    expect(pickLanguage(['he', 'ru'])).to.equal('en');
    expect(pickLanguage(['', 'PT-br'])).to.equal('pt');
    expect(pickLanguage([])).to.equal('en');
  });

  it('ships Chinese in simplified script only', () => {
    expect(shippedLanguage('zh')).to.equal('zh');
    expect(shippedLanguage('zh-CN')).to.equal('zh');
    expect(shippedLanguage('zh-Hans-HK')).to.equal('zh');
    expect(shippedLanguage('zh-TW')).to.equal(null);
    expect(shippedLanguage('zh-Hant')).to.equal(null);
    expect(pickLanguage(['zh-HK', 'ja'])).to.equal('ja');
  });
});
