import { expect } from '@open-wc/testing';
import type { PageText } from '../../src/server-pages/page-text.ts';
import { buildTextLayer, placeRun } from '../../src/server-pages/text-layer.ts';

const PAGE = { width: 600, height: 800 };

describe('text layer placement', () => {
  it('puts a run at its share of the page, as tall as the run, stretched to its width', () => {
    const run = { str: 'Quarter', x: 150, y: 200, width: 120, height: 20, eol: false };
    // Measured 0.5 px per 1 px of font: 10 px at 20 px, stretched 12 times to the run's 120 points.
    expect(placeRun(run, PAGE, 0.5)).to.deep.equal({ left: 25, top: 25, fontSize: 20, scaleX: 12, rotate: 0 });
  });

  it('turns a rotated run about its top left, in degrees', () => {
    const run = { str: 'Up', x: 60, y: 400, width: 30, height: 10, angle: -Math.PI / 2, eol: false };
    expect(placeRun(run, PAGE, 1).rotate).to.be.closeTo(-90, 1e-9);
  });

  it('leaves a run that measures nothing unstretched', () => {
    const run = { str: ' ', x: 0, y: 0, width: 5, height: 10, eol: false };
    expect(placeRun(run, PAGE, 0).scaleX).to.equal(1);
    expect(placeRun({ ...run, width: 0 }, PAGE, 0.3).scaleX).to.equal(1);
  });

  it('builds one span a run with a line break after each line end', () => {
    const text: PageText = {
      page: 1,
      ...PAGE,
      items: [
        { str: 'Annual', x: 72, y: 60, width: 60, height: 12, eol: false },
        { str: ' report', x: 132, y: 60, width: 70, height: 12, eol: true },
        { str: '', x: 0, y: 0, width: 0, height: 0, eol: false },
        { str: 'Risks', x: 72, y: 80, width: 50, height: 12, eol: false },
      ],
    };
    const layer = buildTextLayer(text);
    expect([...layer.children].map((node) => node.tagName)).to.deep.equal(['SPAN', 'SPAN', 'BR', 'SPAN']);
    expect(layer.textContent).to.equal('Annual reportRisks');
    const span = layer.querySelector('span')!;
    expect(span.style.left).to.equal('12%');
    expect(span.style.fontSize).to.equal('calc(var(--sv-text-scale) * 12px)');
  });
});
