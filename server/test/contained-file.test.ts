// The containment check of a stored document (its real path inside the documents folder) is
// shared: requests that come while a lookup runs wait for it instead of starting their own, and
// the verdict is reused for a second.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DocumentStore } from '../document-store.ts';

let dir: string;
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'sv-contained-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the containment check of a stored document', () => {
  it('is looked up once for many requests at once, and again only after a second', { timeout: 10_000 }, async () => {
    const store = await DocumentStore.open(dir);
    const meta = await store.add({ id: 'doc', title: 'Doc', bytes: new Uint8Array([37, 80, 68, 70]), pages: 1 });
    const promises = fs.promises as unknown as Record<string, unknown>;
    const original = promises['realpath'] as (...args: unknown[]) => Promise<string>;
    const looked: string[] = [];
    promises['realpath'] = (target: unknown, ...rest: unknown[]) => {
      looked.push(String(target));
      return original(target, ...rest);
    };
    syncBuiltinESMExports();
    try {
      const files = await Promise.all(Array.from({ length: 50 }, () => store.containedFile(meta)));
      assert.ok(files.every((file) => file === store.filePath(meta)));
      const documentLookups = (): number => looked.filter((target) => target.endsWith('doc.pdf')).length;
      assert.equal(documentLookups(), 1, 'one lookup for fifty requests at once');
      await store.containedFile(meta);
      assert.equal(documentLookups(), 1, 'the verdict is reused');
      await new Promise((resolve) => setTimeout(resolve, 1100));
      assert.equal(await store.containedFile(meta), store.filePath(meta));
      assert.equal(documentLookups(), 2, 'and looked up again after a second');
    } finally {
      promises['realpath'] = original;
      syncBuiltinESMExports();
    }
  });
});
