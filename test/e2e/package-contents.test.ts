// What `npm run build` ships, checked as a consumer sees it: the `exports` map and its files, the
// custom elements manifest, and the type declarations compiled by a separate TypeScript project
// that depends on the package (moduleResolution "bundler" and "nodenext").
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensurePackageBuilt, repoRoot } from './package-build.ts';

interface ExportTarget {
  types?: string;
  default?: string;
}

interface PackageJson {
  name: string;
  exports: Record<string, string | ExportTarget>;
  files: string[];
  customElements: string;
  dependencies: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

interface Declaration {
  tagName?: string;
  customElement?: boolean;
  members?: Array<{ name: string; kind: string; privacy?: string }>;
  attributes?: Array<{ name: string; fieldName?: string }>;
  events?: Array<{ name: string }>;
  cssParts?: Array<{ name: string }>;
  cssProperties?: Array<{ name: string; default?: string }>;
}

interface Manifest {
  modules: Array<{ path: string; declarations?: Declaration[]; exports?: Array<{ kind: string; name: string }> }>;
}

const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as PackageJson;
let consumerDir: string;

before(async () => {
  await ensurePackageBuilt();
  consumerDir = await mkdtemp(path.join(tmpdir(), 'sv-consumer-'));
});

after(async () => {
  if (consumerDir) await rm(consumerDir, { recursive: true, force: true });
});

describe('package.json', () => {
  test('exports ., ./react, ./vue (with types), ./cdn/* and the manifest, and every target exists', () => {
    for (const entry of ['.', './react', './vue']) {
      const target = pkg.exports[entry] as ExportTarget;
      assert.ok(target?.types && target.default, `${entry} has types and default`);
      assert.ok(existsSync(path.join(repoRoot, target.types)), `${entry} types: ${target.types}`);
      assert.ok(existsSync(path.join(repoRoot, target.default)), `${entry} code: ${target.default}`);
    }
    assert.equal(pkg.exports['./cdn/*'], './dist/cdn/*');
    assert.ok(existsSync(path.join(repoRoot, 'dist/cdn/secure-viewer.js')));
    assert.ok(existsSync(path.join(repoRoot, 'dist/cdn/pdfjs/legacy/build/pdf.worker.min.mjs')), 'the worker beside the drop-in');
    assert.equal(pkg.customElements, 'custom-elements.json');
    assert.ok(pkg.files.includes('dist') && pkg.files.includes('custom-elements.json'));
  });

  test('React and Vue are optional peers; @lit/react and lit are dependencies; pdf.js is bundled', () => {
    for (const peer of ['react', 'react-dom', 'vue']) {
      assert.ok(pkg.peerDependencies?.[peer], `${peer} is a peer dependency`);
      assert.equal(pkg.peerDependenciesMeta?.[peer]?.optional, true, `${peer} is optional`);
    }
    assert.ok(pkg.dependencies['@lit/react'] && pkg.dependencies['lit']);
    assert.equal(pkg.dependencies['pdfjs-dist'], undefined);
  });

  test('the React entry keeps React, Lit and @lit/react external, and no entry imports pdf.js up front', () => {
    const react = readFileSync(path.join(repoRoot, 'dist/react.js'), 'utf8');
    assert.match(react, /from\s*["']react["']/);
    assert.match(react, /from\s*["']@lit\/react["']/);
    assert.ok(react.length < 4_000, `dist/react.js is a thin wrapper (${react.length} bytes)`);
    // pdf.js sits in its own chunks, reached only through dynamic import(). Our loader names
    // pdf.js's API (GlobalWorkerOptions, PDFWorker), so look for text of pdf.js's own code.
    const PDFJS_MARKER = 'Setting up fake worker';
    const pdfChunk = readdirSync(path.join(repoRoot, 'dist/cdn/chunks')).find((file) => /^pdf-.*\.js$/.test(file));
    assert.ok(pdfChunk && readFileSync(path.join(repoRoot, 'dist/cdn/chunks', pdfChunk), 'utf8').includes(PDFJS_MARKER), 'the marker is pdf.js code');
    for (const entry of ['dist/index.js', 'dist/cdn/secure-viewer.js']) {
      const code = readFileSync(path.join(repoRoot, entry), 'utf8');
      assert.doesNotMatch(code, /(?:^|[;\s])import\s*[^(;]*["'][^"']*chunks\/pdf(_viewer)?-[^"']+["']/, `${entry} has no static pdf.js import`);
      assert.ok(!code.includes(PDFJS_MARKER), `${entry} does not contain pdf.js`);
    }
  });
});

describe('custom-elements.json', () => {
  // Read when the tests run: the build in before() writes it.
  const read = () => {
    const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'custom-elements.json'), 'utf8')) as Manifest;
    return { manifest, element: manifest.modules.flatMap((m) => m.declarations ?? []).find((d) => d.tagName === 'secure-viewer') };
  };

  test('declares <secure-viewer> with the contract properties, attributes and methods', () => {
    const { manifest, element } = read();
    assert.ok(element?.customElement, 'secure-viewer is a custom element');
    const members = new Set((element.members ?? []).filter((m) => m.privacy !== 'private').map((m) => m.name));
    for (const name of ['src', 'token', 'tokenUrl', 'passwordUrl', 'renewToken', 'exchangePassword', 'page', 'zoom', 'permissions', 'state', 'numPages', 'error', 'sidebarOpen', 'analyticsUrl', 'shareFindQuery', 'goToPage', 'reload', 'download', 'print']) {
      assert.ok(members.has(name), `member ${name}`);
    }
    const attributes = new Set((element.attributes ?? []).map((a) => a.name));
    for (const name of ['src', 'token-url', 'password-url', 'page', 'zoom', 'analytics-url', 'share-find-query']) assert.ok(attributes.has(name), `attribute ${name}`);
    assert.ok(
      manifest.modules.some((m) => m.exports?.some((e) => e.kind === 'custom-element-definition' && e.name === 'secure-viewer')),
      'the tag definition',
    );
  });

  test('lists the events, CSS parts and --sv-* custom properties', () => {
    const { element } = read();
    const events = (element?.events ?? []).map((e) => e.name).sort();
    assert.deepEqual(events, [
      'sv-copy',
      'sv-download',
      'sv-error',
      'sv-find',
      'sv-load',
      'sv-page-change',
      'sv-page-view',
      'sv-password-required',
      'sv-print',
      'sv-progress',
      'sv-sidebar-toggle',
      'sv-token-renew',
      'sv-zoom',
    ]);
    const parts = new Set((element?.cssParts ?? []).map((p) => p.name));
    for (const part of ['toolbar', 'viewport', 'page', 'download-button', 'print-button', 'password-dialog', 'password-input', 'error', 'sidebar', 'sidebar-toggle-button']) {
      assert.ok(parts.has(part), `part ${part}`);
    }
    const properties = element?.cssProperties ?? [];
    assert.ok(properties.length > 0);
    for (const property of properties) assert.match(property.name, /^--sv-/);
  });

  test('names only files the package ships', () => {
    const { manifest } = read();
    for (const mod of manifest.modules) {
      assert.ok(pkg.files.some((dir) => mod.path.startsWith(`${dir}/`)), `${mod.path} is in "files"`);
      assert.ok(existsSync(path.join(repoRoot, mod.path)), `${mod.path} exists`);
    }
  });
});

/** A consumer's source: the right types compile, the wrong ones are flagged. */
const consumerSource = `
import { SecureViewer, type SvLoadDetail, type TokenGrant, type RenewTokenCallback } from 'secure-viewer';
import { SecureViewerReact } from 'secure-viewer/react';
import type {} from 'secure-viewer/vue';
import type { GlobalComponents } from 'vue';
import { createElement } from 'react';

const viewer = document.querySelector('secure-viewer');
if (viewer) {
  const typed: SecureViewer = viewer;
  typed.page = 2;
  typed.zoom = 'page-width';
  // @ts-expect-error page is a number
  typed.page = 'two';
  const renew: RenewTokenCallback = async ({ reason }) => ({ token: reason, expiresAt: Date.now() + 1000 } satisfies TokenGrant);
  typed.renewToken = renew;
  typed.addEventListener('sv-load', (event) => {
    const detail: SvLoadDetail = event.detail;
    console.log(detail.numPages);
  });
  typed.addEventListener('sv-token-renew', (event) => {
    // @ts-expect-error the renew event carries no token
    console.log(event.detail.token);
  });
}

export const element = createElement(SecureViewerReact, {
  src: '/api/documents/sample/content',
  renewToken: async () => 'token',
  onLoad: (event) => console.log(event.detail.numPages),
  onPageChange: (event) => console.log(event.detail.page),
  onTokenRenew: (event) => console.log(event.detail.reason),
});

// @ts-expect-error src is a string
export const wrong = createElement(SecureViewerReact, { src: 42 });

// secure-viewer/vue adds the tag to Vue's GlobalComponents.
export const vueKnowsTheTag: 'secure-viewer' extends keyof GlobalComponents ? true : false = true;
`;

function runTsc(project: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', project], { cwd: consumerDir });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

describe('type declarations in a consumer project', () => {
  test('resolve and type-check with moduleResolution bundler and nodenext', async () => {
    // The consumer depends on the package (a link, as `npm install ../secure-viewer` makes) and on
    // the frameworks it uses.
    await mkdir(path.join(consumerDir, 'node_modules', '@types'), { recursive: true });
    await symlink(repoRoot, path.join(consumerDir, 'node_modules', pkg.name), 'dir');
    for (const dep of ['react', 'vue', '@types/react']) {
      await symlink(path.join(repoRoot, 'node_modules', dep), path.join(consumerDir, 'node_modules', dep), 'dir');
    }
    await writeFile(path.join(consumerDir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    await writeFile(path.join(consumerDir, 'app.ts'), consumerSource);
    const base = {
      target: 'ES2022',
      lib: ['ES2023', 'DOM', 'DOM.Iterable'],
      strict: true,
      noEmit: true,
      // The declarations reach pdf.js's own types, which the package bundles rather than installs.
      skipLibCheck: true,
      types: [],
    };
    const configs = {
      'tsconfig.bundler.json': { ...base, module: 'ESNext', moduleResolution: 'bundler' },
      'tsconfig.nodenext.json': { ...base, module: 'NodeNext', moduleResolution: 'NodeNext' },
    };
    for (const [file, compilerOptions] of Object.entries(configs)) {
      await writeFile(path.join(consumerDir, file), JSON.stringify({ compilerOptions, files: ['app.ts'] }));
      const { code, output } = await runTsc(file);
      assert.equal(code, 0, `${file}:\n${output}`);
    }
  });

  test('the React demo app type-checks against the built package', async () => {
    // demo/react imports `secure-viewer/react` by name; TypeScript resolves the package's own name
    // through its `exports`, so this checks the app against dist/types as a user's app would be.
    const config = {
      compilerOptions: {
        target: 'ES2022',
        module: 'ESNext',
        moduleResolution: 'bundler',
        jsx: 'react-jsx',
        lib: ['ES2023', 'DOM', 'DOM.Iterable'],
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        types: [],
      },
      files: [path.join(repoRoot, 'demo/react/src/main.tsx')],
    };
    await writeFile(path.join(consumerDir, 'tsconfig.demo-react.json'), JSON.stringify(config));
    const { code, output } = await runTsc('tsconfig.demo-react.json');
    assert.equal(code, 0, output);
  });
});
