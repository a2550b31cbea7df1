// API key management over HTTP (scope `keys`): list, create (the key is in this one answer only)
// and revoke. The library's registry audits every operation, never a key.
// Each route is `Request → Response`, given who sent it (the API-key check counts failures per client).
import { API_KEY_ENVIRONMENTS, isApiKeyScope, jsonResponse, type ApiKeyEnvironment, type ApiKeyInfo, type ClientInfo } from '../../server/index.ts';
import { requireApiKey } from './api-key.ts';
import type { BackendContext } from './context.ts';
import { HttpError, jsonBody, notFound } from './http.ts';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** A key as the API shows it: never the key, never its hash. */
export function describeApiKey(info: ApiKeyInfo) {
  return {
    id: info.id,
    name: info.name,
    environment: info.environment,
    scopes: info.scopes,
    preview: info.preview,
    created_at: iso(info.configured ? null : info.createdAt),
    last_used_at: iso(info.lastUsedAt),
    revoked_at: iso(info.revokedAt),
    configured: info.configured,
  };
}

/** GET /api/keys */
export async function listApiKeys(request: Request, client: ClientInfo, ctx: BackendContext): Promise<Response> {
  await requireApiKey(request, client, ctx, 'keys');
  return jsonResponse(200, { keys: (await ctx.apiKeys.list()).map(describeApiKey) });
}

/** POST /api/keys `{name, scopes, environment?}` → 201 with the key, shown this once. */
export async function createApiKey(request: Request, client: ClientInfo, ctx: BackendContext): Promise<Response> {
  await requireApiKey(request, client, ctx, 'keys');
  const body = await jsonBody(request);
  const { name, scopes, environment = 'live' } = body;
  if (typeof name !== 'string' || !Array.isArray(scopes) || !scopes.every(isApiKeyScope)) {
    throw new HttpError(400, 'invalid_request', 'name must be a string and scopes a list of tokens, upload, revoke, list, keys.');
  }
  if (!(API_KEY_ENVIRONMENTS as readonly unknown[]).includes(environment)) throw new HttpError(400, 'invalid_request', 'environment must be live or test.');
  let created;
  try {
    created = await ctx.apiKeys.create({ name, scopes, environment: environment as ApiKeyEnvironment });
  } catch (error) {
    if (error instanceof RangeError) throw new HttpError(400, 'invalid_request', error.message);
    throw error;
  }
  return jsonResponse(201, { ...describeApiKey(created.info), key: created.key });
}

/** POST /api/keys/:id/revoke */
export async function revokeApiKey(request: Request, client: ClientInfo, id: string, ctx: BackendContext): Promise<Response> {
  await requireApiKey(request, client, ctx, 'keys');
  const outcome = await ctx.apiKeys.revoke(id);
  if (outcome === 'unknown') throw notFound();
  if (outcome === 'configured') throw new HttpError(409, 'configured_key', 'This key comes from the configuration (SV_API_KEY): change it there.');
  return jsonResponse(200, { revoked: true });
}
