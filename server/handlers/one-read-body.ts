// A small range of a file (at most one read's worth, the size pdf.js asks for) sent the cheap way:
// read whole from a file stream (one read, the file closed as it ends) and written to the response
// in one go, without piping: no pipe state, no listeners on the response for it, no idle watch on
// the stream. The bounds still hold: a response the client does not take in full within the idle
// time is ended, and the body's place under the per-token and per-address bounds is given back
// when its response closes.
import { createReadStream } from 'node:fs';
import type { ServerResponse } from 'node:http';

/** Ranges up to this many bytes are read whole rather than piped (a file stream's chunk). */
export const ONE_READ_BYTES = 64 * 1024;

/** Bytes `start` to `start + length - 1` of a file, in one buffer; the file is closed as the read ends. */
export function readFileSpan(file: string, start: number, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const stream = createReadStream(file, { start, end: start + length - 1, highWaterMark: ONE_READ_BYTES });
    const chunks: Buffer[] = [];
    let received = 0;
    stream.on('data', (chunk) => {
      // No encoding is set: chunks are Buffers.
      chunks.push(chunk as Buffer);
      received += chunk.length;
    });
    stream.once('error', reject);
    stream.once('end', () => {
      // A file shorter than its recorded size: refused rather than answered with too few bytes.
      if (received !== length) reject(new Error('The document file is shorter than its recorded size.'));
      else resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received));
    });
  });
}

function destroyResponse(res: ServerResponse): void {
  res.destroy();
}

/**
 * Writes `buffer` as the whole body and ends the response; destroys it (and its socket) when the
 * client has not taken it all within `idleMs` (one write: there is no progress to watch in between).
 * The timer stops when the response closes, through `watch` (from {@link watchClose}).
 */
export function endWithin(res: ServerResponse, buffer: Buffer, idleMs: number, watch: ClosingWatch): void {
  const timer = setTimeout(destroyResponse, idleMs, res);
  timer.unref();
  watch.timer = timer;
  res.end(buffer);
}

/** What runs when a buffered response closes: the idle timer stops and the body's place is given back. */
export interface ClosingWatch {
  timer: ReturnType<typeof setTimeout> | null;
}

/**
 * Calls `release` once `res` closes (finished, failed or abandoned by the client) and stops the
 * idle timer set later by {@link endWithin}. Returns null when the response is closed already:
 * the client went away while the request was decided, and `release` has run.
 */
export function watchClose(res: ServerResponse, release: () => void): ClosingWatch | null {
  if (res.destroyed) {
    release();
    return null;
  }
  const watch: ClosingWatch = { timer: null };
  res.once('close', () => {
    if (watch.timer) clearTimeout(watch.timer);
    release();
  });
  return watch;
}
