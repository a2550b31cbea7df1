// The test switches as a layer around the reference backend: scenario ids resolve to their
// documents, requests to a scenario are logged, its content is served with its faults, and
// /__test/* is answered. The backend composes this only with `testSwitches: true`; everything
// else passes straight through to the backend's own pieces.
import type { ServerResponse } from 'node:http';
import { sendWebResponse, toWebRequest } from '../../../server/index.ts';
import type { BackendLayer } from '../backend-layer.ts';
import { serveFaultyContent } from './fault-content.ts';
import { logRequest } from './request-log.ts';
import { ScenarioRegistry } from './scenarios.ts';
import { handleTestSwitch } from './test-switches.ts';

/** Every route under a document: content, password exchange, refresh, revocation. */
const DOCUMENT_SUBPATH = /^\/api\/documents\/([^/]+)\//;

/** A 401 sent on `res` does not say `revoked`. */
function plainChallenges(res: ServerResponse): void {
  const setHeader = res.setHeader.bind(res);
  res.setHeader = ((name: string, value: number | string | readonly string[]) =>
    setHeader(name, name.toLowerCase() === 'www-authenticate' && String(value).includes('revoked') ? 'Bearer error="invalid_token"' : value)) as ServerResponse['setHeader'];
}

export function createTestSwitchLayer(registry: ScenarioRegistry = new ScenarioRegistry()): BackendLayer {
  const hung = new Set<ServerResponse>();
  return {
    documents: (next) => async (id) => {
      const scenario = registry.get(id);
      const meta = await next(scenario?.documentId ?? id);
      // A shortened file is shortened for every route, the pages rendered from it too.
      const cut = scenario?.faults.truncateTo;
      if (!meta || cut === undefined || cut >= meta.size) return meta;
      return { ...meta, size: cut, etag: `${meta.etag.slice(0, -1)}-t${cut}"` };
    },

    content: (next, ctx) => async (req, res, id) => {
      const scenario = registry.get(id);
      if (!scenario) return next(req, res, id);
      return serveFaultyContent(req, res, scenario, { tokens: ctx.tokens, documents: ctx.documents, audit: ctx.audit, hung });
    },

    route: (next, ctx) => async (req, res, path, query) => {
      if (path.startsWith('/__test/')) return sendWebResponse(res, await handleTestSwitch(toWebRequest(req), path, ctx, registry));
      const scenarioId = DOCUMENT_SUBPATH.exec(path)?.[1];
      const scenario = scenarioId === undefined ? null : registry.get(scenarioId);
      // Before the route runs, so the entry sees everything written, preflights included.
      if (scenario) logRequest(req, res, scenario.requests);
      // As on the content route, the older revocation switches stand for expired tokens: only the
      // revoke-session switch lets a 401 say revoked.
      if (scenario && !scenario.sessionRevoked) plainChallenges(res);
      return next(req, res, path, query);
    },

    async close() {
      for (const res of hung) res.destroy();
      hung.clear();
    },
  };
}
