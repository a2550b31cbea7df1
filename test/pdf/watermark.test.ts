import { expect } from '@open-wc/testing';
import { fillWatermark } from '../../src/pdf/watermark.ts';

describe('fillWatermark', () => {
  const now = new Date(2026, 2, 14, 9, 5, 0);
  const date = now.toLocaleDateString();
  const time = now.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

  it('fills claims and the reader\'s local date and time', () => {
    const claims = { sub: 'ana@example.com', tenant: 'acme', n: 42 };
    expect(fillWatermark('{sub} · {tenant} · {n} · {date} {time}', claims, now)).to.equal(`ana@example.com · acme · 42 · ${date} ${time}`);
  });

  it('keeps the local date and time even when the token has claims of those names', () => {
    expect(fillWatermark('{date}|{time}', { date: 'forged', time: 'forged' }, now)).to.equal(`${date}|${time}`);
  });

  it('empties unknown names and claims that are neither strings nor numbers', () => {
    const claims = { ok: true, list: ['a'], nested: { a: 1 }, nothing: null };
    expect(fillWatermark('[{missing}][{ok}][{list}][{nested}][{nothing}]', claims, now)).to.equal('[][][][][]');
    expect(fillWatermark('{sub} on {date}', null, now)).to.equal(`on ${date}`);
  });

  it('leaves text that is not a placeholder as written, markup included', () => {
    expect(fillWatermark('<b>{sub}</b> { sub } {}', { sub: 'x' }, now)).to.equal('<b>x</b> { sub } {}');
    expect(fillWatermark('{sub}', { sub: '$& {date}' }, now)).to.equal('$& {date}');
  });

  it('turns control characters into spaces and trims', () => {
    expect(fillWatermark('  {sub}\t\n', { sub: 'a\r\nb\u0000c\u007fd' }, now)).to.equal('a  b c d');
  });

  it('cuts the result at 200 characters', () => {
    const long = 'x'.repeat(500);
    expect(fillWatermark('{sub}', { sub: long }, now)).to.have.length(200);
    expect(fillWatermark('{a}{a}', { a: 'y'.repeat(150) }, now)).to.equal('y'.repeat(200));
  });

  it('gives an empty text for a template of unknown names only (nothing is drawn then)', () => {
    expect(fillWatermark('{a} {b}', {}, now)).to.equal('');
  });

  it('empties names of Object.prototype members like other unknown names', () => {
    expect(fillWatermark('[{constructor}][{toString}]', { sub: 'x' }, now)).to.equal('[][]');
  });
});
