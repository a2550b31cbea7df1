// Long-lived secrets in the data folder: the token signing key pair and the generated API key.
// Files are created with mode 0600. Production deployments should keep the private key in a
// KMS/HSM or secret store instead (see README).
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';

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

async function readIfExists(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

export async function loadOrCreateSigningKeys(dataDir: string): Promise<SigningKeys> {
  const folder = path.join(dataDir, 'keys');
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const file = path.join(folder, 'signing-key.jwk.json');
  const existing = await readIfExists(file);
  let stored: StoredKeyPair;
  if (existing) {
    stored = JSON.parse(existing) as StoredKeyPair;
  } else {
    const pair = await generateKeyPair(SIGNING_ALGORITHM, { extractable: true });
    stored = {
      kid: randomBytes(8).toString('base64url'),
      privateJwk: await exportJWK(pair.privateKey),
      publicJwk: await exportJWK(pair.publicKey),
    };
    await writeFile(file, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
  }
  return {
    kid: stored.kid,
    privateKey: (await importJWK(stored.privateJwk, SIGNING_ALGORITHM)) as CryptoKey,
    publicKey: (await importJWK(stored.publicJwk, SIGNING_ALGORITHM)) as CryptoKey,
  };
}

/** Returns the stored API key, creating one (256 bits) on first start; `created` says which. */
export async function loadOrCreateApiKey(dataDir: string): Promise<{ apiKey: string; created: boolean }> {
  const file = path.join(dataDir, 'api-key');
  const existing = (await readIfExists(file))?.trim();
  if (existing) return { apiKey: existing, created: false };
  const apiKey = `sv_${randomBytes(32).toString('base64url')}`;
  await writeFile(file, `${apiKey}\n`, { mode: 0o600 });
  return { apiKey, created: true };
}
