// Document access passwords: scrypt hashes, constant-time comparison, the same work for unknown
// documents as for known ones, and bounded hashing: a few jobs at once and a short queue, because
// a memory-hard KDF is a lever for denial of service.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** A stored scrypt hash with its parameters. */
export interface PasswordHash {
  algorithm: 'scrypt';
  N: number;
  r: number;
  p: number;
  /** base64 */
  salt: string;
  /** base64 */
  hash: string;
}

/** scrypt N=2^17, r=8, p=1: OWASP's recommended row. */
export const DEFAULT_SCRYPT_COST = 2 ** 17;
const BLOCK_SIZE = 8;
const PARALLELISM = 1;
const KEY_LENGTH = 32;
/** Longer inputs are refused before hashing. */
export const MAX_PASSWORD_BYTES = 1024;
export const DEFAULT_MAX_CONCURRENT_HASHES = 4;
export const DEFAULT_MAX_QUEUED_HASHES = 32;

/** The hashing queue is full; the caller should answer 503 with Retry-After. */
export class HasherBusyError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super('password hashing is busy');
  }
}

function derive(password: string, salt: Buffer, params: { N: number; r: number; p: number }): Promise<Buffer> {
  // Node's default maxmem (32 MiB) is below what N=2^17, r=8 needs (~128 MiB): raise it.
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

export interface PasswordHasherOptions {
  /** scrypt N for new hashes; default 2^17. */
  cost?: number;
  /** Hash jobs running at once; default 4. */
  maxConcurrent?: number;
  /** Jobs allowed to wait; one more is refused with {@link HasherBusyError}. Default 32. */
  maxQueued?: number;
}

export class PasswordHasher {
  readonly cost: number;
  readonly #maxConcurrent: number;
  readonly #maxQueued: number;
  #running = 0;
  readonly #waiting: Array<() => void> = [];
  readonly #dummy: Promise<PasswordHash>;

  constructor(options: PasswordHasherOptions | number = {}) {
    const settings = typeof options === 'number' ? { cost: options } : options;
    this.cost = settings.cost ?? DEFAULT_SCRYPT_COST;
    this.#maxConcurrent = settings.maxConcurrent ?? DEFAULT_MAX_CONCURRENT_HASHES;
    this.#maxQueued = settings.maxQueued ?? DEFAULT_MAX_QUEUED_HASHES;
    // Compared against when a document has no password or does not exist, so every path costs the same.
    this.#dummy = this.hash(randomBytes(16).toString('base64'));
  }

  async hash(password: string): Promise<PasswordHash> {
    const salt = randomBytes(16);
    const params = { N: this.cost, r: BLOCK_SIZE, p: PARALLELISM };
    const key = await this.#limited(() => derive(password, salt, params));
    return { algorithm: 'scrypt', ...params, salt: salt.toString('base64'), hash: key.toString('base64') };
  }

  /** Always runs one scrypt; `stored` null means "no such password", which never matches. */
  async verify(password: string, stored: PasswordHash | null | undefined): Promise<boolean> {
    const target = stored ?? (await this.#dummy);
    const expected = Buffer.from(target.hash, 'base64');
    const key = await this.#limited(() =>
      derive(password, Buffer.from(target.salt, 'base64'), { N: target.N, r: target.r, p: target.p }),
    );
    // timingSafeEqual throws on unequal lengths; both are KEY_LENGTH unless the record is corrupt.
    const same = key.length === expected.length && timingSafeEqual(key, expected);
    return same && stored !== null && stored !== undefined;
  }

  async #limited<T>(job: () => Promise<T>): Promise<T> {
    if (this.#running >= this.#maxConcurrent) {
      if (this.#waiting.length >= this.#maxQueued) throw new HasherBusyError(1);
      // A finishing job hands its slot straight to the next waiter, so the cap is never exceeded.
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    } else {
      this.#running++;
    }
    try {
      return await job();
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#running--;
    }
  }
}
