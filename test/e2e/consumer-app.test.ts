// The package as a new user gets it: `npm pack`, the tarball installed into fresh Vite + React 19
// and Vite + Vue 3 apps outside the repository whose code is the README's, `vite build`, and the
// built apps opened in Chromium against the reference backend on another origin. The apps are
// served the way single-page apps are, with index.html for any unknown path, so a file of pdf.js
// looked for in the wrong place comes back as a 200 HTML page, as in production.
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
import { createApp, run, typeCheck, viteBuild, type Framework } from './consumer/app.ts';
import { CJK_TEXT, cjkPdf, standardFontsPdf } from './consumer/documents.ts';
import { ensurePackageBuilt, repoRoot } from './package-build.ts';
import { closeServer, firstPagePixel, launchChromium, listenLocal } from './support.ts';

const frameworks: Framework[] = ['react', 'vue'];
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
const origins = new Map<string, string>();
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

  // Built one after the other: two cores, shared.
  for (const framework of frameworks) {
    const dir = path.join(work, framework);
    await createApp(dir, framework, tarball, backend.url);
    if (framework === 'react') typeChecks.set(framework, await typeCheck(dir));
    const build = await viteBuild(dir);
    builds.set(framework, build);
    if (build.code === 0) await serveSpa(framework, path.join(dir, 'dist'), await readFile(path.join(dir, 'dist/index.html'), 'utf8'));
  }
  await serveSpa('drop-in', path.join(repoRoot, 'dist'), dropInPage(backend.url));
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  for (const server of servers) await closeServer(server);
  await backend?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

interface Rendered {
  width: number;
  height: number;
  /** Pixels of page 1 darker than mid-grey: the text, as the document has nothing else. */
  ink: number;
  text: string;
  /** pdf.js's worker and run-time files, as they were answered. */
  files: Array<{ url: string; status: number; type: string }>;
  errors: string[];
}

/** Opens a document in an app and reads page 1 once pdf.js has drawn it and laid out its text. */
async function render(app: string, doc: string, expectText?: string): Promise<Rendered> {
  const page: Page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
  const files: Rendered['files'] = [];
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('response', (response) => {
    if (/\.(bcmap|pfb|ttf|wasm|icc)(\?|$)|pdf\.worker/.test(response.url())) {
      files.push({ url: response.url(), status: response.status(), type: response.headers()['content-type'] ?? '' });
    }
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
    throw new Error(`${app} ${doc}: ${error.message}\n${JSON.stringify({ read: await read(), files, errors })}`);
  });
  const drawn = (await read())!;
  await page.close();
  return { ...drawn, files, errors };
}

function assertFilesServed(rendered: Rendered, kind: RegExp, label: string): void {
  const wanted = rendered.files.filter((file) => kind.test(new URL(file.url).pathname));
  assert.ok(wanted.length > 0, `${label}: pdf.js fetched its ${kind} file(s): ${JSON.stringify(rendered.files)}`);
  for (const file of rendered.files) {
    assert.equal(file.status, 200, `${label}: ${file.url}`);
    assert.doesNotMatch(file.type, /text\/html/, `${label}: ${file.url} is the app's HTML page, not pdf.js's file`);
  }
}

/** The same page drawn from another build: same size, and the same amount of ink within 2 %. */
function assertSameRender(actual: Rendered, reference: Rendered, label: string): void {
  assert.deepEqual([actual.width, actual.height], [reference.width, reference.height], `${label}: canvas size`);
  assert.ok(Math.abs(actual.ink - reference.ink) <= reference.ink * 0.02, `${label}: ${actual.ink} dark pixels, the drop-in drew ${reference.ink}`);
}

describe('consumer apps built from the packed package', () => {
  test('the README has the complete React and Vue files', async () => {
    const { readmeFiles } = await import('./consumer/app.ts');
    assert.deepEqual(Object.keys(readmeFiles('react')), ['src/App.tsx']);
    assert.deepEqual(Object.keys(readmeFiles('vue')).sort(), ['src/App.vue', 'vite.config.ts']);
  });

  test("the React component type-checks under Vite's strict template settings", () => {
    const result = typeChecks.get('react')!;
    assert.equal(result.code, 0, result.output);
  });

  for (const framework of frameworks) {
    test(`${framework}: vite build succeeds with no warning about pdf.js's files`, () => {
      const build = builds.get(framework)!;
      assert.equal(build.code, 0, build.output);
      assert.doesNotMatch(build.output, /doesn't exist at build time|Could not resolve|error/i, build.output);
    });

    test(`${framework}: the sample renders cross-origin through the README's token callback`, async (t) => {
      if (!origins.has(framework)) return t.skip('the build failed');
      const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
      await page.goto(`${origins.get(framework)}/`);
      assert.deepEqual(await firstPagePixel(page), [255, 0, 0], 'page 1 of the sample is red at 50 % / 30 %');
      await page.close();
    });
  }

  test('CJK text through a predefined CMap renders as from the drop-in folder', async () => {
    const reference = await render('drop-in', docs.cjk, CJK_TEXT);
    assertFilesServed(reference, /\.bcmap$/, 'drop-in');
    for (const framework of frameworks) {
      const rendered = await render(framework, docs.cjk, CJK_TEXT);
      assertFilesServed(rendered, /\.bcmap$/, framework);
      assert.ok(rendered.text.includes(CJK_TEXT), `${framework}: text layer "${rendered.text}"`);
      assertSameRender(rendered, reference, framework);
    }
  });

  test('standard fonts that are not embedded render as from the drop-in folder', async () => {
    const reference = await render('drop-in', docs.fonts, 'Standard fonts');
    assertFilesServed(reference, /\.pfb$/, 'drop-in');
    assert.ok(reference.ink > 1000, `the drop-in drew text (${reference.ink} dark pixels)`);
    for (const framework of frameworks) {
      const rendered = await render(framework, docs.fonts, 'Standard fonts');
      assertFilesServed(rendered, /\.pfb$/, framework);
      assertSameRender(rendered, reference, framework);
    }
  });
});
