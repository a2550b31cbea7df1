import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addSpans, mergeSpans, type Span } from '../accountability/span-set.ts';

describe('served spans', () => {
  it('sorts, merges overlapping and touching spans, keeps apart ones apart', () => {
    assert.deepEqual(mergeSpans([[50, 60], [0, 9], [10, 19], [55, 70], [100, 100]]), [[0, 19], [50, 70], [100, 100]]);
    assert.deepEqual(mergeSpans([]), []);
  });

  it('past the bound joins the closest neighbours, never drops a served byte', () => {
    const spans: Array<[number, number]> = [[0, 0], [10, 10], [12, 12], [100, 100], [103, 103]];
    assert.deepEqual(mergeSpans(spans, 3), [[0, 0], [10, 12], [100, 103]]);
    assert.deepEqual(mergeSpans(spans, 1), [[0, 103]]);
  });

  it('adds spans in place with the same result as merging everything again', () => {
    // A fixed pseudo-random sequence, so a failure can be reproduced.
    let seed = 7;
    const next = (below: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % below;
    };
    for (let round = 0; round < 200; round++) {
      const max = 1 + next(12);
      let kept = mergeSpans([], max) as Array<[number, number]>;
      const all: Span[] = [];
      let under = true;
      for (let batch = 0; batch < 8; batch++) {
        const added: Span[] = Array.from({ length: next(5) }, () => {
          const start = next(300);
          return [start, start + next(20)] as const;
        });
        all.push(...added);
        const mergedAgain = mergeSpans([...kept, ...added], max);
        kept = addSpans(kept, added, max);
        assert.deepEqual(kept, mergedAgain, `round ${round}, batch ${batch}`);
        // While under the bound nothing is joined over a gap: exactly what merging all spans gives.
        under &&= mergeSpans(all).length <= max;
        if (under) assert.deepEqual(kept, mergeSpans(all));
      }
    }
  });
});

