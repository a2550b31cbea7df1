// The test switches are a layer around the backend, not code in its request path: a backend
// built without them knows no scenario ids, its modules never import the harness, and the layer
// itself leaves every request that is not a scenario's untouched.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { DocumentMeta } from '../../../server/document-meta.ts';
import { startBackend, type RunningBackend } from '../app.ts';
import type { ContentRoute, Route } from '../backend-layer.ts';
import type { BackendContext } from '../context.ts';
import { Cors } from '../cors.ts';
import { ScenarioRegistry } from '../test-harness/scenarios.ts';
import { createTestSwitchLayer } from '../test-harness/test-switch-layer.ts';
import { TEST_ORIGIN, content, json, mint, startTestBackend, type TestBackend } from './helpers.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const HARNESS = path.join(repoRoot, 'demo/server/test-harness') + path.sep;

describe('a backend without test switches', () => {
  // Two instances on one data folder (one key pair): a token minted for a scenario of `switched`
  // is valid on `plain`, so only the missing layer can explain how `plain` answers it.
  let switched: TestBackend;
  let plain: RunningBackend;
  before(async () => {
    switched = await startTestBackend();
    plain = await startBackend({ port: 0, dataDir: switched.dataDir, allowedOrigins: [TEST_ORIGIN], scryptCost: 2 ** 14, log: () => {} });
  });
  after(async () => {
    await plain.close();
    await switched.close();
  });

  async function scenario(document: string, faults: Record<string, unknown> = {}): Promise<string> {
    const response = await fetch(`${switched.url}/__test/scenarios`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ document, faults }),
    });
    return (await json<{ id: string }>(response)).id;
  }

  it('answers a scenario id exactly as an unknown document: 404, no faults, no log', async () => {
    const id = await scenario('sample', { html: true });
    const token = await mint(switched.url, id);
    const faulty = await content(switched.url, id, token);
    assert.equal(faulty.status, 200);
    assert.match(faulty.headers.get('content-type') ?? '', /text\/html/);
    await faulty.arrayBuffer();

    const aliased = await content(plain.url, id, token);
    const unknown = await content(plain.url, 'no-such-document', token);
    assert.equal(aliased.status, 404);
    assert.equal(unknown.status, 404);
    assert.equal(await aliased.text(), await unknown.text());
    const { requests } = await json<{ requests: unknown[] }>(await fetch(`${switched.url}/__test/scenarios/${id}/log`));
    assert.equal(requests.length, 1, 'only the request to the switched backend is logged');
  });

  it('does not resolve a scenario id on the password and token routes either', async () => {
    const id = await scenario('protected');
    const exchange = (url: string, document: string): Promise<Response> =>
      fetch(`${url}/api/documents/${document}/password-token`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ password: 'reader-2026' }) });
    const accepted = await exchange(switched.url, id);
    assert.equal(accepted.status, 200);
    await accepted.arrayBuffer();
    const refused = await exchange(plain.url, id);
    const unknown = await exchange(plain.url, 'no-such-document');
    assert.equal(refused.status, 401);
    assert.equal(await refused.text(), await unknown.text());

    const issued = await fetch(`${plain.url}/api/tokens`, {
      method: 'POST',
      // The first API key was made (and is known) by the instance that started first on the folder.
      headers: { 'Content-Type': 'application/json', 'X-Api-Key': switched.apiKey },
      body: JSON.stringify({ allowed_documents: [{ document_id: id, document_permissions: ['read'] }] }),
    });
    assert.equal(issued.status, 404);
    await issued.arrayBuffer();
  });

  it('has no /__test routes, not even for a scenario that exists elsewhere', async () => {
    const id = await scenario('sample');
    for (const [method, route] of [
      ['GET', `/__test/scenarios/${id}/log`],
      ['PATCH', `/__test/scenarios/${id}`],
      ['POST', `/__test/scenarios/${id}/revoke`],
      ['POST', `/__test/scenarios/${id}/revoke-session`],
      ['OPTIONS', `/__test/tokens`],
    ] as const) {
      const response = await fetch(`${plain.url}${route}`, { method, headers: { Origin: TEST_ORIGIN, 'Content-Type': 'application/json' }, ...(method === 'PATCH' ? { body: '{"faults":{}}' } : {}) });
      assert.equal(response.status, 404, `${method} ${route}`);
      assert.equal(response.headers.get('access-control-allow-origin'), null);
      await response.arrayBuffer();
    }
  });
});

