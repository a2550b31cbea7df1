// Document access passwords: scrypt hashes (B-10), constant-time comparison and equal work for
// unknown documents (B-11), and a cap on concurrent hash jobs (scrypt is a memory-hard DoS lever).
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export interface PasswordHash {
  algorithm: 'scrypt';
  N: number;
  r: number;
  p: number;
  salt: string; // base64
  hash: string; // base64
}

export const DEFAULT_SCRYPT_COST = 2 ** 17;
const BLOCK_SIZE = 8;
const PARALLELISM = 1;
const KEY_LENGTH = 32;
/** Longer inputs are refused before hashing (B-11). */
export const MAX_PASSWORD_BYTES = 1024;
const MAX_CONCURRENT_HASHES = 4;

function derive(password: string, salt: Buffer, params: { N: number; r: number; p: number }): Promise<Buffer> {
  // Node's default maxmem (32 MiB) is below what N=2^17, r=8 needs (~128 MiB): raise it (B-10).
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

export class PasswordHasher {
  #running = 0;
  readonly #waiting: Array<() => void> = [];
  readonly #dummy: Promise<PasswordHash>;

  constructor(readonly cost: number = DEFAULT_SCRYPT_COST) {
    // Verified against when a document has no password or does not exist, so every path costs the same.
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
    while (this.#running >= MAX_CONCURRENT_HASHES) {
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    }
    this.#running++;
    try {
      return await job();
    } finally {
      this.#running--;
      this.#waiting.shift()?.();
    }
  }
}
