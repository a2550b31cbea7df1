// Sends reader events to the host's `analytics-url` in batches, with the document's token in the
// Authorization header: through the token session, so a 401 renews once (shared with the
// document's own requests) and the batch is sent again with the new token. When the page goes
// away, what is queued goes out with `keepalive` (sendBeacon cannot carry the header).
import type { TokenAccess } from '../fetch/document-client.ts';

/** One event as sent: its kind, its detail's fields and the reader's clock (epoch ms). */
export type SentEvent = { type: string; at: number } & Record<string, unknown>;

export interface EventSenderOptions {
  url: string;
  tokens: TokenAccess;
  /** A batch goes out once this many events are queued… */
  batchSize?: number;
  /** …or this long after the first of them was. */
  delayMs?: number;
}

/** Events one request carries at most (the server takes up to 100). */
const MAX_BATCH = 50;
/** Events queued at most while sending fails; the oldest are dropped first. */
const MAX_QUEUED = 500;

export class EventSender {
  readonly #options: EventSenderOptions;
  #queue: SentEvent[] = [];
  #timer: ReturnType<typeof setTimeout> | null = null;
  #stopped = false;

  constructor(options: EventSenderOptions) {
    this.#options = options;
  }

  add(event: SentEvent): void {
    if (this.#stopped) return;
    this.#queue.push(event);
    if (this.#queue.length > MAX_QUEUED) this.#queue.splice(0, this.#queue.length - MAX_QUEUED);
    if (this.#queue.length >= (this.#options.batchSize ?? 20)) void this.flush();
    else this.#timer ??= setTimeout(() => void this.flush(), this.#options.delayMs ?? 5000);
  }

  /**
   * Sends everything queued, `keepalive` when the page is going away (the request then outlives
   * it). Resolves when the requests have ended; a batch that could not be sent is queued again.
   */
  async flush(keepalive = false): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const batches: SentEvent[][] = [];
    while (this.#queue.length > 0) batches.push(this.#queue.splice(0, MAX_BATCH));
    await Promise.all(batches.map((batch) => this.#send(batch, keepalive)));
  }

  /** Sends what is queued with keepalive and takes no more events. */
  stop(): void {
    void this.flush(true);
    this.#stopped = true;
  }

  async #send(events: SentEvent[], keepalive: boolean): Promise<void> {
    const { tokens } = this.#options;
    let response: Response | null;
    try {
      let token = await tokens.token();
      response = await this.#post(events, token, keepalive);
      // Once stopped (the document closed), the session may already be the next document's, whose
      // token must not go here: a 401 then ends the batch.
      if (response?.status === 401 && !this.#stopped) {
        token = await tokens.renewAfterRejection(token);
        response = await this.#post(events, token, keepalive);
        // A fresh token refused too: this endpoint will not take them, and more renewals would
        // spend the budget the document's own requests need.
        if (response?.status === 401) this.#stopped = true;
      }
    } catch {
      // No token any more (the session failed or closed): nothing can be sent.
      return;
    }
    // Offline, throttled or a server error: kept for the next batch. Refused for good (400, 403,
    // 404, 413, a second 401): sending it again would not help.
    if (!response || response.status === 429 || response.status >= 500) this.#requeue(events);
  }

  /** The server's answer, or null when none came (offline, refused by CORS). */
  #post(events: SentEvent[], token: string, keepalive: boolean): Promise<Response | null> {
    return fetch(this.#options.url, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ events }),
      keepalive,
      credentials: 'omit',
      redirect: 'error',
      cache: 'no-store',
    }).catch(() => null);
  }

  #requeue(events: SentEvent[]): void {
    if (this.#stopped) return;
    this.#queue.unshift(...events);
    if (this.#queue.length > MAX_QUEUED) this.#queue.length = MAX_QUEUED;
    this.#timer ??= setTimeout(() => void this.flush(), this.#options.delayMs ?? 5000);
  }
}
