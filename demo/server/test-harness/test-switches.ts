// /__test/* endpoints, answered only by the test-switch layer: mint arbitrary tokens, create
// fault-injecting scenario aliases, read their request logs, revoke their tokens. Never enable
// them in a deployment: they hand out tokens without any authentication.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ALL_PERMISSIONS, DEFAULT_LIFETIME_SECONDS, isPermission, type Permission } from '../../../server/index.ts';
import type { BackendContext } from '../context.ts';
import type { CorsRoute } from '../cors.ts';
import { parseFaults } from './faults.ts';
import { HttpError, notFound, readJsonObject, sendJson } from '../http.ts';
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

/** Handles a /__test path, preflights included. */
export async function handleTestSwitch(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  ctx: BackendContext,
  registry: ScenarioRegistry,
): Promise<void> {
  const method = req.method ?? 'GET';
  if (method === 'OPTIONS') {
    ctx.cors.preflight(req, res, TEST_SWITCH_CORS);
    return;
  }
  ctx.cors.apply(req, res, TEST_SWITCH_CORS);
  // State-changing requests from a foreign page are refused outright (CSRF), as on every route.
  if (method !== 'GET') ctx.cors.assertOrigin(req, ctx.source);

  if (path === '/__test/documents' && method === 'GET') {
    const documents = (await ctx.documents.list()).map(({ id, title, size, pages }) => ({ id, title, size, pages }));
    sendJson(res, 200, { documents });
    return;
  }

  if (path === '/__test/tokens' && method === 'POST') {
    const body = await readJsonObject(req);
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
    // ttl ≤ 0 mints a token that is already expired.
    const issued = await ctx.tokens.issue({ doc: document, permissions, sub, lifetimeSeconds: Math.trunc(ttl) });
    sendJson(res, 200, { token: issued.token, expires_in: issued.expiresIn, jti: issued.jti });
    return;
  }

  if (path === '/__test/scenarios' && method === 'POST') {
    const body = await readJsonObject(req);
    const document = body['document'];
    if (typeof document !== 'string' || !(await ctx.documents.get(document))) throw notFound();
    const scenario = registry.create(document, faultsFrom(body['faults']));
    sendJson(res, 200, { id: scenario.id });
    return;
  }

  const match = /^\/__test\/scenarios\/([A-Za-z0-9_-]{1,64})(\/log|\/revoke)?$/.exec(path);
  if (match) {
    const scenario = scenarioOrNotFound(registry, match[1]!);
    const action = match[2] ?? '';
    if (action === '' && method === 'PATCH') {
      const body = await readJsonObject(req);
      scenario.setFaults(faultsFrom(body['faults']));
      sendJson(res, 200, { ok: true });
      return;
    }
    if (action === '/log' && method === 'GET') {
      sendJson(res, 200, { requests: scenario.requests, bytes: scenario.totalBytes });
      return;
    }
    if (action === '/revoke' && method === 'POST') {
      await ctx.tokens.revokeDocument(scenario.id);
      sendJson(res, 200, { ok: true });
      return;
    }
  }
  throw notFound();
}
