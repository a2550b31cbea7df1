// The API keys of the host-backend endpoints: every request names a scope, and the library's
// registry checks the key (hash lookup, revocation, scope, failures per client address). A fresh
// deployment gets one key with every scope, shown once; a key file of an older version is adopted
// (kept as a hash from then on) and removed.
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { API_KEY_SCOPES, bearerCredential, type ApiKeyInfo, type ApiKeyRegistry, type ApiKeyScope, type ClientInfo } from '../../server/index.ts';
import type { BackendContext } from './context.ts';
import { HttpError } from './http.ts';

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Constant-time: both sides are hashed to equal length before comparing. */
export function apiKeyMatches(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected));
}

/**
 * Accepts `Authorization: Bearer <key>` or `X-Api-Key: <key>` with `scope`; throws the error reply
 * otherwise. Failures are counted per `client` address.
 */
export async function requireApiKey(request: Request, client: ClientInfo, ctx: Pick<BackendContext, 'apiKeys'>, scope: ApiKeyScope): Promise<ApiKeyInfo> {
  const presented = bearerCredential(request.headers.get('authorization')) ?? request.headers.get('x-api-key');
  const check = await ctx.apiKeys.authenticate(presented, scope, client.key);
  if (check.ok) return check.key;
  if (check.status === 403) throw new HttpError(403, 'insufficient_scope', `This API key does not have the "${scope}" scope.`);
  if (check.status === 429) {
    throw new HttpError(429, 'rate_limited', `Too many failed API key attempts. Try again in ${check.retryAfterSeconds} s.`, {
      'Retry-After': String(check.retryAfterSeconds),
    });
  }
  throw new HttpError(401, 'invalid_api_key', 'A valid API key is required.', { 'WWW-Authenticate': 'Bearer realm="secure-viewer-api"' });
}

/**
 * The key this start can tell its operator: a configured one; one adopted from `<dataDir>/api-key`
 * (written by older versions in plain text: now kept as a hash, and the file removed); or, when
 * there is no key at all, a new one with every scope (`created`, to be shown once). Empty when keys
 * exist already (another instance created the first one).
 */
export async function bootstrapApiKey(registry: ApiKeyRegistry, dataDir: string, configured: string | undefined, log: (line: string) => void): Promise<{ apiKey: string; created: boolean }> {
  if (configured) return { apiKey: configured, created: false };
  const file = path.join(dataDir, 'api-key');
  const legacy = (await readFile(file, 'utf8').catch(() => '')).trim();
  if (legacy) {
    await registry.adopt({ name: 'api-key file', key: legacy, scopes: API_KEY_SCOPES });
    await rm(file, { force: true });
    log(`the API key of ${file} is now kept as a hash only; the file was removed`);
    return { apiKey: legacy, created: false };
  }
  const first = await registry.createFirst({ name: 'default', scopes: API_KEY_SCOPES });
  return first ? { apiKey: first.key, created: true } : { apiKey: '', created: false };
}
