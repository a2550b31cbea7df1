// Reader events as the server accepts them: each field checked, the event rebuilt from them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_QUERY_LENGTH, parseReaderEvent } from '../accountability/reader-event.ts';

const now = Date.UTC(2026, 11, 7, 12);
const at = now - 5000;

describe('reader event parsing', () => {
  it('keeps the fields of each kind and nothing else', () => {
    assert.deepEqual(parseReaderEvent({ type: 'page-view', page: 4, ms: 1200, at, token: 'ey…', extra: [1] }, now), { type: 'page-view', page: 4, ms: 1200, at });
    assert.deepEqual(parseReaderEvent({ type: 'copy', chars: 12, at, text: 'secret words' }, now), { type: 'copy', chars: 12, at });
    assert.deepEqual(parseReaderEvent({ type: 'print', numPages: 3, at }, now), { type: 'print', at });
    assert.deepEqual(parseReaderEvent({ type: 'download', at }, now), { type: 'download', at });
    assert.deepEqual(parseReaderEvent({ type: 'zoom', zoom: 'auto', scale: 0.8, at }, now), { type: 'zoom', zoom: 'auto', scale: 0.8, at });
    assert.deepEqual(parseReaderEvent({ type: 'zoom', zoom: 2.5, scale: 2.5, at }, now), { type: 'zoom', zoom: 2.5, scale: 2.5, at });
    assert.deepEqual(parseReaderEvent({ type: 'find', at }, now), { type: 'find', at });
    assert.deepEqual(parseReaderEvent({ type: 'find', query: 'q'.repeat(MAX_QUERY_LENGTH + 50), at }, now), { type: 'find', query: 'q'.repeat(MAX_QUERY_LENGTH), at });
  });

  it('refuses unknown kinds, wrong or out-of-range fields, and times far from the server clock', () => {
    for (const value of [
      null,
      [],
      'page-view',
      { type: 'page-view', page: 0, ms: 10, at },
      { type: 'page-view', page: 1.5, ms: 10, at },
      { type: 'page-view', page: 1, ms: -1, at },
      { type: 'page-view', page: 1, ms: 25 * 3600 * 1000, at },
      { type: 'page-view', page: '1', ms: 10, at },
      { type: 'copy', chars: Number.NaN, at },
      { type: 'zoom', zoom: 'huge', scale: 1, at },
      { type: 'zoom', zoom: 1, scale: 0, at },
      { type: 'zoom', zoom: Infinity, scale: 1, at },
      { type: 'find', query: 42, at },
      { type: 'eval', at },
      { type: 'print' },
      { type: 'print', at: now + 2 * 24 * 3600 * 1000 },
      { type: 'print', at: now - 2 * 24 * 3600 * 1000 },
      { type: 'print', at: String(at) },
    ]) {
      assert.equal(parseReaderEvent(value, now), null, JSON.stringify(value));
    }
  });
});
