// Fault injection for test scenarios: the fault set a test asks for, validated, plus the shared
// bandwidth limiter and the body writer that can cut a connection after N bytes.
import { createReadStream } from 'node:fs';
import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { sleep } from '../http.ts';
import type { Faults } from './test-switch-types.ts';

export type { Faults };


const NUMBER_FAULTS = [
  'status',
  'after',
  'retryAfter',
  'unauthorizedAfter',
  'truncateTo',
  'resetAfterBytes',
  'bandwidth',
  'latency',
  'etagChangeAfter',
] as const;
const BOOLEAN_FAULTS = ['html', 'ignoreRange', 'badContentRange', 'hang'] as const;

/** Validates a fault object from a test; unknown or ill-typed fields are an error, not ignored. */
export function parseFaults(input: unknown): Faults {
  if (input === undefined || input === null) return {};
  if (typeof input !== 'object' || Array.isArray(input)) throw new Error('faults must be an object');
  const faults: Faults = {};
  for (const [name, value] of Object.entries(input as Record<string, unknown>)) {
    if ((NUMBER_FAULTS as readonly string[]).includes(name)) {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number ≥ 0`);
      faults[name as (typeof NUMBER_FAULTS)[number]] = value;
    } else if ((BOOLEAN_FAULTS as readonly string[]).includes(name)) {
      if (typeof value !== 'boolean') throw new Error(`${name} must be a boolean`);
      faults[name as (typeof BOOLEAN_FAULTS)[number]] = value;
    } else if (name === 'multiRange') {
      if (value !== 'ignore' && value !== 'merge' && value !== 'lie') throw new Error('multiRange must be ignore, merge or lie');
      faults.multiRange = value;
    } else if (name === 'redirectTo') {
      if (typeof value !== 'string') throw new Error('redirectTo must be a string');
      faults.redirectTo = value;
    } else {
      throw new Error(`unknown fault ${name}`);
    }
  }
  if (faults.status !== undefined && (faults.status < 100 || faults.status > 599)) throw new Error('status out of range');
  return faults;
}

/** One bucket per scenario, so parallel range requests share the configured bandwidth. */
export class BandwidthLimiter {
  #nextFree = 0;

  constructor(readonly bytesPerSecond: number) {}

  /** Resolves when `bytes` may be sent. */
  async take(bytes: number): Promise<void> {
    const now = Date.now();
    const start = Math.max(now, this.#nextFree);
    this.#nextFree = start + (bytes / this.bytesPerSecond) * 1000;
    const wait = this.#nextFree - now;
    if (wait > 1) await sleep(wait);
  }
}

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
          // Let the partial body reach the client, then drop the connection mid-response.
          await new Promise<void>((resolve) => res.write('', () => resolve()));
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