describe('the production modules', () => {
  /** Relative modules a file imports statically (`import … from`, `export … from`, `import '…'`). */
  async function staticImports(file: string): Promise<string[]> {
    const text = await readFile(file, 'utf8');
    const specifiers = [...text.matchAll(/^\s*(?:import|export)\s(?:[^'";]*?\sfrom\s)?'([^']+)'/gm)].map((match) => match[1]!);
    return specifiers.filter((specifier) => specifier.startsWith('.')).map((specifier) => path.resolve(path.dirname(file), specifier));
  }

  it('never import the test harness: it is only loaded on demand, with testSwitches', async () => {
    const entries = ['demo/server/main.ts', 'demo/start.ts', 'demo/server/app.ts'].map((file) => path.join(repoRoot, file));
    const seen = new Set<string>();
    const queue = [...entries];
    while (queue.length > 0) {
      const file = queue.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      for (const imported of await staticImports(file)) {
        assert.ok(!imported.startsWith(HARNESS), `${path.relative(repoRoot, file)} imports ${path.relative(repoRoot, imported)}`);
        if (imported.endsWith('.ts')) queue.push(imported);
      }
    }
    assert.ok(seen.has(path.join(repoRoot, 'demo/server/context.ts')), 'the walk reaches the request path');
  });
});

describe('the test-switch layer', () => {
  const sample: DocumentMeta = { id: 'sample', title: 'Sample', size: 10, pages: 1, etag: '"e"', permissions: ['read'] };
  // The hooks below only hand the context on to /__test routes and scenarios, which these tests avoid.
  const unusedContext = {} as BackendContext;
  // An unknown /__test path gets the test switches' CORS headers before it is refused.
  const corsOnlyContext = { cors: new Cors([]) } as BackendContext;

  function exchange(url: string, method = 'GET'): { req: IncomingMessage; res: ServerResponse } {
    const req = new IncomingMessage(new Socket());
    req.method = method;
    req.url = url;
    return { req, res: new ServerResponse(req) };
  }

  it('maps scenario ids to their document and passes every other id through', async () => {
    const registry = new ScenarioRegistry();
    const scenario = registry.create('sample', {});
    const asked: string[] = [];
    const lookup = createTestSwitchLayer(registry).documents(async (id) => {
      asked.push(id);
      return id === 'sample' ? sample : null;
    });
    assert.equal(await lookup(scenario.id), sample);
    assert.equal(await lookup('sample'), sample);
    assert.equal(await lookup('other'), null);
    assert.deepEqual(asked, ['sample', 'sample', 'other']);
  });

  it('hands requests that are not a scenario to the backend untouched: no logging, no patched response', async () => {
    const registry = new ScenarioRegistry();
    const scenario = registry.create('sample', {});
    const seen: Array<{ req: IncomingMessage; res: ServerResponse; path: string }> = [];
    const next: Route = async (req, res, path) => {
      seen.push({ req, res, path });
    };
    const route = createTestSwitchLayer(registry).route(next, unusedContext);
    for (const url of ['/api/documents/sample/content', '/api/documents', '/api/tokens', '/demo/session-token?doc=sample']) {
      const { req, res } = exchange(url);
      const pathOnly = url.split('?')[0]!;
      await route(req, res, pathOnly, new URLSearchParams());
      const last = seen.at(-1)!;
      assert.equal(last.req, req);
      assert.equal(last.res, res);
      assert.equal(last.path, pathOnly);
      for (const method of ['write', 'end', 'writeHead'] as const) assert.equal(Object.hasOwn(res, method), false, `${url}: res.${method} is the original`);
    }
    assert.equal(scenario.requests.length, 0);
  });

  it('logs a scenario request and still lets the backend answer it', async () => {
    const registry = new ScenarioRegistry();
    const scenario = registry.create('sample', {});
    let reached = false;
    const route = createTestSwitchLayer(registry).route(async () => {
      reached = true;
    }, unusedContext);
    const { req, res } = exchange(`/api/documents/${scenario.id}/refresh?token=secret`, 'POST');
    await route(req, res, `/api/documents/${scenario.id}/refresh`, new URLSearchParams());
    assert.equal(reached, true);
    assert.deepEqual(
      scenario.requests.map(({ method, path: loggedPath, query }) => ({ method, path: loggedPath, query })),
      [{ method: 'POST', path: `/api/documents/${scenario.id}/refresh`, query: 'token=[redacted]' }],
    );
  });

  it('answers /__test itself and gives the content route only the documents that are not scenarios', async () => {
    const registry = new ScenarioRegistry();
    const layer = createTestSwitchLayer(registry);
    let routed = 0;
    const { req, res } = exchange('/__test/nothing-here', 'GET');
    await assert.rejects(layer.route(async () => {
      routed++;
    }, corsOnlyContext)(req, res, '/__test/nothing-here', new URLSearchParams()), { status: 404 });
    assert.equal(routed, 0);

    const served: string[] = [];
    const next: ContentRoute = async (_req, _res, id) => {
      served.push(id);
    };
    const plain = exchange('/api/documents/sample/content');
    await layer.content(next, unusedContext)(plain.req, plain.res, 'sample');
    assert.deepEqual(served, ['sample']);
  });
});
