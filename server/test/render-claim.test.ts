// The `render` claim: a token issued for server-rendered pages only says so after verification,
// the content decision refuses it with 403, and a render mode this library does not know makes
// the token invalid (never a full reader's token).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SignJWT } from 'jose';
import { authorizeDocumentRequest } from '../handlers/document-reply.ts';
import { generateSigningKeys } from '../signing-keys.ts';
import { MemoryRevocations } from '../store/memory-revocations.ts';
import { AUDIENCE, InvalidTokenError, ISSUER, nowSeconds, TOKEN_TYPE, TokenService } from '../token-service.ts';

async function service() {
  const keys = await generateSigningKeys();
  return { keys, tokens: new TokenService({ keys, revocations: await MemoryRevocations.open(null) }) };
}

const document = { title: 'Doc', size: 10, etag: '"e"', source: '/nonexistent.pdf' };

function requestWith(token: string, query = '') {
  return { method: 'GET', query, header: (name: string) => (name === 'authorization' ? `Bearer ${token}` : null) };
}

describe('render claim', () => {
  it('is carried by the token and its verified claims', async () => {
    const { tokens } = await service();
    const rendered = await tokens.issue({ doc: 'd', permissions: ['read'], lifetimeSeconds: 60, render: 'server' });
    assert.equal((await tokens.verify(rendered.token)).render, 'server');
    const plain = await tokens.issue({ doc: 'd', permissions: ['read'], lifetimeSeconds: 60 });
    assert.equal((await tokens.verify(plain.token)).render, undefined);
  });

  it('refuses a render mode it does not know', async () => {
    const { keys, tokens } = await service();
    const iat = nowSeconds();
    const token = await new SignJWT({ doc: 'd', permissions: ['read'], render: 'pdf' })
      .setProtectedHeader({ alg: 'EdDSA', typ: TOKEN_TYPE, kid: keys.kid })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setJti('j1')
      .setIssuedAt(iat)
      .setExpirationTime(iat + 60)
      .sign(keys.privateKey);
    await assert.rejects(tokens.verify(token), InvalidTokenError);
  });

  it('makes the content decision refuse the bytes with 403 insufficient_scope', async () => {
    const { tokens } = await service();
    const audit: string[] = [];
    const deps = { tokens, documents: async () => document, audit: (line: string) => void audit.push(line) };
    const rendered = await tokens.issue({ doc: 'd', permissions: ['read', 'download'], lifetimeSeconds: 60, render: 'server' });
    for (const query of ['', 'disposition=attachment']) {
      const access = await authorizeDocumentRequest(deps, requestWith(rendered.token, query), 'd');
      assert.equal(access.kind, 'refused');
      if (access.kind !== 'refused') return;
      assert.equal(access.reply.status, 403);
      assert.match(access.reply.headers['WWW-Authenticate'] ?? '', /^Bearer error="insufficient_scope"/);
      assert.equal((JSON.parse(access.reply.body as string) as { error: { code: string } }).error.code, 'insufficient_scope');
    }
    assert.deepEqual(audit, ['content.refused doc=d reason=render-server', 'content.refused doc=d reason=render-server']);
    const plain = await tokens.issue({ doc: 'd', permissions: ['read'], lifetimeSeconds: 60 });
    assert.equal((await authorizeDocumentRequest(deps, requestWith(plain.token), 'd')).kind, 'allowed');
  });
});
