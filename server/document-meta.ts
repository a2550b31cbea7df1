// What the server knows about a stored document: everything but its bytes.
import type { PasswordHash } from './password-hasher.ts';

/** What a viewer token may allow that the viewer acts on; `read` is always required. */
export const ALL_PERMISSIONS = ['read', 'download', 'print', 'copy'] as const;
/**
 * Known names that nothing checks yet: `write` (as in the integrators' vocabulary: read, write,
 * download) is reserved for the write workflows to come. A token may carry it; it grants nothing today.
 */
export const RESERVED_PERMISSIONS = ['write'] as const;
/** Every name a token or a document may list; any other name is refused. */
export const KNOWN_PERMISSIONS = [...ALL_PERMISSIONS, ...RESERVED_PERMISSIONS] as const;
export type Permission = (typeof KNOWN_PERMISSIONS)[number];

/** A stored document's metadata; the bytes live in a {@link ByteSource}. */
export interface DocumentMeta {
  id: string;
  title: string;
  size: number;
  pages: number;
  /** Strong validator derived from the content hash. */
  etag: string;
  password_hash?: PasswordHash;
  /** What a token for this document may grant. */
  permissions: Permission[];
}

/** Ids are short, plain tokens; anything else is "not found" before any lookup. */
const ID_SYNTAX = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export function isValidDocumentId(id: string): boolean {
  return ID_SYNTAX.test(id);
}

export function isPermission(value: unknown): value is Permission {
  return typeof value === 'string' && (KNOWN_PERMISSIONS as readonly string[]).includes(value);
}

/** The names in `requested` that are not permissions at all (not merely not granted). */
export function unknownPermissions(requested: readonly string[]): string[] {
  return [...new Set(requested.filter((name) => !isPermission(name)))];
}
