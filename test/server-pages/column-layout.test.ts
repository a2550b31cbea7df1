import { expect } from '@open-wc/testing';
import { layoutColumn, mostVisiblePage, PAGE_GAP, pagesInView, pagesToDraw, pagesToRelease, zoomFor } from '../../src/server-pages/column-layout.ts';

const LETTER = { width: 612, height: 792 };

describe('column layout', () => {
  it('places pages one under the other at 96 dpi per 100 %, with a gap', () => {
    const layout = layoutColumn([LETTER, LETTER, { width: 792, height: 612 }], 1);
    expect(layout.widths).to.deep.equal([816, 816, 1056]);
    expect(layout.heights).to.deep.equal([1056, 1056, 816]);
    expect(layout.tops).to.deep.equal([PAGE_GAP, 2 * PAGE_GAP + 1056, 3 * PAGE_GAP + 2112]);
    expect(layout.height).to.equal(4 * PAGE_GAP + 2112 + 816);
  });

  it('fits width, page and auto as pdf.js does', () => {
    const width = zoomFor('page-width', LETTER, 836, 600);
    expect(width).to.be.closeTo(1, 1e-9);
    expect(zoomFor('page-fit', LETTER, 836, 600)).to.be.closeTo(580 / 1056, 1e-9);
    expect(zoomFor('auto', LETTER, 2000, 600)).to.equal(1.25);
    expect(zoomFor('auto', LETTER, 836, 600)).to.be.closeTo(1, 1e-9);
    expect(zoomFor(0.5, LETTER, 836, 600)).to.equal(0.5);
  });

  it('finds the pages in view and the one that takes most of it', () => {
    const layout = layoutColumn([LETTER, LETTER, LETTER, LETTER], 0.5);
    // Pages are 528 high, tops 10, 548, 1086, 1624.
    expect(pagesInView(layout, 0, 600)).to.deep.equal([1, 2]);
    expect(mostVisiblePage(layout, 0, 600)).to.equal(1);
    expect(mostVisiblePage(layout, 400, 600)).to.equal(2);
    expect(pagesInView(layout, 1100, 600)).to.deep.equal([3, 4]);
    expect(pagesInView(layout, 5000, 600)).to.deep.equal([0, -1]);
  });

  it('draws the pages in view first, then one either side', () => {
    expect(pagesToDraw(3, 4, 10, 1)).to.deep.equal([3, 4, 5, 2]);
    expect(pagesToDraw(1, 1, 1, 1)).to.deep.equal([1]);
    expect(pagesToDraw(0, -1, 10, 1)).to.deep.equal([]);
  });

  it('lets go of the drawn pages farthest from the current one, never those needed', () => {
    expect(pagesToRelease([1, 2, 3, 4, 5, 6], 3, 4)).to.deep.equal([6, 5]);
    expect(pagesToRelease([1, 2, 3, 9], 9, 2, new Set([1]))).to.deep.equal([2, 3]);
    expect(pagesToRelease([1, 2], 1, 4)).to.deep.equal([]);
  });
});
