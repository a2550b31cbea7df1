// The reference backend's server-side viewing routes: the manifest and page images for a read
// token (never the PDF), the stamped download for a download token, and the unstamped original
// for the API key only.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { mint, startTestBackend, type TestBackend } from './helpers.ts';

let t: TestBackend;
before(async () => {
  t = await startTestBackend();
});
after(async () => {
  await t.close();
});

function get(path: string, bearer?: string): Promise<Response> {
  return fetch(`${t.url}${path}`, { headers: bearer ? { authorization: `Bearer ${bearer}` } : {} });
}

describe('server-side viewing routes', () => {
  it('serve the manifest and watermarked page images, never the PDF', async () => {
    const token = await mint(t.url, 'sample', { permissions: ['read'] });
    const manifest = await get('/api/documents/sample/pages', token);
    assert.equal(manifest.status, 200);
    const body = (await manifest.json()) as { pageCount: number; urls: { image: string; download: string | null } };
    assert.ok(body.pageCount >= 1);
    assert.equal(body.urls.download, null);
    const image = await get(body.urls.image.replace('{page}', '1').replace('{scale}', '0.5'), token);
    assert.equal(image.status, 200);
    assert.equal(image.headers.get('content-type'), 'image/webp');
    const bytes = Buffer.from(await image.arrayBuffer());
    assert.notEqual(bytes.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.equal((await get('/api/documents/sample/download', token)).status, 403);
  });

  it('stamp the download, and give the original to the API key only', async () => {
    const original = await fetch(`${t.url}/api/documents/sample/original`, { headers: { 'x-api-key': t.apiKey } });
    assert.equal(original.status, 200);
    const originalBytes = Buffer.from(await original.arrayBuffer());
    assert.equal(originalBytes.subarray(0, 5).toString('latin1'), '%PDF-');
    const token = await mint(t.url, 'sample', { permissions: ['read', 'download'] });
    assert.equal((await get('/api/documents/sample/original', token)).status, 401);
    const stamped = await get('/api/documents/sample/download', token);
    assert.equal(stamped.status, 200);
    const stampedBytes = Buffer.from(await stamped.arrayBuffer());
    assert.ok(stampedBytes.length > originalBytes.length);
    assert.ok(stampedBytes.subarray(0, originalBytes.length).equals(originalBytes));
    assert.ok(t.logs.some((line) => / audit download\.stamped doc=sample jti=\S+ sub=/.test(line)));
  });
});
