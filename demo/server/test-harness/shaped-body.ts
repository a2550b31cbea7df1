// Writes a file range as a response body, optionally shaped by faults: sent through a bandwidth
// limiter, or cut off after N bytes.
import { createReadStream } from 'node:fs';
import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { BandwidthLimiter } from './bandwidth-limiter.ts';

export interface BodyShaping {
  limiter?: BandwidthLimiter | undefined;
  resetAfterBytes?: number | undefined;
  /** More follows (another part of a multipart answer): leave the response open. */
  more?: boolean;
}

/**
 * Streams [start, end] of a file to the response, without buffering the file. With shaping it
 * sends small slices through the limiter and can destroy the connection mid-body.
 */
export async function writeFileRange(res: ServerResponse, file: string, start: number, end: number, shaping: BodyShaping): Promise<void> {
  const stream = createReadStream(file, { start, end, highWaterMark: 64 * 1024 });
  const slice = shaping.limiter ? Math.max(1024, Math.min(16 * 1024, Math.floor(shaping.limiter.bytesPerSecond / 20))) : Infinity;
  let written = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      for (let offset = 0; offset < chunk.length; offset += slice) {
        if (res.destroyed) return;
        let piece = chunk.subarray(offset, Math.min(chunk.length, offset + slice));
        const reset = shaping.resetAfterBytes;
        const cut = reset !== undefined && written + piece.length > reset;
        if (cut) piece = piece.subarray(0, reset - written);
        if (shaping.limiter) await shaping.limiter.take(piece.length);
        if (res.destroyed) return;
        written += piece.length;
        const flushed = res.write(piece);
        if (cut) {
          // Let the partial body reach the client (written, then read on its side: a reset can
          // discard what it has not read yet), then drop the connection mid-response.
          await new Promise<void>((resolve) => res.write('', () => resolve()));
          await new Promise((resolve) => setTimeout(resolve, 50));
          res.socket?.destroy();
          res.destroy();
          return;
        }
        if (!flushed) {
          // Abort the losing `once` so each backpressure wait leaves no listeners behind.
          const waiting = new AbortController();
          try {
            await Promise.race([once(res, 'drain', { signal: waiting.signal }), once(res, 'close', { signal: waiting.signal })]);
          } finally {
            waiting.abort();
          }
        }
      }
    }
    if (!shaping.more) res.end();
  } finally {
    stream.destroy();
  }
}
