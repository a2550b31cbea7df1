// Unit tests for the pure Range / If-Range logic (test plan C26–C29; HTTP level in content.test.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decideRange, ifRangeAllowsPartial, parseRange } from '../../../server/range.ts';

const SIZE = 10_000;

describe('parseRange', () => {
  it('C26: honours the three single-range forms', () => {
    assert.deepEqual(parseRange('bytes=0-1023', SIZE), { kind: 'partial', start: 0, end: 1023 });
    assert.deepEqual(parseRange('bytes=500-', SIZE), { kind: 'partial', start: 500, end: SIZE - 1 });
    assert.deepEqual(parseRange('bytes=-500', SIZE), { kind: 'partial', start: SIZE - 500, end: SIZE - 1 });
  });

  it('clamps the last position and a long suffix to the file', () => {
    assert.deepEqual(parseRange('bytes=9000-999999', SIZE), { kind: 'partial', start: 9000, end: SIZE - 1 });
    assert.deepEqual(parseRange('bytes=-999999', SIZE), { kind: 'partial', start: 0, end: SIZE - 1 });
  });

  it('accepts the unit case-insensitively and optional whitespace', () => {
    assert.deepEqual(parseRange('Bytes = 1-2', SIZE), { kind: 'partial', start: 1, end: 2 });
  });

  it('C27: is unsatisfiable when the first byte is past the end, or for a zero suffix', () => {
    assert.deepEqual(parseRange('bytes=999999999-', SIZE), { kind: 'unsatisfiable' });
    assert.deepEqual(parseRange(`bytes=${SIZE}-`, SIZE), { kind: 'unsatisfiable' });
    assert.deepEqual(parseRange('bytes=-0', SIZE), { kind: 'unsatisfiable' });
    assert.deepEqual(parseRange('bytes=0-', 0), { kind: 'unsatisfiable' });
  });

  it('C28: ignores malformed, reversed, multiple (100 unordered) and foreign-unit ranges (whole body)', () => {
    for (const header of [
      'bytes=1000-999',
      'bytes=abc',
      'bytes=',
      'bytes=--5',
      'bytes=1-2-3',
      'bytes=0-10,5-20,3-30',
      Array.from({ length: 100 }, (_, i) => `${(i * 7919) % SIZE}-${((i * 7919) % SIZE) + 1}`).join(',').replace(/^/, 'bytes='),
      'items=0-5',
      'bytes 0-5',
      `bytes=${'9'.repeat(40)}-`,
    ]) {
      assert.deepEqual(parseRange(header, SIZE), { kind: 'full' }, header);
    }
    assert.deepEqual(parseRange(null, SIZE), { kind: 'full' });
  });
});

describe('If-Range', () => {
  const etag = '"abc123"';

  it('C29: allows a range only for the identical strong validator', () => {
    assert.equal(ifRangeAllowsPartial(undefined, etag), true);
    assert.equal(ifRangeAllowsPartial('"abc123"', etag), true);
    assert.equal(ifRangeAllowsPartial('"stale"', etag), false);
    assert.equal(ifRangeAllowsPartial('W/"abc123"', etag), false);
    assert.equal(ifRangeAllowsPartial('Wed, 21 Oct 2015 07:28:00 GMT', etag), false);
  });

  it('C29: combines with Range; If-Range without Range is ignored', () => {
    assert.deepEqual(decideRange('bytes=0-9', '"abc123"', SIZE, etag), { kind: 'partial', start: 0, end: 9 });
    assert.deepEqual(decideRange('bytes=0-9', '"old"', SIZE, etag), { kind: 'full' });
    assert.deepEqual(decideRange(null, '"abc123"', SIZE, etag), { kind: 'full' });
    assert.deepEqual(decideRange('bytes=999999-', '"old"', SIZE, etag), { kind: 'full' });
  });
});
