// The drop-in build (dist/cdn/) behind a plain static server that also routes /api/* and
// /demo/session-token to the reference backend (one origin). The page has only
// <script type="module" src="/cdn/secure-viewer.js"> (no bundler, no import map) and the host's
// token glue: a first token and a renewToken callback. Checks that defining the tag fetches no
// pdf.js, that the first document then loads pdf.js and its worker from beside the script, draws
// page 1 (red at 50 % / 30 %), and that the short-lived token is renewed through the callback.
// (test/e2e/packages.test.ts covers the markup-only drop-in with token-url, and the React and
// Vue apps.)
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { closeServer, firstPagePixel, launchChromium, listenLocal } from './support.ts';
import { createBackend, type Backend } from '../../demo/server/app.ts';
import { ensurePackageBuilt, repoRoot } from './package-build.ts';

// The shortest lifetime the reference backend issues; the element renews well before it ends.
const TOKEN_TTL_SECONDS = 5;
const pdfjsRequest = /\/chunks\/pdf(_viewer)?(_css)?-[^/]+\.js$|pdf\.worker/;

let workDir: string;
let backend: Backend;
let server: Server;
let origin: string;
let browser: Browser;

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
};

/** A static file server over a few mount points; directories serve their index.html. */
function serveStatic(mounts: Record<string, string>) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const prefix = Object.keys(mounts).find((mount) => pathname.startsWith(mount));
    if (!prefix || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404).end();
      return;
    }
    const dir = mounts[prefix]!;
    let file = path.join(dir, pathname.slice(prefix.length));
    if (!file.startsWith(dir)) {
      res.writeHead(403).end();
      return;
    }
    try {
      if ((await stat(file)).isDirectory()) file = path.join(file, 'index.html');
      await stat(file);
    } catch {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': contentTypes[path.extname(file)] ?? 'application/octet-stream' });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  };
}

/** The drop-in page: the element's one script tag, markup, and the host's token glue. */
const dropInPage = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Drop-in</title>
    <script type="module" src="/cdn/secure-viewer.js"></script>
  </head>
  <body>
    <secure-viewer id="viewer" style="height: 600px"></secure-viewer>
    <ol id="log"></ol>
    <script type="module">
      const viewer = document.querySelector('#viewer');
      const note = (line) => document.querySelector('#log').append(Object.assign(document.createElement('li'), { textContent: line }));
      async function sessionToken() {
        const response = await fetch('/demo/session-token?doc=sample&ttl=${TOKEN_TTL_SECONDS}', { method: 'POST' });
        if (!response.ok) throw new Error('session-token ' + response.status);
        const body = await response.json();
        return { token: body.token, expiresAt: Date.now() + body.expires_in * 1000 };
      }
      viewer.addEventListener('sv-load', (e) => note('sv-load, ' + e.detail.numPages + ' pages'));
      viewer.addEventListener('sv-token-renew', (e) => note('sv-token-renew (' + e.detail.reason + ')'));
      viewer.addEventListener('sv-error', (e) => note('sv-error ' + e.detail.code));
      viewer.renewToken = async ({ reason }) => {
        note('host: renewing the token (' + reason + ')');
        return sessionToken();
      };
      // The test opens the document itself, after checking that defining the tag loaded no pdf.js.
      window.openDocument = async () => {
        viewer.token = (await sessionToken()).token;
        viewer.src = '/api/documents/sample/content';
      };
    </script>
  </body>
