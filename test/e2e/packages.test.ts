// The three ways people use the element, from what `npm run build` ships: the drop-in file from
// dist/cdn/ on a static server, and production builds of the React and Vue apps that import the
// package's public entry points. Each is opened in headless Chromium against the real backend.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { closeServer, firstPagePixel, launchChromium, listenLocal } from './support.ts';
import { build } from 'vite';
import { createBackend } from '../../demo/server/app.ts';
import { ensurePackageBuilt } from './package-build.ts';

const root = process.cwd();
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.map': 'application/json',
};

const DROP_IN = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>drop-in</title>
<script type="module" src="/cdn/secure-viewer.js"></script></head>
<body>
<secure-viewer id="viewer" style="height: 600px; width: 700px" src="/api/documents/sample/content"
  token-url="/demo/session-token?doc=sample&amp;ttl=6"></secure-viewer>
<ol id="log"></ol>
<script type="module">
  const viewer = document.querySelector('#viewer');
  for (const name of ['sv-load', 'sv-token-renew', 'sv-error']) {
    viewer.addEventListener(name, (event) => {
      const item = document.createElement('li');
      item.textContent = name + ' ' + JSON.stringify(event.detail);
      document.querySelector('#log').append(item);
    });
  }
</script>
</body></html>`;

let server: Server;
let base: string;
let browser: Browser;
let work: string;
let closeBackend: () => Promise<void>;

before(async () => {
  // Rebuilds when dist/ is missing or older than the sources, so the apps test the current code.
  await ensurePackageBuilt();
  work = await mkdtemp(path.join(tmpdir(), 'sv-packages-'));
  for (const app of ['react', 'vue']) {
    await build({
      configFile: path.join(root, 'demo', app, 'vite.config.ts'),
      logLevel: 'error',
      build: { outDir: path.join(work, app), emptyOutDir: true },
    });
  }
  const backend = await createBackend({
    dataDir: path.join(work, 'data'),
    log: () => {},
    // The pages and the backend share this test server's loopback origin.
    demoSessionTokens: true,
    publicOrigins: (origin) => /^http:\/\/127\.0\.0\.1:\d+$/.test(origin),
  });
  closeBackend = backend.close;
  const mounts: Array<[string, string]> = [
    ['/cdn/', path.join(root, 'dist', 'cdn')],
    ['/react/', path.join(work, 'react')],
    ['/vue/', path.join(work, 'vue')],
  ];
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (/^\/(api|demo\/session-token)(\/|$)/.test(url.pathname)) return backend.handle(req, res);
    if (url.pathname === '/dropin.html') return void res.writeHead(200, { 'Content-Type': TYPES['.html']! }).end(DROP_IN);
    const mount = mounts.find(([prefix]) => url.pathname.startsWith(prefix));
    if (!mount) return void res.writeHead(404).end();
    const relative = decodeURIComponent(url.pathname.slice(mount[0].length)) || 'index.html';
    const file = path.resolve(mount[1], relative);
    if (!file.startsWith(mount[1])) return void res.writeHead(404).end();
    readFile(file).then(
      (body) => res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(body),
      () => res.writeHead(404).end(),
    );
  });
  base = await listenLocal(server);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await closeServer(server);
  await closeBackend?.();
  await rm(work, { recursive: true, force: true });
});

async function open(pathname: string): Promise<{ page: Page; requests: string[]; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (request) => requests.push(new URL(request.url()).pathname));
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${base}${pathname}`);
  return { page, requests, errors };
}

function waitForLog(page: Page, text: string, timeout = 15_000): Promise<unknown> {
  return page.waitForFunction((wanted) => document.querySelector('#log')?.textContent?.includes(wanted), text, { timeout });
}

describe('shipped packages', () => {
  test('drop-in: one script tag from dist/cdn renders, with pdf.js and its worker from beside it, and renews', async () => {
    const { page, requests, errors } = await open('/dropin.html');
    assert.deepEqual(await firstPagePixel(page), [255, 0, 0]);
    await waitForLog(page, 'sv-load {"numPages":3}');
    await waitForLog(page, 'sv-token-renew {"reason":"expiring"');
    // Everything came from the drop-in folder: the worker and pdf.js chunks beside secure-viewer.js.
    assert.ok(requests.some((p) => p.startsWith('/cdn/pdfjs/legacy/build/pdf.worker')), 'worker from dist/cdn');
    assert.ok(requests.every((p) => !p.includes('node_modules')));
    assert.deepEqual(errors, []);
    await page.close();
  });

  for (const app of ['react', 'vue']) {
    test(`${app}: the production build renders, logs events and renews through its callback`, async () => {
      const { page, errors } = await open(`/${app}/index.html?ttl=6`);
      assert.deepEqual(await firstPagePixel(page), [255, 0, 0]);
      await waitForLog(page, 'sv-load, 3 pages');
      await waitForLog(page, 'host: renewing the token (expiring)');
      await waitForLog(page, 'sv-token-renew (expiring)');
      assert.deepEqual(errors, []);
      await page.close();
    });
  }
});
