import { ViewerError } from '../../errors.ts';
import type { ByteRange, RangesResult } from '../byte-ranges.ts';
import { parseContentRange } from '../content-range.ts';
import { byterangesBoundary, MultipartByteRangesReader, type BytesPart } from './multipart-byteranges.ts';

/**
 * A single part answering a multi-range request may cover the gaps between the ranges, up to about
 * as much again as was asked; a larger one (the file from the first range to the last) is dropped.
 */
const MAX_MERGED_OVERHEAD = 65_536;

/** What reading an answer needs of the request it answers. */
export interface RangesAnswerContext {
  /** The file size the first answer gave. */
  total: number;
  onRange: (begin: number, bytes: Uint8Array) => void;
  onAnswer: (answer: RangesResult['answer']) => void;
  /** Drops the answer: this server serves one range per request. */
  refuse: (response: Response) => Promise<'single-only'>;
  /** Reads the body chunk by chunk (progress, stall timeout); `onChunk` returning false cancels it. */
  readChunks: (onChunk: (bytes: Uint8Array) => boolean) => Promise<void>;
  readBody: () => Promise<Uint8Array>;
}

/**
 * Reads a 206 answer to several ranges (`pending`, sorted) and hands each range to `onRange` as
 * its bytes come, taking it off `pending`. A `multipart/byteranges` body is read as it streams;
 * each part must be one of the ranges asked, or one range the server merged them into. A single
 * part that covers them all, without much more, is taken too; one that does not, or is far
 * larger, is refused.
 */
export async function readRangesAnswer(response: Response, pending: ByteRange[], context: RangesAnswerContext): Promise<RangesResult['answer']> {
  const { total, onRange, onAnswer } = context;
  const boundary = byterangesBoundary(response.headers.get('Content-Type'));
  if (boundary) {
    onAnswer('multipart');
    const reader = new MultipartByteRangesReader(boundary, total);
    await context.readChunks((chunk) => {
      for (const part of reader.push(chunk)) placePart(part, pending, onRange);
      return true;
    });
    reader.finish();
    return 'multipart';
  }
  const range = parseContentRange(response.headers.get('Content-Range'));
  const first = pending[0];
  const last = pending.at(-1);
  const asked = pending.reduce((sum, [begin, end]) => sum + end - begin, 0);
  if (
    !range ||
    !first ||
    !last ||
    range.total !== total ||
    range.start > first[0] ||
    range.end + 1 < last[1] ||
    range.end + 1 - range.start > 2 * asked + MAX_MERGED_OVERHEAD
  ) {
    return context.refuse(response);
  }
  onAnswer('multipart');
  const bytes = await context.readBody();
  if (bytes.byteLength !== range.end + 1 - range.start) throw new ViewerError('invalid-document', { status: 206 });
  placePart({ begin: range.start, end: range.end + 1, bytes }, pending, onRange, true);
  return 'multipart';
}

/**
 * Hands out the asked ranges a part brings and takes them off `pending`. A part must be one of
 * them, or one range the server merged several into (from the first one's start to the last
 * one's end); `covering` also allows a single part larger than the ranges it holds. Anything
 * else, a part for a range not asked or already delivered included, is a server that cannot be
 * trusted with this document.
 */
function placePart(part: BytesPart, pending: ByteRange[], onRange: (begin: number, bytes: Uint8Array) => void, covering = false): void {
  const inside = pending.filter(([begin, end]) => begin >= part.begin && end <= part.end);
  const straddling = pending.some(([begin, end]) => begin < part.end && end > part.begin && !(begin >= part.begin && end <= part.end));
  const exact = inside.length > 0 && inside[0]![0] === part.begin && inside.at(-1)![1] === part.end;
  if (inside.length === 0 || straddling || (!exact && !covering)) throw new ViewerError('invalid-document', { status: 206 });
  for (const range of inside) {
    const [begin, end] = range;
    onRange(begin, part.bytes.subarray(begin - part.begin, end - part.begin));
    pending.splice(pending.indexOf(range), 1);
  }
}
