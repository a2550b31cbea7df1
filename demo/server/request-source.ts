// Where a request comes from, as far as the server can trust it: the client address (through
// trusted proxies only), whether the client's connection is HTTPS, and whether an Origin header
// names this server. The Host header is never trusted for any of these.
import type { IncomingMessage } from 'node:http';
import { clientAddress, throttleKey, type TrustedProxies } from '../../server/index.ts';

/** Origins as a list, or a test of one. */
export type OriginPolicy = string[] | ((origin: string) => boolean);

export class RequestSource {
  readonly #ownOrigins: (origin: string) => boolean;

  constructor(
    private readonly proxies: TrustedProxies,
    ownOrigins: OriginPolicy,
  ) {
    if (typeof ownOrigins === 'function') {
      this.#ownOrigins = ownOrigins;
    } else {
      const list = new Set(ownOrigins);
      this.#ownOrigins = (origin) => list.has(origin);
    }
  }

  /** The client's address: the socket peer, or what a trusted proxy says it forwarded for. */
  address(req: IncomingMessage): string {
    // Repeated headers arrive joined into one list, as X-Forwarded-For is read anyway.
    return clientAddress(req.socket.remoteAddress ?? 'unknown', req.headers['x-forwarded-for']?.toString() ?? null, this.proxies);
  }

  /** What the client is counted under for throttling (IPv6 grouped by /64). */
  throttleKey(req: IncomingMessage): string {
    return throttleKey(this.address(req));
  }

  /** HTTPS on this socket, or `X-Forwarded-Proto: https` from a trusted proxy. */
  isHttps(req: IncomingMessage): boolean {
    if ('encrypted' in req.socket && req.socket.encrypted === true) return true;
    const peer = req.socket.remoteAddress ?? '';
    return this.proxies.contains(peer) && req.headers['x-forwarded-proto']?.toString() === 'https';
  }

  /** True when `origin` is one of the origins this server is configured to be reached at. */
  isOwnOrigin(origin: string): boolean {
    return origin !== 'null' && this.#ownOrigins(origin);
  }
}
