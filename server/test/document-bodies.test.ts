// Bounds on document bodies in the web handler (any runtime, no Node response): a body no one
// reads is ended after the idle time with its source closed, and the bodies a token or a client
// may hold at once are counted and given back.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { createMemoryStore, createSecureViewerServer, generateSigningKeys, type SecureViewerServer, type SharedStore } from '../index.ts';

const SIZE = 50 * 1024 * 1024;
let dir: string;
let store: SharedStore;
let viewer: SecureViewerServer;
/** Sources opened and closed so far. */
const sources = { opened: 0, closed: 0 };

/** A range reader that has bytes for as long as someone reads, and counts its closing. */
function endless(): Readable {
  sources.opened++;
  return new Readable({
    read() {
      this.push(Buffer.alloc(64 * 1024, 1));
    },
    destroy(error, callback) {
      sources.closed++;
      callback(error);
    },
  });
}

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'sv-bodies-'));
  store = await createMemoryStore({ dataDir: dir });
  viewer = createSecureViewerServer({
    store,
    keys: await generateSigningKeys(),
    documents: async (id) => (id === 'big' ? { title: 'Big', size: SIZE, etag: '"big"', source: () => endless(), permissions: ['read'] } : null),
    streams: { idleTimeoutMs: 200, perToken: 1, perClient: 2 },
  });
});
after(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

async function token(): Promise<string> {
  return (await viewer.tokens.issue({ doc: 'big', permissions: ['read'], lifetimeSeconds: 300 })).token;
}

function get(jwt: string, client = 'a'): Promise<Response> {
  const request = new Request('http://viewer.invalid/api/documents/big/content', { headers: { Authorization: `Bearer ${jwt}` } });
  return viewer.content(request, 'big', { key: client });
}

async function until(condition: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  return condition();
}

describe('document bodies (web handler)', () => {
  it('ends a body no one reads after the idle time, closing its source and giving its place back', { timeout: 10_000 }, async () => {
    const jwt = await token();
    const before = { ...sources };
    const unread = await get(jwt);
    assert.equal(unread.status, 200);
    assert.equal(sources.opened, before.opened + 1);
    // The token holds its one body: the next is refused, and nothing is opened for it.
    const refused = await get(jwt);
    assert.equal(refused.status, 503);
    assert.equal(refused.headers.get('retry-after'), '1');
    assert.equal(sources.opened, before.opened + 1);
    assert.ok(await until(() => sources.closed === before.closed + 1, 3_000), 'the unread body closed its source');
    const again = await get(jwt);
    assert.equal(again.status, 200);
    await again.body!.cancel();
    assert.ok(await until(() => sources.closed === before.closed + 2, 3_000), 'a cancelled body closes its source');
  });

  it('counts bodies per client across tokens, and a reader who reads is not cut off', { timeout: 10_000 }, async () => {
    const [first, second, third] = [await token(), await token(), await token()];
    const held = [await get(first, 'b'), await get(second, 'b')];
    assert.deepEqual(held.map((r) => r.status), [200, 200]);
    assert.equal((await get(third, 'b')).status, 503);
    assert.equal((await get(third, 'c')).status, 200, 'another client');
    // Reading steadily for longer than the idle time keeps the body going.
    const reader = held[0]!.body!.getReader();
    let received = 0;
    const until400ms = Date.now() + 400;
    while (Date.now() < until400ms) {
      const { value } = await reader.read();
      received += value!.byteLength;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.ok(received > 0);
    await reader.cancel();
    await held[1]!.body!.cancel();
  });
});
