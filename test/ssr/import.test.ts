// Importing the package where there is no DOM (server-side rendering, a Node build step) must not
// throw: the element registers itself only where customElements exists.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { ensurePackageBuilt } from '../e2e/package-build.ts';

before(async () => {
  await ensurePackageBuilt();
});

describe('server-side import', () => {
  test('the source entry imports in Node without a DOM', async () => {
    assert.equal(typeof (globalThis as { document?: unknown }).document, 'undefined');
    // Imported by path: the browser sources are type-checked with their own configuration.
    const entry = (await import(pathToFileURL(path.resolve('src/index.ts')).href)) as { SecureViewer?: unknown; parseZoom?: (value: string) => unknown };
    assert.equal(typeof entry.SecureViewer, 'function');
    assert.equal(entry.parseZoom?.('page-width'), 'page-width');
  });

  test('the built package entry imports in Node without a DOM', async () => {
    const entry = (await import(pathToFileURL(path.resolve('dist/index.js')).href)) as { SecureViewer?: unknown };
    assert.equal(typeof entry.SecureViewer, 'function');
  });
});
