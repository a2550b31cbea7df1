// The test switches' token minting answers as POST /api/tokens does when the document's revocation
// time is ahead of this server's clock (503 with Retry-After, not a 500), and the tests' mint
// helper waits that out and tries again.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { createMemoryStore } from '../../../server/index.ts';
import { content, mint, startTestBackend } from './helpers.ts';

describe('test-switch token minting', () => {
  it('answers 503 with Retry-After while a revocation is ahead of the clock, and mint() retries', async () => {
    const storeDir = await mkdtemp(path.join(tmpdir(), 'sv-mint-ahead-'));
    const store = await createMemoryStore({ dataDir: storeDir });
    const backend = await startTestBackend({ store });
    try {
      // As another instance whose clock runs two seconds ahead would have stored it.
      await store.revocations.revokeDocument('sample', Math.floor(Date.now() / 1000) + 2);
      const raw = await fetch(`${backend.url}/__test/tokens`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ document: 'sample' }),
      });
      assert.equal(raw.status, 503);
      const retryAfter = Number(raw.headers.get('retry-after'));
      assert.ok(retryAfter >= 1 && retryAfter <= 3, `Retry-After ${retryAfter}`);
      assert.equal(((await raw.json()) as { error: { code: string } }).error.code, 'token_unavailable');
      const started = Date.now();
      const token = await mint(backend.url, 'sample');
      assert.ok(Date.now() - started < 8000);
      const response = await content(backend.url, 'sample', token, { Range: 'bytes=0-4' });
      assert.equal(response.status, 206);
      await response.arrayBuffer();
    } finally {
      await backend.close();
      await store.close();
      await rm(storeDir, { recursive: true, force: true });
    }
  });
});
