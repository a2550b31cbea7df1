// Tokens for server-rendered pages only (`render: "server"`): minted by POST /api/tokens, refused
// by the content route (the PDF's bytes stay on the server), accepted by the page routes, and the
// stamped download still follows the token's `download` permission.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { content, startTestBackend, type TestBackend } from './helpers.ts';

let t: TestBackend;
before(async () => {
  t = await startTestBackend();
});
after(async () => {
  await t.close();
});

function issue(body: Record<string, unknown>): Promise<Response> {
  return fetch(`${t.url}/api/tokens`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${t.apiKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
}

async function token(permissions: string[], render?: unknown): Promise<string> {
  const response = await issue({ allowed_documents: [{ document_id: 'sample', document_permissions: permissions }], ...(render === undefined ? {} : { render }) });
  assert.equal(response.status, 200);
  return ((await response.json()) as { jwt: string }).jwt;
}

function claimsOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}

function get(path: string, bearer: string): Promise<Response> {
  return fetch(`${t.url}${path}`, { headers: { authorization: `Bearer ${bearer}` } });
}

describe('render-only tokens', () => {
  it('carry the render claim when asked for, and only then', async () => {
    assert.equal(claimsOf(await token(['read'], 'server'))['render'], 'server');
    assert.equal('render' in claimsOf(await token(['read'])), false);
    assert.ok(t.logs.some((line) => / audit token\.issue doc=sample permissions=read render=server /.test(line)));
  });

  it('are refused for a render mode the server does not know', async () => {
    for (const render of ['client', 'SERVER', true, null]) {
      const response = await issue({ allowed_documents: [{ document_id: 'sample', document_permissions: ['read'] }], render });
      assert.equal(response.status, 400, `render ${JSON.stringify(render)}`);
      assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'invalid_request');
    }
  });

  it('get no document bytes from the content route: 403 insufficient_scope, whatever is asked', async () => {
    const jwt = await token(['read', 'download'], 'server');
    const asks: Array<[Record<string, string>, string, string]> = [
      [{}, '', 'GET'],
      [{ Range: 'bytes=0-1023' }, '', 'GET'],
      [{}, '?disposition=attachment', 'GET'],
      [{}, '', 'HEAD'],
    ];
    for (const [headers, query, method] of asks) {
      const response = await fetch(`${t.url}/api/documents/sample/content${query}`, { method, headers: { Authorization: `Bearer ${jwt}`, ...headers } });
      assert.equal(response.status, 403, `${method} ${query} ${JSON.stringify(headers)}`);
      assert.match(response.headers.get('www-authenticate') ?? '', /^Bearer error="insufficient_scope"/);
      assert.equal(response.headers.get('content-range'), null);
      assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
      const text = await response.text();
      assert.ok(!text.startsWith('%PDF-'));
      if (method === 'GET') {
        const body = JSON.parse(text) as { error: { code: string; message: string } };
        assert.equal(body.error.code, 'insufficient_scope');
        assert.match(body.error.message, /only shown as pages rendered on the server/);
      }
    }
    assert.ok(t.logs.some((line) => / audit content\.refused doc=sample reason=render-server/.test(line)));
    // The same document still serves a token without the claim.
    const plain = await content(t.url, 'sample', await token(['read']), { Range: 'bytes=0-4' });
    assert.equal(plain.status, 206);
    assert.equal(await plain.text(), '%PDF-');
  });

  it('open the manifest and the page images', async () => {
    const jwt = await token(['read'], 'server');
    const manifest = await get('/api/documents/sample/pages', jwt);
    assert.equal(manifest.status, 200);
    const body = (await manifest.json()) as { urls: { image: string; download: string | null } };
    assert.equal(body.urls.download, null);
    const image = await get(body.urls.image.replace('{page}', '1').replace('{scale}', '0.5'), jwt);
    assert.equal(image.status, 200);
    assert.equal(image.headers.get('content-type'), 'image/webp');
  });

  it('get the stamped download with the download permission, and not without it', async () => {
    assert.equal((await get('/api/documents/sample/download', await token(['read'], 'server'))).status, 403);
    const stamped = await get('/api/documents/sample/download', await token(['read', 'download'], 'server'));
    assert.equal(stamped.status, 200);
    assert.equal(Buffer.from(await stamped.arrayBuffer()).subarray(0, 5).toString('latin1'), '%PDF-');
  });
});
