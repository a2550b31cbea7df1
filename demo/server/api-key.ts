// The API key of the host-backend endpoints: compared in constant time, and generated into the
// data folder (0600) on first start when none is configured.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { createFileOnce } from '../../server/write-file-atomic.ts';
import { HttpError, bearerToken, headerValue } from './http.ts';

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Constant-time: both sides are hashed to equal length before comparing. */
export function apiKeyMatches(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected));
}

/** Accepts `Authorization: Bearer <key>` or `X-Api-Key: <key>`. */
export function requireApiKey(req: IncomingMessage, expected: string): void {
  const presented = bearerToken(req) ?? headerValue(req, 'x-api-key');
  if (presented === null || !apiKeyMatches(presented, expected)) {
    throw new HttpError(401, 'invalid_api_key', 'A valid API key is required.', { 'WWW-Authenticate': 'Bearer realm="secure-viewer-api"' });
  }
}

/** Returns the stored API key, creating one (256 bits) on first start; `created` says which. */
export async function loadOrCreateApiKey(dataDir: string): Promise<{ apiKey: string; created: boolean }> {
  const file = path.join(dataDir, 'api-key');
  const existing = (await readFile(file, 'utf8').catch(() => '')).trim();
  if (existing) return { apiKey: existing, created: false };
  const candidate = `sv_${randomBytes(32).toString('base64url')}`;
  // Instances starting together on a fresh folder keep the first key written.
  if (await createFileOnce(file, `${candidate}\n`)) return { apiKey: candidate, created: true };
  return { apiKey: (await readFile(file, 'utf8')).trim(), created: false };
}
