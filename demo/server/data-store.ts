// The data folder: documents (PDF + JSON metadata), looked up only through an in-memory
// allowlist built from the metadata files (B-15). Nothing here ever joins a request path.
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, readdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import type { PasswordHash } from './passwords.ts';

export const ALL_PERMISSIONS = ['read', 'download', 'print', 'copy'] as const;
export type Permission = (typeof ALL_PERMISSIONS)[number];

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

export function isValidId(id: string): boolean {
  return ID_SYNTAX.test(id);
}

export function isPermission(value: unknown): value is Permission {
  return typeof value === 'string' && (ALL_PERMISSIONS as readonly string[]).includes(value);
}

export function etagFor(bytes: Uint8Array): string {
  return `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 32)}"`;
}

export async function countPages(bytes: Uint8Array): Promise<number> {
  try {
    const pdf = await PDFDocument.load(bytes, { ignoreEncryption: true, updateMetadata: false });
    return pdf.getPageCount();
  } catch {
    return 0; // Unparseable by pdf-lib; the viewer may still manage. Size and ETag stay exact.
  }
}

export class DocumentStore {
  readonly #documents = new Map<string, DocumentMeta>();
  readonly #folder: string;

  private constructor(dataDir: string) {
    this.#folder = path.join(dataDir, 'documents');
  }

  static async open(dataDir: string): Promise<DocumentStore> {
    const store = new DocumentStore(dataDir);
    await mkdir(store.#folder, { recursive: true });
    for (const name of await readdir(store.#folder)) {
      if (!name.endsWith('.json')) continue;
      const meta = JSON.parse(await readFile(path.join(store.#folder, name), 'utf8')) as DocumentMeta;
      if (isValidId(meta.id) && `${meta.id}.json` === name) store.#documents.set(meta.id, meta);
    }
    return store;
  }

  get(id: string): DocumentMeta | null {
    if (!isValidId(id)) return null;
    return this.#documents.get(id) ?? null;
  }

  has(id: string): boolean {
    return this.get(id) !== null;
  }

  list(): DocumentMeta[] {
    return [...this.#documents.values()];
  }

  /** Stored path of a known document; only ever built from an id that passed the allowlist. */
  filePath(meta: DocumentMeta): string {
    return path.join(this.#folder, `${meta.id}.pdf`);
  }

  async add(input: {
    id?: string;
    title: string;
    bytes: Uint8Array;
    pages?: number;
    passwordHash?: PasswordHash;
    permissions?: Permission[];
  }): Promise<DocumentMeta> {
    const id = input.id ?? randomUUID();
    if (!isValidId(id)) throw new Error('invalid document id');
    const meta: DocumentMeta = {
      id,
      title: input.title,
      size: input.bytes.byteLength,
      pages: input.pages ?? (await countPages(input.bytes)),
      etag: etagFor(input.bytes),
      ...(input.passwordHash ? { password_hash: input.passwordHash } : {}),
      permissions: input.permissions ?? [...ALL_PERMISSIONS],
    };
    // Write to temporary names and rename, so a crash never leaves half a document listed.
    const pdfPath = path.join(this.#folder, `${id}.pdf`);
    const jsonPath = path.join(this.#folder, `${id}.json`);
    await writeFile(`${pdfPath}.tmp`, input.bytes);
    await rename(`${pdfPath}.tmp`, pdfPath);
    await writeFile(`${jsonPath}.tmp`, `${JSON.stringify(meta, null, 2)}\n`);
    await rename(`${jsonPath}.tmp`, jsonPath);
    this.#documents.set(id, meta);
    return meta;
  }
}
