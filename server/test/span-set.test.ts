import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mergeSpans } from '../accountability/span-set.ts';

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
});
