// The token signing key pair (Ed25519), kept as JWK in the data folder (0600). Instances that
// start together on a fresh folder all end up with the one key the first of them wrote.
// Production deployments should keep the private key in a KMS/HSM or secret store instead.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import { readIfExists } from './read-if-exists.ts';
import { createFileOnce } from './write-file-atomic.ts';

export const SIGNING_ALGORITHM = 'EdDSA';

export interface SigningKeys {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  /** Key id published in the JWT header; verification never looks it up anywhere else. */
  kid: string;
}

interface StoredKeyPair {
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
}

/** A key pair as a store keeps it: JWKs, and when it was made (ms). */
export interface StoredSigningKey extends StoredKeyPair {
  createdAt: number;
}

/** The stored form of a key pair (the private key must be extractable, as generated here). */
export async function toStoredKey(keys: SigningKeys, createdAt: number): Promise<StoredSigningKey> {
  return { kid: keys.kid, createdAt, privateJwk: await exportJWK(keys.privateKey), publicJwk: await exportJWK(keys.publicKey) };
}

/** The usable key pair of a stored one. */
export async function fromStoredKey(stored: StoredKeyPair): Promise<SigningKeys> {
  return {
    kid: stored.kid,
    // Extractable, so a key read from a file can become the first key of a stored set.
    privateKey: (await importJWK(stored.privateJwk, SIGNING_ALGORITHM, { extractable: true })) as CryptoKey,
    publicKey: (await importJWK(stored.publicJwk, SIGNING_ALGORITHM)) as CryptoKey,
  };
}

/** A new key pair with a random key id. */
export async function generateSigningKeys(): Promise<SigningKeys> {
  const pair = await generateKeyPair(SIGNING_ALGORITHM, { extractable: true });
  return { kid: randomBytes(8).toString('base64url'), privateKey: pair.privateKey, publicKey: pair.publicKey };
}

/** Reads `<dataDir>/keys/signing-key.jwk.json`, creating it on first use. */
export async function loadOrCreateSigningKeys(dataDir: string): Promise<SigningKeys> {
  const folder = path.join(dataDir, 'keys');
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const file = path.join(folder, 'signing-key.jwk.json');
  let text = await readIfExists(file);
  if (text === null) {
    const keys = await generateSigningKeys();
    const stored: StoredKeyPair = { kid: keys.kid, privateJwk: await exportJWK(keys.privateKey), publicJwk: await exportJWK(keys.publicKey) };
    // Whoever loses the race reads the winner's key, so every instance signs with the same one.
    if (await createFileOnce(file, `${JSON.stringify(stored, null, 2)}\n`)) return keys;
    text = await readFile(file, 'utf8');
  }
  return fromStoredKey(JSON.parse(text) as StoredKeyPair);
}
