import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, test } from 'node:test';
import { mergeSpans, multipartBody, multipartLength, parseRanges } from '../../../server/byte-ranges.ts';
import { openByteRanges, type ByteRanges } from '../../../server/byte-source.ts';

const SIZE = 10_000;

describe('parseRanges', () => {
  test('one range is one span, as before', () => {
    assert.deepEqual(parseRanges('bytes=0-1023', SIZE), { kind: 'partial', ranges: [{ start: 0, end: 1023 }] });
    assert.deepEqual(parseRanges('bytes=-500', SIZE), { kind: 'partial', ranges: [{ start: 9500, end: 9999 }] });
  });

  test('several ranges are sorted, and overlapping or near ones merged', () => {
    assert.deepEqual(parseRanges('bytes=5000-5999, 0-99, 100-199, 300-399', SIZE), {
      kind: 'partial',
      ranges: [
        { start: 0, end: 399 },
        { start: 5000, end: 5999 },
      ],
    });
    // Overlaps never send a byte twice.
    assert.deepEqual(parseRanges('bytes=0-999,0-999,500-1500', SIZE), { kind: 'partial', ranges: [{ start: 0, end: 1500 }] });
  });

  test('drops specs past the end; none left is unsatisfiable', () => {
    assert.deepEqual(parseRanges('bytes=0-9,20000-20009', SIZE), { kind: 'partial', ranges: [{ start: 0, end: 9 }] });
    assert.deepEqual(parseRanges('bytes=20000-,30000-', SIZE), { kind: 'unsatisfiable' });
  });

  test('refuses more ranges than the limit with 416, ignores malformed sets (200)', () => {
    const many = Array.from({ length: 65 }, (_, i) => `${i * 100}-${i * 100 + 9}`).join(',');
    assert.deepEqual(parseRanges(`bytes=${many}`, SIZE), { kind: 'unsatisfiable' });
    assert.equal(parseRanges(`bytes=${many}`, SIZE, { maxRanges: 100, mergeGap: 0 }).kind, 'partial');
    for (const header of ['bytes=0-9,x', 'bytes=9-0,20-30', 'bytes=,', 'items=0-9,10-19']) assert.deepEqual(parseRanges(header, SIZE), { kind: 'full' }, header);
  });

  test('mergeSpans keeps far ranges apart', () => {
    assert.deepEqual(mergeSpans([{ start: 1000, end: 1999 }, { start: 0, end: 99 }], 256), [
      { start: 0, end: 99 },
      { start: 1000, end: 1999 },
    ]);
  });
});

describe('multipartBody', () => {
  test('writes each part with its Content-Range and exactly its bytes; the length is announced right', async () => {
    const file = Buffer.from(Array.from({ length: SIZE }, (_, i) => i % 251));
    const spans = [
      { start: 10, end: 19 },
      { start: 9000, end: 9999 },
    ];
    const open = async (): Promise<ByteRanges> => ({
      read: (start, end) => Readable.from([file.subarray(start, end + 1)]),
      close: async () => {},
    });
    const chunks: Buffer[] = [];
    for await (const chunk of multipartBody(open, spans, SIZE, 'application/pdf', 'B')) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    assert.equal(body.length, multipartLength('B', 'application/pdf', spans, SIZE));
    const text = body.toString('latin1');
    assert.ok(text.startsWith('--B\r\nContent-Type: application/pdf\r\nContent-Range: bytes 10-19/10000\r\n\r\n'));
    assert.ok(text.includes('\r\n--B\r\nContent-Type: application/pdf\r\nContent-Range: bytes 9000-9999/10000\r\n\r\n'));
    assert.ok(text.endsWith('\r\n--B--\r\n'));
    const first = body.indexOf('\r\n\r\n') + 4;
    assert.deepEqual([...body.subarray(first, first + 10)], [...file.subarray(10, 20)]);
  });

  test('opens the source once for all parts and closes it when the body ends or is destroyed', async () => {
    const file = Buffer.from(Array.from({ length: SIZE }, (_, i) => i % 251));
    const spans = [
      { start: 0, end: 9 },
      { start: 5000, end: 5099 },
      { start: 9990, end: 9999 },
    ];
    const events: string[] = [];
    const open = async (): Promise<ByteRanges> => {
      events.push('open');
      return {
        read: (start, end) => {
          events.push(`read ${start}`);
          return Readable.from([file.subarray(start, end + 1)]);
        },
        close: async () => void events.push('close'),
      };
    };
    for await (const _ of multipartBody(open, spans, SIZE, 'application/pdf', 'B'));
    assert.deepEqual(events, ['open', 'read 0', 'read 5000', 'read 9990', 'close']);
    events.length = 0;
    const body = multipartBody(open, spans, SIZE, 'application/pdf', 'B');
    for await (const _ of body) break; // the client went away after the first chunk
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(events, ['open', 'read 0', 'close']);
  });
});

describe('openByteRanges', () => {
  test('a file: every range read exactly from one handle, which close lets go of', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sv-ranges-'));
    try {
      const path = join(dir, 'doc.pdf');
      const file = Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 7) % 256));
      await writeFile(path, file);
      const ranges = await openByteRanges(path);
      const read = async (start: number, end: number) => {
        const chunks: Uint8Array[] = [];
        for await (const chunk of ranges.read(start, end)) chunks.push(chunk);
        return Buffer.concat(chunks);
      };
      assert.deepEqual(await read(0, 0), file.subarray(0, 1));
      assert.deepEqual(await read(100, 150_099), file.subarray(100, 150_100));
      assert.deepEqual(await read(199_990, 199_999), file.subarray(199_990));
      // Past the end of a file shorter than its recorded size: an error, not short or wrong bytes.
      await assert.rejects(read(199_990, 200_009), /shorter than its recorded size/);
      await ranges.close();
      await assert.rejects(read(0, 9));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('a range reader: called once per range', async () => {
    const calls: Array<[number, number]> = [];
    const ranges = await openByteRanges(async (start, end) => {
      calls.push([start, end]);
      return Readable.from([Buffer.alloc(end - start + 1, 1)]);
    });
    for (const [start, end] of [[0, 9], [50, 59]] as const) for await (const _ of ranges.read(start, end));
    await ranges.close();
    assert.deepEqual(calls, [[0, 9], [50, 59]]);
  });
});
