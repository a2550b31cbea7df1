// Small ranges of a file through the Node handler, read whole and written in one go: the right
// bytes and headers, their place under the stream bounds given back as each answer closes, and a
// file shorter than its recorded size answered with an error rather than with too few bytes.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createMemoryStore, createSecureViewerServer, generateSigningKeys, type SecureViewerServer, type SharedStore } from '../index.ts';

const SIZE = 300 * 1024;
let dir: string;
let store: SharedStore;
let viewer: SecureViewerServer;
let server: Server;
let url: string;
let bytes: Buffer;

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'sv-one-read-'));
  bytes = randomBytes(SIZE);
  await writeFile(path.join(dir, 'doc.pdf'), bytes);
  // Recorded as longer than the file is: the last range is not there.
  await writeFile(path.join(dir, 'short.pdf'), bytes.subarray(0, 1000));
  store = await createMemoryStore({ dataDir: dir });
  viewer = createSecureViewerServer({
    store,
    keys: await generateSigningKeys(),
    documents: async (id) =>
      id === 'doc' || id === 'short' ? { title: id, size: SIZE, etag: `"${id}"`, source: path.join(dir, `${id}.pdf`), permissions: ['read'] } : null,
    // One body at a time per token: a place not given back refuses the next request.
    streams: { perToken: 1, perClient: 1 },
  });
  server = createServer((req, res) => {
    const id = /^\/(\w+)$/.exec(req.url ?? '')?.[1] ?? '';
    viewer.content.node(req, res, id).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

async function token(doc: string): Promise<string> {
  return (await viewer.tokens.issue({ doc, permissions: ['read'], lifetimeSeconds: 300 })).token;
}

describe('small ranges through the Node handler', () => {
  it('answers each with its bytes, and gives its place back once it is answered', async () => {
    const jwt = await token('doc');
    for (const [start, end] of [[0, 0], [1000, 33_767], [65_536, 131_071], [SIZE - 100, SIZE - 1], [200_000, 200_000 + 64 * 1024]]) {
      const response = await fetch(`${url}/doc`, { headers: { Authorization: `Bearer ${jwt}`, Range: `bytes=${start}-${end}` } });
      assert.equal(response.status, 206, `bytes=${start}-${end}`);
      assert.equal(response.headers.get('content-range'), `bytes ${start}-${end}/${SIZE}`);
      assert.equal(response.headers.get('content-length'), String(end - start + 1));
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
      assert.ok(Buffer.from(await response.arrayBuffer()).equals(bytes.subarray(start, end + 1)), `bytes=${start}-${end}`);
    }
  });

  it('answers a file shorter than its record with an error before any header of the reply', async () => {
    const response = await fetch(`${url}/short`, { headers: { Authorization: `Bearer ${await token('short')}`, Range: 'bytes=900-1099' } });
    assert.equal(response.status, 500);
    assert.equal(response.headers.get('content-range'), null);
    // And its place was given back.
    const next = await fetch(`${url}/short`, { headers: { Authorization: `Bearer ${await token('short')}`, Range: 'bytes=0-99' } });
    assert.equal(next.status, 206);
    assert.ok(Buffer.from(await next.arrayBuffer()).equals(bytes.subarray(0, 100)));
  });
});
