import { expect } from '@open-wc/testing';
import { ViewerError } from '../../src/errors.ts';
import { findInPage, parsePageText, type PageText } from '../../src/server-pages/page-text.ts';
import { destinationPage, serverOutline } from '../../src/server-pages/server-outline.ts';

const PAGE: PageText = {
  page: 2,
  width: 600,
  height: 800,
  items: [
    { str: 'Quarterly Résumé', x: 100, y: 100, width: 160, height: 20, eol: true },
    { str: 'of the quarter', x: 100, y: 130, width: 140, height: 20, eol: false },
  ],
};

describe('page text', () => {
  it('finds every match, ignoring case and accents, with boxes as fractions of the page', () => {
    const matches = findInPage(PAGE, 'QUARTER');
    expect(matches).to.have.length(2);
    expect(matches[0]).to.deep.equal({ page: 2, boxes: [{ left: 100 / 600, top: 100 / 800, width: 70 / 600, height: 20 / 800 }] });
    expect(matches[1]!.boxes[0]!.left).to.be.closeTo((100 + 70) / 600, 1e-9);
    expect(findInPage(PAGE, 'resume')).to.have.length(1);
  });

  it('finds across a line end as across a space, with a box on each line', () => {
    const [match] = findInPage(PAGE, 'résumé   of');
    expect(match!.boxes).to.have.length(2);
    expect(match!.boxes[1]!.top).to.equal(130 / 800);
  });

  it('finds nothing for an empty query or absent text', () => {
    expect(findInPage(PAGE, '  ')).to.deep.equal([]);
    expect(findInPage(PAGE, 'annual')).to.deep.equal([]);
  });

  it('refuses text that is not in the server\u2019s form', () => {
    expect(() => parsePageText({ page: 1, width: 0, height: 1, items: [] })).to.throw(ViewerError);
    expect(() => parsePageText({ page: 1, width: 1, height: 1, items: [{ str: 5 }] })).to.throw(ViewerError);
    expect(parsePageText({ page: 1, width: 1, height: 1, items: [{ str: 'a', x: 0, y: 0, width: 1, height: 1, dir: 'ltr' }] }).items[0]!.eol).to.equal(false);
  });
});

describe('server outline', () => {
  it('becomes the sidebar\u2019s entries, with page-index destinations the view follows', () => {
    const entries = serverOutline([{ title: 'One', page: 1, items: [{ title: 'Away\u0007', page: null, items: [] }] }, { title: '', page: 3, items: [] }]);
    expect(entries).to.deep.equal([
      { id: '0', title: 'One', destination: [0], children: [{ id: '0.0', title: 'Away', destination: null, children: [] }] },
      { id: '1', title: '\u2014', destination: [2], children: [] },
    ]);
    expect(destinationPage([2])).to.equal(3);
    expect(destinationPage('chapter')).to.equal(null);
    expect(destinationPage([{ num: 4 }])).to.equal(null);
  });
});
