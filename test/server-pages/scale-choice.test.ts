import { expect } from '@open-wc/testing';
import { chooseScale, imagePixels } from '../../src/server-pages/scale-choice.ts';

const SCALES = [0.25, 0.5, 1, 1.5, 2, 3];
const LETTER = { width: 612, height: 792 };
const MAX = 4096 * 4096;

describe('chooseScale', () => {
  it('takes the smallest offered scale with an image pixel for each device pixel (100 % = 96 dpi)', () => {
    // 100 % on a 1× screen needs 4/3 pixels per point.
    expect(chooseScale(SCALES, 1, 1, LETTER, MAX)).to.equal(1.5);
    expect(chooseScale(SCALES, 0.5, 1, LETTER, MAX)).to.equal(1);
    expect(chooseScale(SCALES, 0.15, 1, LETTER, MAX)).to.equal(0.25);
    expect(chooseScale(SCALES, 1, 2, LETTER, MAX)).to.equal(3);
    expect(chooseScale(SCALES, 0.75, 1.5, LETTER, MAX)).to.equal(1.5);
  });

  it('gives the sharpest offered scale when none is sharp enough', () => {
    expect(chooseScale(SCALES, 4, 2, LETTER, MAX)).to.equal(3);
  });

  it('never asks for an image larger than the server draws', () => {
    const poster = { width: 2000, height: 2000 };
    // 3 → 36 M pixels, 2 → 16 M: past 4096² the next smaller one that fits.
    expect(imagePixels(poster, 2)).to.equal(16_000_000);
    expect(chooseScale(SCALES, 2, 1, poster, MAX)).to.equal(2);
    expect(chooseScale(SCALES, 2, 1, poster, 1_000_000)).to.equal(0.5);
    // Not even the smallest fits: the smallest, and the server says why.
    expect(chooseScale(SCALES, 1, 1, { width: 1e6, height: 1e6 }, MAX)).to.equal(0.25);
  });

  it('reads the offered scales in any order', () => {
    expect(chooseScale([3, 1, 0.5], 0.7, 1, LETTER, MAX)).to.equal(1);
  });
});
