import { expect } from '@open-wc/testing';
import { parseZoom } from '../../src/pdf/zoom.ts';

describe('parseZoom', () => {
  it('is auto without the attribute', () => {
    expect(parseZoom(null)).to.equal('auto');
  });

  it('reads the keywords, around spaces included', () => {
    expect(parseZoom('auto')).to.equal('auto');
    expect(parseZoom('page-fit')).to.equal('page-fit');
    expect(parseZoom(' page-width ')).to.equal('page-width');
  });

  it('reads a scale where 1 is 100 %, or a percentage', () => {
    expect(parseZoom('1')).to.equal(1);
    expect(parseZoom('1.5')).to.equal(1.5);
    expect(parseZoom(' 0.75 ')).to.equal(0.75);
    expect(parseZoom('150%')).to.equal(1.5);
    expect(parseZoom('150 %')).to.equal(1.5);
    expect(parseZoom('12.5%')).to.equal(0.125);
    expect(parseZoom('1e0')).to.equal(1);
  });

  it('keeps the scale within 10–1000 %', () => {
    expect(parseZoom('0.01')).to.equal(0.1);
    expect(parseZoom('5%')).to.equal(0.1);
    expect(parseZoom('0.1')).to.equal(0.1);
    expect(parseZoom('10')).to.equal(10);
    expect(parseZoom('25')).to.equal(10);
    expect(parseZoom('5000%')).to.equal(10);
  });

  it('falls back to auto for anything else', () => {
    for (const value of ['', '  ', '0', '0%', '-1', '-50%', 'abc', '%', 'Infinity', 'NaN', 'PAGE-FIT', 'fit', '1,5', '1.5x']) {
      expect(parseZoom(value), JSON.stringify(value)).to.equal('auto');
    }
  });

  it('falls back to auto for a percentage with garbage in it', () => {
    expect(parseZoom('1.5x%')).to.equal('auto');
    expect(parseZoom('12,5%')).to.equal('auto');
  });
});
