// Where a document's bytes come from: a file path, or a function that streams a byte range (so
// documents can live in object storage). Either way only the requested range is read.
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

/** Streams bytes `start` to `end` inclusive. */
export type ByteRangeReader = (start: number, end: number) => Readable | WebReadableStream<Uint8Array> | Promise<Readable | WebReadableStream<Uint8Array>>;

/** A file path, or a range reader. */
export type ByteSource = string | ByteRangeReader;

/** Opens bytes `start` to `end` (inclusive) of a source as a Node stream. */
export async function openByteRange(source: ByteSource, start: number, end: number): Promise<Readable> {
  if (typeof source === 'string') return createReadStream(source, { start, end, highWaterMark: 64 * 1024 });
  const stream = await source(start, end);
  return stream instanceof Readable ? stream : Readable.fromWeb(stream);
}
