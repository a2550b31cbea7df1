// The successor a just-rotated refresh token still gets within the grace window, as a shared store
// keeps it: sealed (AES-256-GCM) with a key derived from the rotated token itself. The store holds
// only hashes of tokens, so what it keeps opens for nobody but the holder of the rotated token.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const IV_BYTES = 12;
const TAG_BYTES = 16;

function keyFor(rotatedToken: string): Buffer {
  // A different digest input than the token's stored hash, so the stored hash is not the key.
  return createHash('sha256').update('secure-viewer grace successor\0').update(rotatedToken).digest();
}

/** base64url of iv ‖ ciphertext ‖ tag. */
export function sealGraceSuccessor(rotatedToken: string, successor: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', keyFor(rotatedToken), iv);
  const sealed = Buffer.concat([cipher.update(successor, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, sealed, cipher.getAuthTag()]).toString('base64url');
}

/** The successor, or null when `sealed` was not made with this token (or was altered). */
export function openGraceSuccessor(rotatedToken: string, sealed: string): string | null {
  const bytes = Buffer.from(sealed, 'base64url');
  if (bytes.length <= IV_BYTES + TAG_BYTES) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyFor(rotatedToken), bytes.subarray(0, IV_BYTES));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}
