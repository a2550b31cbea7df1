// The body writer of faulty scenarios: the library's document body, sent through a bandwidth
// limiter in small slices, or cut off after N bytes; without either, the library's own writer.
import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { openDocumentBody, pipeBody, type BodyWriter, type ByteSpan } from '../../../server/index.ts';
import type { BandwidthLimiter } from '../../../shared/bandwidth-limiter.ts';

export interface BodyShaping {
  limiter?: BandwidthLimiter | undefined;
  /** Bytes of the body (part heads included) after which the connection is dropped. */
  resetAfterBytes?: number | undefined;
  /** What each part's head announces instead of its span (lying parts). */
  announce?: ((span: ByteSpan) => ByteSpan) | undefined;
}

/** A writer that shapes the body as `shaping` says; with no shaping, the library's pipe. */
export function shapedWriter(shaping: BodyShaping, idleMs: number): BodyWriter {
  return async (body, res) => {
    const stream = await openDocumentBody(body, shaping.announce);
    if (!shaping.limiter && shaping.resetAfterBytes === undefined) return pipeBody(stream, res, idleMs);
    try {
      await writeShaped(stream, res, shaping);
    } finally {
      stream.destroy();
    }
  };
}

/** Sends small slices through the limiter and can destroy the connection mid-body. */
async function writeShaped(stream: Readable, res: ServerResponse, shaping: BodyShaping): Promise<void> {
  const slice = shaping.limiter ? Math.max(1024, Math.min(16 * 1024, Math.floor(shaping.limiter.bytesPerSecond / 20))) : Infinity;
  let written = 0;
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
  res.end();
}
