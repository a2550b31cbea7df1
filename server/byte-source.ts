// Where a document's bytes come from: a file path, or a function that streams a byte range (so
// documents can live in object storage). Either way only the requested range is read.
import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
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

/** The ranges of one multi-range answer, read from one opening of a source. */
export interface ByteRanges {
  /** Bytes `start` to `end` (inclusive), as they are read. */
  read(start: number, end: number): AsyncIterable<Uint8Array>;
  /** Lets go of the source (the file's handle); called once the answer ends or is aborted. */
  close(): Promise<void>;
}

const READ_BYTES = 64 * 1024;

/**
 * Opens a source for several ranges: a file once, every range read from that one handle (not a
 * stream and a descriptor per part); a range reader is called once per range.
 */
export async function openByteRanges(source: ByteSource): Promise<ByteRanges> {
  if (typeof source !== 'string') {
    return { read: (start, end) => streamOf(() => openByteRange(source, start, end)), close: async () => {} };
  }
  const handle = await open(source, 'r');
  return { read: (start, end) => readFrom(handle, start, end), close: () => handle.close() };
}

async function* streamOf(opening: () => Promise<Readable>): AsyncGenerator<Uint8Array> {
  for await (const chunk of await opening()) yield chunk as Uint8Array;
}

async function* readFrom(handle: FileHandle, start: number, end: number): AsyncGenerator<Uint8Array> {
  for (let position = start; position <= end; ) {
    const length = Math.min(READ_BYTES, end + 1 - position);
    const { bytesRead, buffer } = await handle.read(Buffer.allocUnsafe(length), 0, length, position);
    // A file shorter than its recorded size: the answer breaks off rather than carry wrong bytes.
    if (bytesRead === 0) throw new Error('The document file is shorter than its recorded size.');
    yield buffer.subarray(0, bytesRead);
    position += bytesRead;
  }
}
