import { expect } from '@open-wc/testing';
import { decodeJwtClaims, permissionsFromClaims } from '../../src/token/jwt.ts';
import { isWellFormedToken, MAX_TOKEN_LENGTH } from '../../src/token/token-shape.ts';
import { fakeJwt } from './fake-clock.ts';

describe('decodeJwtClaims', () => {
  it('reads the payload of a JWT', () => {
    const claims = decodeJwtClaims(fakeJwt({ sub: 'ana', exp: 200, iat: 100, name: 'Zoë' }));
    expect(claims).to.deep.equal({ sub: 'ana', exp: 200, iat: 100, name: 'Zoë' });
  });

  it('gives null for opaque tokens and broken payloads', () => {
    expect(decodeJwtClaims('opaque-session-token')).to.equal(null);
    expect(decodeJwtClaims('a.b')).to.equal(null);
    expect(decodeJwtClaims('a.!!!.c')).to.equal(null);
    expect(decodeJwtClaims(`x.${btoa('[1,2]')}.y`)).to.equal(null);
    expect(decodeJwtClaims(`x.${btoa('not json')}.y`)).to.equal(null);
  });
});

describe('permissionsFromClaims', () => {
  it('reads a permissions array or string', () => {
    expect(permissionsFromClaims({ permissions: ['read', 'print'] })).to.deep.equal(['read', 'print']);
    expect(permissionsFromClaims({ permissions: 'read download' })).to.deep.equal(['read', 'download']);
  });

  it('reads Nutrient-style allowed_documents', () => {
    const claims = { allowed_documents: [{ document_id: 'a', document_permissions: ['read', 'download'] }] };
    expect(permissionsFromClaims(claims)).to.deep.equal(['read', 'download']);
  });

  it('says nothing when the token says nothing', () => {
    expect(permissionsFromClaims(null)).to.equal(null);
    expect(permissionsFromClaims({ sub: 'x' })).to.equal(null);
  });
});

describe('isWellFormedToken', () => {
  it('accepts JWTs and opaque tokens', () => {
    expect(isWellFormedToken(fakeJwt({ a: 1 }))).to.equal(true);
    expect(isWellFormedToken('abc~123+/=')).to.equal(true);
  });

  it('refuses anything that could break or bloat a header', () => {
    for (const bad of ['', 'a b', 'a\r\nX-Evil: 1', 'tab\there', 'é', 'x'.repeat(MAX_TOKEN_LENGTH + 1), 42, null]) {
      expect(isWellFormedToken(bad), JSON.stringify(bad)).to.equal(false);
    }
    expect(isWellFormedToken('x'.repeat(MAX_TOKEN_LENGTH))).to.equal(true);
  });
});
