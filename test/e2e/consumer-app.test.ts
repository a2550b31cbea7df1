// The package as a new user gets it: `npm pack`, the tarball installed into fresh apps outside the
// repository whose code is the README's (Vite + React 19, Vite + Vue 3, webpack 5, Rollup, and a
// Next.js App Router app rendered on the server), each built with its own bundler, and the built
// apps opened in Chromium against the reference backend on another origin. The static apps are
// served the way single-page apps are, with index.html for any unknown path, so a file of pdf.js
// looked for in the wrong place comes back as a 200 HTML page, as in production; `next start`
// answers such a path with its 404 page. Every file of pdf.js the page fetches, its worker
// included, must be one the app's bundler wrote into the build.
// Documents that need pdf.js's run-time files (CJK text through a predefined CMap, standard fonts
// that are not embedded) must render as they do from the drop-in folder, where those files keep
// the package's layout.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startBackend, type RunningBackend } from '../../demo/server/app.ts';
import { build, builtFile, createApp, nextStart, run, typeCheck, type Framework } from './consumer/app.ts';
import { CJK_TEXT, cjkPdf, standardFontsPdf } from './consumer/documents.ts';
import { ensurePackageBuilt, repoRoot } from './package-build.ts';
import { closeServer, firstPagePixel, launchChromium, listenLocal } from './support.ts';

const frameworks: Framework[] = ['react', 'vue', 'webpack', 'rollup', 'next'];
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
};
const API_KEY = 'consumer-app-test-key-0123456789abcdef';

let work: string;
let backend: RunningBackend;
let browser: Browser;
const servers: Server[] = [];
const stops: Array<() => void> = [];
const origins = new Map<string, string>();
/** The app's folder (the drop-in's: the repository), to find the files its build wrote. */
const appDirs = new Map<string, string>();
const builds = new Map<Framework, { code: number; output: string }>();
const typeChecks = new Map<Framework, { code: number; output: string }>();
const docs: Record<'cjk' | 'fonts', string> = { cjk: '', fonts: '' };

/** A static server; unknown paths get index.html (200, text/html), as single-page apps are served. */
async function serveSpa(name: string, dir: string, index: string): Promise<void> {
  const server = createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = path.join(dir, pathname);
    const send = (body: Buffer | string, type: string) => res.writeHead(200, { 'Content-Type': type }).end(body);
    if (!file.startsWith(dir) || pathname === '/') return void send(index, TYPES['.html']!);
    readFile(file).then(
      (body) => send(body, TYPES[path.extname(file)] ?? 'application/octet-stream'),
      () => send(index, TYPES['.html']!),
    );
  });
  servers.push(server);
  origins.set(name, await listenLocal(server));
}

