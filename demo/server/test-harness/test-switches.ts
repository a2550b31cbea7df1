// /__test/* endpoints, answered only by the test-switch layer: mint arbitrary tokens, create
// fault-injecting scenario aliases, read their request logs, revoke their tokens. Never enable
// them in a deployment: they hand out tokens without any authentication.
import { ALL_PERMISSIONS, DEFAULT_LIFETIME_SECONDS, isPermission, isRenderMode, IssueDeferredError, jsonResponse, type Permission } from '../../../server/index.ts';
import { auditOf } from '../audit-api.ts';
import type { BackendContext } from '../context.ts';
import type { CorsRoute } from '../cors.ts';
import { parseFaults } from './faults.ts';
import { HttpError, jsonBody, notFound } from '../http.ts';
import type { Scenario, ScenarioRegistry } from './scenarios.ts';

/** Test pages on allowed origins call these directly, with JSON bodies. */
export const TEST_SWITCH_CORS: CorsRoute = { methods: 'GET, POST, PATCH', headers: 'Content-Type', credentials: false };

function badRequest(message: string): HttpError {
  return new HttpError(400, 'invalid_request', message);
}

function faultsFrom(value: unknown) {
  try {
    return parseFaults(value);
  } catch (error) {
    throw badRequest((error as Error).message);
  }
}

function scenarioOrNotFound(registry: ScenarioRegistry, id: string): Scenario {
  const scenario = registry.get(id);
  if (!scenario) throw notFound();
  return scenario;
}

/** Handles a /__test path, preflights included; a failure is thrown as an HttpError carrying the CORS headers. */
export async function handleTestSwitch(request: Request, path: string, ctx: BackendContext, registry: ScenarioRegistry): Promise<Response> {
  if (request.method === 'OPTIONS') return ctx.cors.preflight(request, TEST_SWITCH_CORS);
  try {
    return ctx.cors.apply(request, await answer(request, path, ctx, registry), TEST_SWITCH_CORS);
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    const cors = ctx.cors.headers(request.headers.get('origin'), TEST_SWITCH_CORS);
    throw new HttpError(error.status, error.code, error.message, { ...error.headers, ...cors });
  }
}

async function answer(request: Request, path: string, ctx: BackendContext, registry: ScenarioRegistry): Promise<Response> {
  const method = request.method;
  // State-changing requests from a foreign page are refused outright (CSRF), as on every route.
  if (method !== 'GET') ctx.cors.assertOrigin(request, ctx.source);

  if (path === '/__test/documents' && method === 'GET') {
    const documents = (await ctx.documents.list()).map(({ id, title, size, pages }) => ({ id, title, size, pages }));
    return jsonResponse(200, { documents });
  }

  if (path === '/__test/tokens' && method === 'POST') {
    const body = await jsonBody(request);
    const document = body['document'];
    if (typeof document !== 'string') throw badRequest('document is required.');
    const meta = await ctx.resolve(document);
    if (!meta) throw notFound();
    const requested = body['permissions'];
    let permissions: Permission[] = [...meta.permissions];
    if (requested !== undefined) {
      if (!Array.isArray(requested) || !requested.every(isPermission)) {
        throw badRequest(`permissions must be a subset of ${ALL_PERMISSIONS.join(', ')}.`);
      }
      permissions = requested;
    }
    const ttl = body['ttl'] ?? DEFAULT_LIFETIME_SECONDS;
    if (typeof ttl !== 'number' || !Number.isFinite(ttl)) throw badRequest('ttl must be a number of seconds.');
    const sub = body['sub'];
    if (sub !== undefined && typeof sub !== 'string') throw badRequest('sub must be a string.');
    const render = body['render'];
    if (render !== undefined && !isRenderMode(render)) throw badRequest('render must be "server".');
    // ttl ≤ 0 mints a token that is already expired.
    const issued = await ctx.tokens.issue({ doc: document, permissions, sub, lifetimeSeconds: Math.trunc(ttl), render }).catch((error: unknown) => {
      // As POST /api/tokens answers it: the scenario was revoked at a time ahead of this clock.
      if (!(error instanceof IssueDeferredError)) throw error;
      throw new HttpError(503, 'token_unavailable', 'A token cannot be issued for this document right now. Try again shortly.', {
        'Retry-After': String(Math.min(300, error.retryAfterSeconds)),
      });
    });
    return jsonResponse(200, { token: issued.token, expires_in: issued.expiresIn, jti: issued.jti });
  }

  if (path === '/__test/scenarios' && method === 'POST') {
    const body = await jsonBody(request);
    const document = body['document'];
    if (typeof document !== 'string' || !(await ctx.documents.get(document))) throw notFound();
    const scenario = registry.create(document, faultsFrom(body['faults']));
    return jsonResponse(200, { id: scenario.id });
  }

  const match = /^\/__test\/scenarios\/([A-Za-z0-9_-]{1,64})(\/log|\/revoke|\/revoke-session|\/audit)?$/.exec(path);
  if (match) {
    const scenario = scenarioOrNotFound(registry, match[1]!);
    const action = match[2] ?? '';
    if (action === '' && method === 'PATCH') {
      const body = await jsonBody(request);
      scenario.setFaults(faultsFrom(body['faults']));
      return jsonResponse(200, { ok: true });
    }
    if (action === '/log' && method === 'GET') {
      return jsonResponse(200, { requests: scenario.requests, bytes: scenario.totalBytes });
    }
    if (action === '/audit' && method === 'GET') {
      return jsonResponse(200, await auditOf(scenario.id, new URLSearchParams(), ctx));
    }
    if ((action === '/revoke' || action === '/revoke-session') && method === 'POST') {
      if (action === '/revoke-session') scenario.sessionRevoked = true;
      await ctx.tokens.revokeDocument(scenario.id);
      return jsonResponse(200, { ok: true });
    }
  }
  throw notFound();
}
