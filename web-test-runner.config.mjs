// Browser tests: TypeScript through esbuild, Debian's browsers (no browser download; SV_ENGINE picks
// chromium, firefox or webkit: scripts/wtr-engines.mjs), and the real reference backend started on
// 127.0.0.1 with its test switches. The test page is served from
// localhost, so every document request is cross-origin and exercises CORS and preflights.
import { createRequire } from 'node:module';
import { readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defaultReporter } from '@web/test-runner';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { tsImport } from 'tsx/esm/api';
import { devtoolsCommandsPlugin } from './scripts/wtr-devtools-commands.mjs';
import { ENGINE_FILES, engineFromEnv, engineLauncher } from './scripts/wtr-engines.mjs';

const require = createRequire(import.meta.url);
const rootDir = process.cwd();
const executablePath = process.env.CHROME_PATH ?? '/usr/bin/chromium';
const testPort = Number(process.env.WTR_PORT ?? 8765);
const engine = engineFromEnv();

const { startBackend } = await tsImport('./demo/server/app.ts', import.meta.url);
const dataDir = await mkdtemp(path.join(tmpdir(), 'sv-test-data-'));
const backend = await startBackend({
  port: 0,
  dataDir,
  testSwitches: true,
  demoSessionTokens: true,
  allowedOrigins: [`http://localhost:${testPort}`],
  scryptCost: 2 ** 14,
  log: () => {},
});

/**
 * Mirrors Vite's `import url from 'pkg/file?url'`: the import resolves to the file's served
 * path and the module exports only that URL, as in the Vite build.
 */
const viteUrlImports = {
  name: 'vite-url-imports',
  resolveImport({ source }) {
    const q = source.indexOf('?');
    if (q < 0 || !new URLSearchParams(source.slice(q)).has('url')) return undefined;
    const spec = source.slice(0, q);
    if (spec.startsWith('.') || spec.startsWith('/')) return undefined;
    const file = require.resolve(spec);
    return `/${path.relative(rootDir, file).split(path.sep).join('/')}?url`;
  },
  serve(context) {
    if (context.URL.searchParams.has('url')) {
      return { body: `export default ${JSON.stringify(context.path)};`, type: 'js' };
    }
    return undefined;
  },
};

/** Mirrors Vite's `?inline` CSS imports: the module's default export is the CSS text. */
const viteInlineCss = {
  name: 'vite-inline-css',
  resolveImport({ source }) {
    if (!source.endsWith('.css?inline') || source.startsWith('.') || source.startsWith('/')) return undefined;
    const file = require.resolve(source.slice(0, -'?inline'.length));
    return `/${path.relative(rootDir, file).split(path.sep).join('/')}?inline`;
  },
  async serve(context) {
    if (context.path.endsWith('.css') && context.URL.searchParams.has('inline')) {
      const css = await readFile(path.join(rootDir, decodeURIComponent(context.path)), 'utf8');
      return { body: `export default ${JSON.stringify(css)};`, type: 'js' };
    }
    return undefined;
  },
};

/**
 * Mirrors Vite's eager `import.meta.glob('/dir/*.{a,b}', { query: '?url', import: 'default' })`
 * (src/pdf/pdfjs-files.ts): the call becomes an object of the matching files' served paths,
 * which is what the build's URLs are for an unbundled package.
 */
const viteGlobUrls = {
  name: 'vite-glob-urls',
  transform(context) {
    if (!context.path.endsWith('.ts') || typeof context.body !== 'string' || !context.body.includes('import.meta.glob')) return undefined;
    const call = /import\.meta\.glob(?:<[^>]*>)?\(\s*(['"])([^'"]+)\1\s*,\s*\{[^}]*\}\s*\)/g;
    const body = context.body.replace(call, (_, _quote, pattern) => {
      const slash = pattern.lastIndexOf('/');
      const dir = pattern.slice(0, slash);
      const name = new RegExp(
        `^${pattern
          .slice(slash + 1)
          .replace(/[.+^$()|[\]\\]/g, '\\$&')
          .replace(/\*/g, '[^/]*')
          .replace(/\{([^}]*)\}/g, (_m, list) => `(${list.split(',').join('|')})`)}$`,
      );
      const files = readdirSync(path.join(rootDir, dir)).filter((file) => name.test(file));
      return JSON.stringify(Object.fromEntries(files.map((file) => [`${dir}/${file}`, `${dir}/${file}`])));
    });
    return { body };
  },
};

const browser = await engineLauncher(engine, {
  chromiumPath: executablePath,
  // gc() for the test that checks a page's text can be collected once it left the view.
  chromiumArgs: ['--js-flags=--expose-gc'],
});

/** Stops the backend (and WebKit's driver) with the test server. */
const backendLifecycle = {
  name: 'reference-backend',
  async serverStop() {
    await browser.stop();
    await backend.close();
    await rm(dataDir, { recursive: true, force: true });
  },
};

/** One plain closing line for CI: "web-test-runner (engine): N passed, N failed, N skipped". */
function countReporter() {
  return {
    stop({ sessions }) {
      let passed = 0;
      let failed = 0;
      let skipped = 0;
      // Named again at the end, so a CI log that keeps only its tail still says what failed.
      const failures = [];
      const walk = (suite, file, trail) => {
        for (const t of suite?.tests ?? []) {
          if (t.skipped) skipped++;
          else if (t.passed) passed++;
          else {
            failed++;
            failures.push(`${file} › ${[...trail, t.name].join(' › ')}`);
          }
        }
        for (const s of suite?.suites ?? []) walk(s, file, [...trail, s.name]);
      };
      for (const s of sessions) {
        const file = path.relative(rootDir, s.testFile);
        walk(s.testResults, file, []);
        const empty = !s.testResults?.tests?.length && !s.testResults?.suites?.length;
        if (!s.passed && empty) {
          failed++; // the file failed to load
          failures.push(`${file} (did not load)`);
        }
      }
      const lines = [
        ...failures.map((name) => `web-test-runner (${engine}) failed: ${name}`),
        `web-test-runner (${engine}): ${passed} passed, ${failed} failed, ${skipped} skipped`,
      ];
      process.once('exit', () => process.stdout.write(`${lines.join('\n')}\n`));
    },
  };
}

export default {
  // test/e2e and test/ssr run in Node (node:test), not in the page. Files named on the command
  // line replace these.
  files: engine === 'chromium' ? ['test/**/*.test.ts', '!test/e2e/**', '!test/ssr/**'] : [...ENGINE_FILES],
  nodeResolve: true,
  port: testPort,
  hostname: 'localhost',
  concurrency: 1,
  testsFinishTimeout: 300_000,
  plugins: [
    backendLifecycle,
    viteUrlImports,
    viteInlineCss,
    viteGlobUrls,
    devtoolsCommandsPlugin(),
    esbuildPlugin({ ts: true, target: 'es2022', tsconfig: './tsconfig.json' }),
  ],
  browsers: [browser.launcher],
  testRunnerHtml: (testFramework) => `<!doctype html>
<html><head><meta charset="utf-8"></head><body>
<script>window.__SV_TEST__ = ${JSON.stringify({ backend: backend.url, engine })};</script>
<script type="module" src="${testFramework}"></script>
</body></html>`,
  reporters: [defaultReporter(), countReporter()],
  testFramework: { config: { timeout: 20_000 } },
  filterBrowserLogs: ({ args }) => !String(args[0]).includes('Lit is in dev mode'),
};
