// Server-side rendering with the built package, imported by name through its `exports` map (Node
// resolves a package's own name from inside it) exactly as an app's server bundle would: no DOM,
// no customElements. Importing must not throw, and React and Vue must render the tag on the server.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createElement, type ComponentType } from 'react';
import { renderToString } from 'react-dom/server';
import { createSSRApp, h } from 'vue';
import { renderToString as renderVueToString } from 'vue/server-renderer';
import { ensurePackageBuilt } from '../e2e/package-build.ts';

/**
 * Imports one of the package's entry points by name. The specifier is a variable so that the
 * type-check (which runs before `npm run build`) does not need dist/types.
 */
function importPackage<T = Record<string, unknown>>(specifier: string): Promise<T> {
  return import(specifier) as Promise<T>;
}

before(async () => {
  await ensurePackageBuilt();
});

describe('the built package on a server', () => {
  test('secure-viewer, secure-viewer/react and secure-viewer/vue import without a DOM', async () => {
    assert.equal(typeof (globalThis as { document?: unknown }).document, 'undefined');
    assert.equal(typeof (globalThis as { customElements?: unknown }).customElements, 'undefined');
    const root = await importPackage('secure-viewer');
    assert.equal(typeof root['SecureViewer'], 'function');
    const react = await importPackage('secure-viewer/react');
    assert.equal(typeof react['SecureViewerReact'], 'object', 'a forwardRef component');
    await importPackage('secure-viewer/vue');
  });

  test('React renders <secure-viewer> to a string (properties are set after hydration)', async () => {
    const { SecureViewerReact } = await importPackage<{ SecureViewerReact: ComponentType<Record<string, unknown>> }>('secure-viewer/react');
    const html = renderToString(
      createElement(SecureViewerReact, {
        src: '/api/documents/sample/content',
        renewToken: async () => 'token',
        onLoad: () => {},
      }),
    );
    assert.match(html, /^<secure-viewer[\s>]/);
    // Functions never end up in markup.
    assert.doesNotMatch(html, /renew|async|=>/i);
  });

  test('Vue renders <secure-viewer> to a string with its attributes', async () => {
    await importPackage('secure-viewer/vue');
    const app = createSSRApp({
      render: () => h('secure-viewer', { src: '/api/documents/sample/content', '.renewToken': async () => 'token', onSvLoad: () => {} }),
    });
    app.config.compilerOptions.isCustomElement = (tag) => tag === 'secure-viewer';
    const html = await renderVueToString(app);
    assert.equal(html, '<secure-viewer src="/api/documents/sample/content"></secure-viewer>');
  });
});
