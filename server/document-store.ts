// Stored documents: bytes in `<dataDir>/documents/<id>.pdf` (0600, folder 0700), metadata in the
// store's document index. Documents are only found through the index (an allowlist of ids);
// nothing here ever joins a request path to a file name.
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, realpath } from 'node:fs/promises';
import path from 'node:path';
import { ALL_PERMISSIONS, isValidDocumentId, type DocumentMeta, type Permission } from './document-meta.ts';
import type { PasswordHash } from './password-hasher.ts';
import { FolderDocumentIndex } from './store/folder-document-index.ts';
import type { DocumentIndex } from './store/shared-store.ts';
import { writeFileAtomic } from './write-file-atomic.ts';

/** How long a containment verdict (file inside the documents folder or not) is reused. */
const CONTAINMENT_CACHE_MS = 1000;

/** What an upload may grant when nothing else is said: reading only. */
export const DEFAULT_UPLOAD_PERMISSIONS: readonly Permission[] = ['read'];

export function etagFor(bytes: Uint8Array): string {
  return `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 32)}"`;
}

/**
 * The page count, when pdf-lib is installed and can parse the file; otherwise 0 (the viewer
 * finds out itself; size and ETag stay exact). pdf-lib is loaded only here, only when needed.
 */
export async function countPages(bytes: Uint8Array): Promise<number> {
  try {
    const { PDFDocument } = await import('pdf-lib');
    const pdf = await PDFDocument.load(bytes, { ignoreEncryption: true, updateMetadata: false });
    return pdf.getPageCount();
  } catch {
    return 0;
  }
}

export interface NewDocument {
  id?: string;
  title: string;
  bytes: Uint8Array;
  pages?: number;
  passwordHash?: PasswordHash;
  /** Default: read only. */
  permissions?: readonly Permission[];
}

export class DocumentStore {
  /** The documents folder's real path, looked up once. */
  #realFolder: Promise<string> | null = null;
  /** Recent containment verdicts by document id, the pending ones too. */
  readonly #verdicts = new Map<string, { file: Promise<string | null>; until: number }>();

  private constructor(
    private readonly folder: string,
    private readonly index: DocumentIndex,
  ) {}

  /** Opens the documents folder of `dataDir`; the index defaults to that folder's metadata files. */
  static async open(dataDir: string, index?: DocumentIndex): Promise<DocumentStore> {
    const folder = path.join(dataDir, 'documents');
    await mkdir(folder, { recursive: true, mode: 0o700 });
    return new DocumentStore(folder, index ?? (await FolderDocumentIndex.open(folder)));
  }

  get(id: string): Promise<DocumentMeta | null> {
    return isValidDocumentId(id) ? this.index.get(id) : Promise.resolve(null);
  }

  list(): Promise<DocumentMeta[]> {
    return this.index.list();
  }

  /** Stored path of a known document; only ever built from an id that passed the allowlist. */
  filePath(meta: DocumentMeta): string {
    return path.join(this.folder, `${meta.id}.pdf`);
  }

  /**
   * The document's file, if it really lives in the documents folder: a symlink planted in
   * storage cannot expose a file elsewhere. Null when missing or outside. A verdict is kept for
   * a second, so a reader's stream of range requests costs one real-path lookup, not one each;
   * the requests that come while a lookup runs wait for that one rather than start their own.
   */
  containedFile(meta: DocumentMeta): Promise<string | null> {
    const now = Date.now();
    const known = this.#verdicts.get(meta.id);
    if (known && known.until > now) return known.file;
    const file = this.#check(this.filePath(meta));
    if (this.#verdicts.size >= 10_000) this.#verdicts.clear();
    const verdict = { file, until: Number.POSITIVE_INFINITY };
    this.#verdicts.set(meta.id, verdict);
    // Kept, once answered, for the same second from the asking as before.
    void file.then(() => (verdict.until = now + CONTAINMENT_CACHE_MS));
    return file;
  }

  async #check(file: string): Promise<string | null> {
    try {
      this.#realFolder ??= realpath(this.folder).catch((error: unknown) => {
        this.#realFolder = null;
        throw error;
      });
      const [folder, real] = await Promise.all([this.#realFolder, realpath(file)]);
      return real.startsWith(folder + path.sep) ? file : null;
    } catch {
      return null;
    }
  }

  /** Stores bytes first, then the metadata, so a listed document always has its bytes. */
  async add(input: NewDocument): Promise<DocumentMeta> {
    const id = input.id ?? randomUUID();
    if (!isValidDocumentId(id)) throw new Error('invalid document id');
    const meta: DocumentMeta = {
      id,
      title: input.title,
      size: input.bytes.byteLength,
      pages: input.pages ?? (await countPages(input.bytes)),
      etag: etagFor(input.bytes),
      ...(input.passwordHash ? { password_hash: input.passwordHash } : {}),
      permissions: [...(input.permissions ?? DEFAULT_UPLOAD_PERMISSIONS)],
    };
    await writeFileAtomic(this.filePath(meta), input.bytes);
    await this.index.put(meta);
    return meta;
  }
}

export { ALL_PERMISSIONS };
