import { expect } from '@open-wc/testing';
import { PageAttention } from '../../src/reader-events/page-attention.ts';

function attention() {
  let now = 0;
  const views: Array<[number, number]> = [];
  const tracker = new PageAttention({ now: () => now, onView: (page, ms) => views.push([page, ms]) });
  return { tracker, views, advance: (ms: number) => (now += ms) };
}

describe('PageAttention', () => {
  it('reports a view when its page leaves the view, with the time it was in view', () => {
    const { tracker, views, advance } = attention();
    tracker.setInView(1, true);
    advance(2000);
    tracker.setInView(2, true);
    advance(1000);
    tracker.setInView(1, false);
    expect(views).to.deep.equal([[1, 3000]]);
    advance(4000);
    tracker.setInView(2, false);
    expect(views).to.deep.equal([[1, 3000], [2, 5000]]);
  });

  it('does not count time while the reader is not attentive (tab hidden, idle)', () => {
    const { tracker, views, advance } = attention();
    tracker.setInView(3, true);
    advance(1000);
    tracker.setAttentive(false);
    advance(60_000);
    tracker.setAttentive(true);
    advance(500);
    tracker.setInView(3, false);
    expect(views).to.deep.equal([[3, 1500]]);
  });

  it('a page that comes into view while the reader is away starts counting when they are back', () => {
    const { tracker, views, advance } = attention();
    tracker.setAttentive(false);
    tracker.setInView(4, true);
    advance(10_000);
    tracker.setAttentive(true);
    advance(700);
    tracker.setInView(4, false);
    expect(views).to.deep.equal([[4, 700]]);
  });

  it('drops views under half a second (pages scrolled past)', () => {
    const { tracker, views, advance } = attention();
    tracker.setInView(5, true);
    advance(499);
    tracker.setInView(5, false);
    expect(views).to.deep.equal([]);
  });

  it('flush ends the views under way and starts new ones for the pages still in view', () => {
    const { tracker, views, advance } = attention();
    tracker.setInView(6, true);
    advance(2000);
    tracker.flush();
    expect(views).to.deep.equal([[6, 2000]]);
    advance(800);
    tracker.setInView(6, false);
    expect(views).to.deep.equal([[6, 2000], [6, 800]]);
  });
});