</html>
`;

before(async () => {
  await ensurePackageBuilt();
  workDir = await mkdtemp(path.join(tmpdir(), 'sv-dropin-e2e-'));
  await mkdir(path.join(workDir, 'dropin'));
  await writeFile(path.join(workDir, 'dropin', 'index.html'), dropInPage);

  backend = await createBackend({
    dataDir: path.join(workDir, 'data'),
    log: () => {},
    // The page and the backend share this test server's loopback origin.
    demoSessionTokens: true,
    publicOrigins: (origin) => /^http:\/\/127\.0\.0\.1:\d+$/.test(origin),
  });
  const files = serveStatic({
    '/cdn/': path.join(repoRoot, 'dist/cdn'),
    '/dropin/': path.join(workDir, 'dropin'),
  });
  server = createServer((req, res) => {
    const url = req.url ?? '/';
    if (/^\/(api|demo\/session-token)(\/|\?|$)/.test(url)) backend.handle(req, res);
    else void files(req, res);
  });
  origin = await listenLocal(server);

  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await closeServer(server);
  await backend?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

interface Opened {
  page: Page;
  requests: string[];
  errors: string[];
  /** Console errors and warnings, shown when a check fails. */
  console: string[];
}

async function open(pathname: string): Promise<Opened> {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const opened: Opened = { page, requests: [], errors: [], console: [] };
  page.on('request', (request) => opened.requests.push(request.url()));
  page.on('pageerror', (error) => opened.errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') opened.console.push(message.text());
  });
  page.on('requestfailed', (request) => opened.console.push(`request failed: ${request.url()}`));
  page.on('response', (response) => {
    if (response.status() >= 400) opened.console.push(`${response.status()} ${response.url()}`);
  });
  await page.goto(`${origin}${pathname}`);
  return opened;
}

async function waitForLog(page: Page, text: string, timeout = 15_000): Promise<void> {
  await page.waitForFunction((expected) => document.querySelector('#log')?.textContent?.includes(expected) ?? false, text, { timeout });
}

/** What the page looked like, for a failure message. */
async function describePage(page: Page): Promise<string> {
  return page.evaluate(() => {
    const viewer = document.querySelector<HTMLElement & { state?: string; error?: unknown }>('secure-viewer');
    const pages = [...(viewer?.shadowRoot?.querySelectorAll('.page') ?? [])].map((div) =>
      [...div.attributes].map((a) => `${a.name}=${a.value}`).join(' '),
    );
    return JSON.stringify({
      defined: customElements.get('secure-viewer') !== undefined,
      state: viewer?.state,
      error: viewer?.error,
      pages: pages.slice(0, 3),
      log: document.querySelector('#log')?.textContent,
    });
  });
}

/** Renders page 1, logs sv-load, and renews through the host's callback without leaking the token. */
async function assertRendersAndRenews({ page, errors, console }: Opened): Promise<void> {
  const pixel = await firstPagePixel(page).catch(async (error: Error) => {
    throw new Error(`${error.message}\n${await describePage(page)}\npage errors: ${errors.join('; ')}\nconsole: ${console.join('\n')}`);
  });
  assert.deepEqual(pixel, [255, 0, 0], 'page 1 is red at 50 % / 30 %');
  await waitForLog(page, 'sv-load, 3 pages');
  // The short-lived token is renewed proactively, through the host's callback.
  await waitForLog(page, 'host: renewing the token (expiring)');
  await waitForLog(page, 'sv-token-renew (expiring)');
  assert.doesNotMatch((await page.locator('#log').textContent()) ?? '', /eyJ/, 'no token in the log');
  assert.deepEqual(errors, [], 'no uncaught errors in the page');
}

describe('drop-in build', () => {
  test('one script tag and a renewToken callback: pdf.js loads only with the first document, then renders and renews', async () => {
    const opened = await open('/dropin/');
    const { page, requests } = opened;
    await page.waitForFunction(() => customElements.get('secure-viewer') !== undefined);
    await page.waitForTimeout(300);
    assert.deepEqual(requests.filter((url) => pdfjsRequest.test(url)), [], 'defining the tag fetches no pdf.js');

    await page.evaluate(() => (window as unknown as { openDocument: () => Promise<void> }).openDocument());
    await assertRendersAndRenews(opened);
    const pdfjs = requests.filter((url) => pdfjsRequest.test(url)).map((url) => new URL(url).pathname);
    assert.ok(pdfjs.some((p) => p.startsWith('/cdn/chunks/pdf-')), `pdf.js from beside the script: ${pdfjs.join(', ')}`);
    assert.ok(pdfjs.some((p) => p.startsWith('/cdn/') && p.includes('pdf.worker')), `its worker from beside the script: ${pdfjs.join(', ')}`);
    await page.close();
  });
});
