/** Longest token accepted; real JWTs are far shorter, and a header has to stay bounded. */
export const MAX_TOKEN_LENGTH = 8192;

// Visible ASCII only: no spaces, no control characters, so a token can never split a header.
const TOKEN_PATTERN = /^[\x21-\x7e]+$/;

/** True for a string that is safe to put after `Bearer ` in a header. */
export function isWellFormedToken(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_TOKEN_LENGTH && TOKEN_PATTERN.test(value);
}
