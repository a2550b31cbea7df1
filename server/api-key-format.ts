// What an API key looks like: `sv_live_` or `sv_test_`, 32 random base62 characters and a 6-character
// checksum, so a key is recognisable (by people and secret scanners) and a mistyped one is refused
// before any lookup. Only a SHA-256 hash of a key is ever stored: keys are random, not passwords,
// so a fast hash is enough.
import { createHash, randomInt } from 'node:crypto';

export const API_KEY_ENVIRONMENTS = ['live', 'test'] as const;
export type ApiKeyEnvironment = (typeof API_KEY_ENVIRONMENTS)[number];

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BODY_LENGTH = 32;
const CHECKSUM_LENGTH = 6;
const FORMAT = /^sv_(live|test)_([0-9A-Za-z]{32})([0-9A-Za-z]{6})$/;
/** Longer presented values are refused without hashing. */
export const MAX_PRESENTED_KEY_LENGTH = 256;

function checksum(prefixAndBody: string): string {
  let value = createHash('sha256').update(prefixAndBody).digest().readUInt32BE(0);
  let text = '';
  for (let i = 0; i < CHECKSUM_LENGTH; i++) {
    text = ALPHABET[value % 62]! + text;
    value = Math.floor(value / 62);
  }
  return text;
}

/** A new key (about 190 random bits). */
export function generateApiKey(environment: ApiKeyEnvironment): string {
  let body = '';
  for (let i = 0; i < BODY_LENGTH; i++) body += ALPHABET[randomInt(62)];
  const prefixAndBody = `sv_${environment}_${body}`;
  return prefixAndBody + checksum(prefixAndBody);
}

/**
 * `valid`: the new format with a matching checksum; `corrupt`: the new format's prefix with a wrong
 * checksum or shape (a typo: refused at once); `other`: any other value (a key configured before
 * the format existed, looked up by hash).
 */
export function checkApiKeyFormat(presented: string): 'valid' | 'corrupt' | 'other' {
  const match = FORMAT.exec(presented);
  if (match) return checksum(`sv_${match[1]}_${match[2]}`) === match[3] ? 'valid' : 'corrupt';
  return /^sv_(live|test)_/.test(presented) ? 'corrupt' : 'other';
}

/** The stored form of a key. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('base64url');
}

/** What a listing shows of a key: its prefix and first four random characters, never more. */
export function previewApiKey(key: string): string {
  const match = /^(sv_(?:live|test)_)(.{4})/.exec(key);
  return match ? `${match[1]}${match[2]}…` : `${key.slice(0, 3)}…`;
}