/** The drop-in folder with the README's flow: the reference render, pdf.js's files in place. */
function dropInPage(backendUrl: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="UTF-8" /><title>drop-in</title>
<script type="module" src="/cdn/secure-viewer.js"></script></head>
<body><div><secure-viewer style="height: 80vh"></secure-viewer></div>
<script type="module">
  const backend = ${JSON.stringify(backendUrl)};
  const doc = new URLSearchParams(location.search).get('doc') ?? 'sample';
  const viewer = document.querySelector('secure-viewer');
  viewer.renewToken = async () => {
    const body = await (await fetch(backend + '/demo/session-token?doc=' + doc, { method: 'POST' })).json();
    return { token: body.token, expiresAt: Date.now() + body.expires_in * 1000 };
  };
  viewer.src = backend + '/api/documents/' + doc + '/content';
</script></body></html>`;
}

async function upload(bytes: Uint8Array, title: string): Promise<string> {
  const response = await fetch(`${backend.url}/api/documents?title=${title}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${API_KEY}`, 'Content-Type': 'application/pdf' },
    body: bytes as Uint8Array<ArrayBuffer>,
  });
  assert.equal(response.status, 201, await response.clone().text());
  return ((await response.json()) as { document_id: string }).document_id;
}

before(async () => {
  await ensurePackageBuilt();
  work = await mkdtemp(path.join(tmpdir(), 'sv-consumer-app-'));
  const packed = await run('npm', ['pack', '--ignore-scripts', '--pack-destination', work], repoRoot);
  assert.equal(packed.code, 0, packed.output);
  const tarball = path.join(work, packed.output.trim().split('\n').at(-1)!);

  // The README's recipe runs `npm start`, whose demo mode hands out /demo/session-token.
  backend = await startBackend({
    port: 0,
    dataDir: path.join(work, 'data'),
    apiKey: API_KEY,
    allowedOrigins: (origin) => [...origins.values()].includes(origin),
    demoSessionTokens: true,
    log: () => {},
  });
  docs.cjk = await upload(cjkPdf(), 'cjk');
  docs.fonts = await upload(await standardFontsPdf(), 'fonts');

  // Next.js's build, the longest, runs beside the others, which are built one after the other:
  // two builds at a time on two cores.
  const buildNext = async () => {
    const dir = path.join(work, 'next');
    await createApp(dir, 'next', tarball, backend.url);
    const result = await build(dir, 'next');
    builds.set('next', result);
    if (result.code !== 0) return;
    const server = await nextStart(dir);
    stops.push(server.stop);
    origins.set('next', server.origin);
    appDirs.set('next', dir);
  };
  const buildOthers = async () => {
    for (const framework of frameworks.filter((name) => name !== 'next')) {
      const dir = path.join(work, framework);
      await createApp(dir, framework, tarball, backend.url);
      if (framework === 'react') typeChecks.set(framework, await typeCheck(dir));
      const result = await build(dir, framework);
      builds.set(framework, result);
      if (result.code !== 0) continue;
      // Vite writes the page into its build; webpack and Rollup build only the script the app's page loads.
      const index = path.join(dir, framework === 'react' || framework === 'vue' ? 'dist/index.html' : 'index.html');
      await serveSpa(framework, path.join(dir, 'dist'), await readFile(index, 'utf8'));
      appDirs.set(framework, dir);
    }
  };
  // Both settle before either's failure is thrown: no build goes on in a folder being removed.
  for (const result of await Promise.allSettled([buildNext(), buildOthers()])) if (result.status === 'rejected') throw result.reason;
  await serveSpa('drop-in', path.join(repoRoot, 'dist'), dropInPage(backend.url));
  appDirs.set('drop-in', repoRoot);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  for (const server of servers) await closeServer(server);
  for (const stop of stops) stop();
  await backend?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

/** A file of pdf.js as it was answered; `worker` when a worker was started from it. */
interface Served {
  url: string;
  status: number;
  type: string;
  worker: boolean;
}

/** pdf.js's run-time files, and its worker where the bundler kept its name. */
const PDFJS_FILE = /\.(bcmap|pfb|ttf|wasm|icc)(\?|$)|pdf\.worker/;

/**
 * Watches a page for the files of pdf.js it fetches: the run-time files by their names, the
 * worker by the URL a worker was started from (webpack names it by its hash alone).
 */
function watchPdfjsFiles(page: Page): () => Served[] {
  const responses: Array<Omit<Served, 'worker'>> = [];
  const workers = new Set<string>();
  page.on('worker', (worker) => workers.add(worker.url()));
  page.on('response', (response) => responses.push({ url: response.url(), status: response.status(), type: response.headers()['content-type'] ?? '' }));
  return () => responses.filter((file) => workers.has(file.url) || PDFJS_FILE.test(file.url)).map((file) => ({ ...file, worker: workers.has(file.url) }));
}

interface Rendered {
  width: number;
  height: number;
  /** Pixels of page 1 darker than mid-grey: the text, as the document has nothing else. */
  ink: number;
  text: string;
  /** pdf.js's worker and run-time files, as they were answered. */
  files: Served[];
  errors: string[];
}

/** Opens a document in an app and reads page 1 once pdf.js has drawn it and laid out its text. */
async function render(app: string, doc: string, expectText?: string): Promise<Rendered> {
  const page: Page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
  const pdfjsFiles = watchPdfjsFiles(page);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto(`${origins.get(app)}/?doc=${doc}`);
  const read = () =>
    page.evaluate(() => {
      const root = document.querySelector('secure-viewer')?.shadowRoot;
      const canvas = root?.querySelector<HTMLCanvasElement>('.page[data-page-number="1"][data-rendered="true"] canvas');
      if (!canvas || canvas.width === 0) return null;
      const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
      let ink = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i]! + data[i + 1]! + data[i + 2]! < 3 * 128) ink++;
      const text = root?.querySelector('.page[data-page-number="1"] .textLayer')?.textContent ?? '';
      return { width: canvas.width, height: canvas.height, ink, text };
    });
  await page.waitForFunction(
    (wanted) => {
      const root = document.querySelector('secure-viewer')?.shadowRoot;
      const drawn = root?.querySelector('.page[data-page-number="1"][data-rendered="true"] canvas');
      const text = root?.querySelector('.page[data-page-number="1"] .textLayer')?.textContent ?? '';
      return drawn && (!wanted || text.includes(wanted));
    },
    expectText,
    { timeout: 20_000 },
  ).catch(async (error: Error) => {
    throw new Error(`${app} ${doc}: ${error.message}\n${JSON.stringify({ read: await read(), files: pdfjsFiles(), errors })}`);
  });
  const drawn = (await read())!;
  await page.close();
  return { ...drawn, files: pdfjsFiles(), errors };
}

/**
 * pdf.js fetched its worker and the files of `kind`, and every file of pdf.js the page fetched
 * came from the app's origin, answered 200 with the file the app's bundler wrote into the build
 * (not the app's HTML page).
 */
function assertFilesServed(app: Framework | 'drop-in', files: Served[], kind: RegExp | null): void {
  const list = JSON.stringify(files);
  assert.ok(files.some((file) => file.worker), `${app}: pdf.js started its worker from a file of the build: ${list}`);
  if (kind) assert.ok(files.some((file) => kind.test(new URL(file.url).pathname)), `${app}: pdf.js fetched its ${kind} file(s): ${list}`);
  for (const file of files) {
    const url = new URL(file.url);
    assert.equal(file.status, 200, `${app}: ${file.url}`);
    assert.doesNotMatch(file.type, /text\/html/, `${app}: ${file.url} is the app's HTML page, not pdf.js's file`);
    assert.equal(url.origin, origins.get(app), `${app}: ${file.url} is served by the app`);
    assert.ok(builtFile(appDirs.get(app)!, app, url.pathname), `${app}: ${file.url} is a file the bundler wrote`);
  }
}

/** The same page drawn from another build: same size, and the same amount of ink within 2 %. */
function assertSameRender(actual: Rendered, reference: Rendered, label: string): void {
  assert.deepEqual([actual.width, actual.height], [reference.width, reference.height], `${label}: canvas size`);
  assert.ok(Math.abs(actual.ink - reference.ink) <= reference.ink * 0.02, `${label}: ${actual.ink} dark pixels, the drop-in drew ${reference.ink}`);
}

describe('consumer apps built from the packed package', () => {
  test('the README has the complete React, Vue, Rollup and Next.js files', async () => {
    const { readmeFiles } = await import('./consumer/app.ts');
    assert.deepEqual(Object.keys(readmeFiles('react')), ['src/App.tsx']);
    assert.deepEqual(Object.keys(readmeFiles('vue')).sort(), ['src/App.vue', 'vite.config.ts']);
    assert.deepEqual(Object.keys(readmeFiles('webpack')), []);
    assert.deepEqual(Object.keys(readmeFiles('rollup')), ['rollup.config.js']);
    assert.deepEqual(Object.keys(readmeFiles('next')).sort(), ['app/page.jsx', 'app/viewer.jsx']);
  });

  test("the React component type-checks under Vite's strict template settings", () => {
    const result = typeChecks.get('react')!;
    assert.equal(result.code, 0, result.output);
  });

  for (const framework of frameworks) {
    test(`${framework}: the build succeeds with no warning about pdf.js's files`, () => {
      const result = builds.get(framework)!;
      assert.equal(result.code, 0, result.output);
      // Unresolved files (Vite, Rollup), unanalysable imports and missing modules (webpack), errors.
      assert.doesNotMatch(result.output, /doesn't exist at build time|Could not resolve|Module not found|Critical dependency|error/i, result.output);
      // Warnings (webpack's, Rollup's and Vite's, Next.js's), but for the size notes the README
      // explains: pdf.js's main chunk is above Vite's and webpack's hints, its worker above webpack's.
      // Next.js also notes, when CI is set, that a fresh build has no cache of earlier builds.
      assert.doesNotMatch(result.output, /WARNING in (?!asset size limit)|\(!\) (?!Some chunks are larger than 500 kB)|⚠(?! No build cache found\.)/, result.output);
    });

    test(`${framework}: the sample renders cross-origin, pdf.js's worker from the build`, async (t) => {
      if (!origins.has(framework)) return t.skip('the build failed');
      const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
      const pdfjsFiles = watchPdfjsFiles(page);
      await page.goto(`${origins.get(framework)}/`);
      assert.deepEqual(await firstPagePixel(page), [255, 0, 0], 'page 1 of the sample is red at 50 % / 30 %');
      await page.close();
      assertFilesServed(framework, pdfjsFiles(), null);
    });
  }

  test('next: the page is rendered on the server, with the element in it', async (t) => {
    if (!origins.has('next')) return t.skip('the build failed');
    const response = await fetch(`${origins.get('next')}/?doc=${docs.cjk}`);
    assert.equal(response.status, 200);
    const html = await response.text();
    // The server rendered the client component's element, and gave it the page's document.
    assert.match(html, /<body>.*<secure-viewer style="height:80vh"><\/secure-viewer>/s, html);
    assert.ok(html.includes(`\\"doc\\":\\"${docs.cjk}\\"`), html);
  });

  test('CJK text through a predefined CMap renders as from the drop-in folder', async () => {
    const reference = await render('drop-in', docs.cjk, CJK_TEXT);
    assertFilesServed('drop-in', reference.files, /\.bcmap$/);
    for (const framework of frameworks) {
      const rendered = await render(framework, docs.cjk, CJK_TEXT);
      assertFilesServed(framework, rendered.files, /\.bcmap$/);
      assert.ok(rendered.text.includes(CJK_TEXT), `${framework}: text layer "${rendered.text}"`);
      assertSameRender(rendered, reference, framework);
    }
  });

  test('standard fonts that are not embedded render as from the drop-in folder', async () => {
    const reference = await render('drop-in', docs.fonts, 'Standard fonts');
    assertFilesServed('drop-in', reference.files, /\.pfb$/);
    assert.ok(reference.ink > 1000, `the drop-in drew text (${reference.ink} dark pixels)`);
    for (const framework of frameworks) {
      const rendered = await render(framework, docs.fonts, 'Standard fonts');
      assertFilesServed(framework, rendered.files, /\.pfb$/);
      assertSameRender(rendered, reference, framework);
    }
  });
});
