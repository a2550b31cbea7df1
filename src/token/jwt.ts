/** The payload of a JWT, read without verification: only the server can trust it. */
export type JwtClaims = Readonly<Record<string, unknown>>;

function decodeBase64Url(segment: string): string | null {
  if (!/^[A-Za-z0-9_-]*$/.test(segment)) return null;
  const base64 = segment.replace(/-/g, '+').replace(/_/g, '/');
  const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
  try {
    const binary = atob(padded);
    const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/**
 * Reads a JWT's claims for scheduling and UI hints. Opaque tokens (not three dot-separated
 * parts, or a payload that is not a JSON object) give null; they are still valid tokens.
 */
export function decodeJwtClaims(token: string): JwtClaims | null {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[1]) return null;
  const json = decodeBase64Url(parts[1]);
  if (json === null) return null;
  try {
    const payload: unknown = JSON.parse(json);
    return payload !== null && typeof payload === 'object' && !Array.isArray(payload) ? (payload as JwtClaims) : null;
  } catch {
    return null;
  }
}

/** A numeric claim such as `exp` or `iat` (seconds since the epoch), or undefined. */
export function numericClaim(claims: JwtClaims | null, name: string): number | undefined {
  const value = claims?.[name];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function stringList(value: unknown): string[] | null {
  if (typeof value === 'string') return value.split(/[\s,]+/).filter(Boolean);
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return [...(value as string[])];
  return null;
}

/**
 * The permissions a token carries: a `permissions` claim (array or space/comma separated string),
 * or Nutrient-style `allowed_documents[].document_permissions` (the union). Null when the token
 * says nothing about permissions.
 */
export function permissionsFromClaims(claims: JwtClaims | null): readonly string[] | null {
  if (!claims) return null;
  const direct = stringList(claims['permissions']);
  if (direct) return Object.freeze([...new Set(direct)]);
  const allowed = claims['allowed_documents'];
  if (!Array.isArray(allowed)) return null;
  const union = new Set<string>();
  let found = false;
  for (const entry of allowed) {
    if (entry === null || typeof entry !== 'object') continue;
    const list = stringList((entry as Record<string, unknown>)['document_permissions']);
    if (!list) continue;
    found = true;
    for (const permission of list) union.add(permission);
  }
  return found ? Object.freeze([...union]) : null;
}
