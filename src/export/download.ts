import type { PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { SvExportDetail } from '../events.ts';

/** A file name for the download: the server's, else the document title, else a default. */
export function downloadFileName(serverName: string | null, title: string | null): string {
  const base = (serverName ?? title ?? 'document').replace(/[\u0000-\u001f\u007f/\\:*?"<>|]/g, '').trim() || 'document';
  return /\.pdf$/i.test(base) ? base : `${base}.pdf`;
}

/**
 * Saves the whole file, under the name the server gave in `Content-Disposition` when it gave one,
 * else the PDF's title (reading it may cost a range request), and fires `sv-download` on `host`.
 */
export async function saveDocument(document: PDFDocumentProxy, disposition: string | null, host: EventTarget): Promise<void> {
  const serverName = fileNameFromDisposition(disposition);
  const title = serverName ? undefined : await document.getMetadata().then((meta) => (meta.info as { Title?: unknown }).Title, () => undefined);
  await downloadDocument(document, downloadFileName(serverName, typeof title === 'string' ? title : null));
  // Not createViewerEvent: this chunk imports nothing of the entry, so both builds ship one copy.
  const detail: SvExportDetail = { numPages: document.numPages };
  host.dispatchEvent(new CustomEvent('sv-download', { detail, bubbles: true, composed: true }));
}

/**
 * Saves the whole file. The bytes come through the same authorized range requests as the pages
 * (the token never goes into a URL).
 */
async function downloadDocument(document: PDFDocumentProxy, fileName: string): Promise<void> {
  const data = await document.getData();
  saveFile(new Blob([data as Uint8Array<ArrayBuffer>], { type: 'application/pdf' }), fileName);
}

/** Hands `file` to the browser as a download: a `blob:` URL, revoked afterwards. */
export function saveFile(file: Blob, fileName: string): void {
  const url = URL.createObjectURL(file);
  const link = globalThis.document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  link.click();
  // Long enough for the browser to start reading the blob.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Reads `filename*=UTF-8''…` or `filename="…"`; path separators and control characters are dropped. */
export function fileNameFromDisposition(header: string | null): string | null {
  if (!header) return null;
  let name: string | null = null;
  // Parameter names and the charset are case-insensitive; a language tag may stand between the quotes.
  const extended = /filename\*\s*=\s*utf-8'[^']*'([^;]+)/i.exec(header);
  if (extended) {
    try {
      name = decodeURIComponent(extended[1]!.trim());
    } catch {
      name = null;
    }
  }
  if (name === null) {
    const plain = /filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]+))/i.exec(header);
    name = plain ? (plain[1] ?? plain[2] ?? '').replace(/\\(.)/g, '$1') : null;
  }
  const safe = name?.replace(/[\u0000-\u001f\u007f/\\]/g, '').trim();
  return safe ? safe.slice(0, 200) : null;
}
