// The README's two integrations, as written there: Node's http through toNodeListener, and Koa
// through toWebRequest/sendWebResponse (Koa is only present as a dependency of the test tools;
// the test is skipped without it).
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  createMemoryStore,
  createSecureViewerServer,
  etagFor,
  loadOrCreateSigningKeys,
  sendWebResponse,
  throttleKey,
  toNodeListener,
  toWebRequest,
  type HostedDocument,
  type SecureViewerServer,
  type SharedStore,
} from '../index.ts';

interface KoaContext {
  req: IncomingMessage;
  res: ServerResponse;
  ip: string;
  secure: boolean;
  respond: boolean;
  status: number;
  body: unknown;
}
interface KoaApp {
  proxy: boolean;
  use(middleware: (ctx: KoaContext, next: () => Promise<void>) => Promise<void> | void): void;
  callback(): (req: IncomingMessage, res: ServerResponse) => void;
}

const require = createRequire(import.meta.url);
let Koa: (new () => KoaApp) | null = null;
try {
  Koa = require('koa') as new () => KoaApp;
} catch {
  Koa = null;
}

let dir: string;
let store: SharedStore;
let viewer: SecureViewerServer;
const myDocuments = new Map<string, HostedDocument>();
const bytes = Buffer.from('%PDF-1.7\n' + 'x'.repeat(5000) + '\n%%EOF\n');

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'sv-integrations-'));
  const file = path.join(dir, 'doc.pdf');
  await import('node:fs/promises').then((fs) => fs.writeFile(file, bytes));
  myDocuments.set('doc', { title: 'Doc', size: bytes.length, etag: etagFor(bytes), source: file, permissions: ['read'] });
  store = await createMemoryStore({ dataDir: dir });
  viewer = createSecureViewerServer({
    store,
    keys: await loadOrCreateSigningKeys(dir),
    documents: async (id) => myDocuments.get(id) ?? null,
    originAllowed: (origin) => origin === 'https://app.example',
  });
});
after(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

async function listen(listener: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ server: Server; url: string }> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function checkRange(url: string): Promise<void> {
  const { token } = await viewer.tokens.issue({ doc: 'doc', permissions: ['read'], lifetimeSeconds: 300 });
  const response = await fetch(`${url}/api/documents/doc/content`, { headers: { Authorization: `Bearer ${token}`, Range: 'bytes=0-7' } });
  assert.equal(response.status, 206);
  assert.equal(await response.text(), '%PDF-1.7');
  const other = await fetch(`${url}/elsewhere`);
  assert.equal(other.status, 404);
  await other.arrayBuffer();
}

describe('README integrations', () => {
  it('Node http through toNodeListener', async () => {
    const listener = toNodeListener(async (request, req) => {
      const client = { key: throttleKey(req.socket.remoteAddress ?? ''), https: false };
      return (await viewer.handle(request, client)) ?? new Response('Not found', { status: 404 });
    });
    const { server, url } = await listen(listener);
    try {
      await checkRange(url);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('Koa through toWebRequest and sendWebResponse', { skip: Koa === null ? 'koa is not installed' : false }, async () => {
    const app = new Koa!();
    app.proxy = true;
    app.use(async (ctx, next) => {
      const response = await viewer.handle(toWebRequest(ctx.req), { key: throttleKey(ctx.ip), https: ctx.secure });
      if (!response) return next();
      ctx.respond = false;
      await sendWebResponse(ctx.res, response);
    });
    app.use((ctx) => {
      ctx.status = 404;
      ctx.body = 'Not found';
    });
    const { server, url } = await listen(app.callback());
    try {
      await checkRange(url);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
