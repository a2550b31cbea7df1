// Bounds on document bodies being sent, against readers who stop reading: such a body keeps its
// socket and its file open for as long as the client likes, and a few hundred of them fill the
// server's connection cap. A body that accepts no bytes for a while is ended (socket and file
// closed), and one token or one client address may have only so many bodies open at once.
import type { Readable } from 'node:stream';

export interface StreamLimits {
  /** A body that takes no bytes for this long is ended, its source closed; default 30 s. */
  idleTimeoutMs: number;
  /** Bodies one token may have open at once (a viewer opens at most 6); default 16. */
  perToken: number;
  /** Bodies one client address may have open at once; default 64. */
  perClient: number;
}

export const DEFAULT_STREAM_LIMITS: StreamLimits = { idleTimeoutMs: 30_000, perToken: 16, perClient: 64 };

/** Thrown into a body that took no bytes for too long: the writer closes the response. */
export class IdleBodyError extends Error {
  constructor() {
    super('The client took no bytes of the body for too long.');
  }
}

/** The bodies open right now, counted per token and per client address. */
export class OpenStreams {
  readonly limits: StreamLimits;
  readonly #byToken = new Map<string, number>();
  readonly #byClient = new Map<string, number>();

  constructor(limits: Partial<StreamLimits> = {}) {
    this.limits = { ...DEFAULT_STREAM_LIMITS, ...limits };
  }

  /**
   * Counts one more body for `token` and `client` (null: not known, not counted), or refuses
   * (null) when either already has its most. The returned function lets the body go; calling it
   * more than once counts once.
   */
  admit(token: string, client: string | null): (() => void) | null {
    if ((this.#byToken.get(token) ?? 0) >= this.limits.perToken) return null;
    if (client !== null && (this.#byClient.get(client) ?? 0) >= this.limits.perClient) return null;
    add(this.#byToken, token, 1);
    if (client !== null) add(this.#byClient, client, 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      add(this.#byToken, token, -1);
      if (client !== null) add(this.#byClient, client, -1);
    };
  }
}

function add(counts: Map<string, number>, key: string, delta: number): void {
  const next = (counts.get(key) ?? 0) + delta;
  if (next <= 0) counts.delete(key);
  else counts.set(key, next);
}

/**
 * Ends `body` with {@link IdleBodyError} when no chunk of it is taken for `idleMs`: a writer held
 * by backpressure stops taking chunks, so a client that stops reading trips it, a slow one does
 * not. The body's own end or destruction stops the watch.
 */
export function endWhenIdle(body: Readable, idleMs: number): void {
  // With no one to hear it (a web body not yet read), an error would be an uncaught exception.
  const timer = setTimeout(() => body.destroy(body.listenerCount('error') > 0 ? new IdleBodyError() : undefined), idleMs);
  timer.unref();
  // A second 'data' listener, added once the writer set the body flowing (a listener added
  // earlier would start the flow itself, and chunks would go to it alone).
  body.once('resume', () => body.on('data', () => timer.refresh()));
  body.once('close', () => clearTimeout(timer));
}
