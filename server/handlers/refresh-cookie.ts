// The refresh cookie: HttpOnly, SameSite=Strict, scoped to one document's path, Secure whenever
// the client's connection is HTTPS. It carries an opaque token; the store keeps only its hash.

export interface RefreshCookieOptions {
  /** Cookie name; default `sv_refresh`. */
  name?: string;
  /** Cookie path for a document; default `/api/documents/<id>/`. */
  path?(documentId: string): string;
}

export interface RefreshCookie {
  name: string;
  serialize(documentId: string, value: string, maxAgeSeconds: number, secure: boolean): string;
  cleared(documentId: string, secure: boolean): string;
}

export function refreshCookie(options: RefreshCookieOptions = {}): RefreshCookie {
  const name = options.name ?? 'sv_refresh';
  const pathFor = options.path ?? ((id: string) => `/api/documents/${id}/`);
  const serialize = (id: string, value: string, maxAgeSeconds: number, secure: boolean): string =>
    `${name}=${value}; HttpOnly; SameSite=Strict; Path=${pathFor(id)}; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`;
  return { name, serialize, cleared: (id, secure) => serialize(id, '', 0, secure) };
}
