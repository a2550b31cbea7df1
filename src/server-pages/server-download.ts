import { ViewerError } from '../errors.ts';
import type { SvExportDetail } from '../events.ts';
import { downloadFileName, fileNameFromDisposition, saveFile } from '../export/download.ts';
import { fillTemplate } from './manifest.ts';
import type { ServerDocument } from './server-document.ts';

/**
 * Saves the server's stamped copy (the manifest's `urls.download`, there only for a token that
 * allows downloading), fetched with the token like every other request, under the name the server
 * gives it, and fires `sv-download`. The browser gets a `blob:` URL, revoked afterwards.
 */
export async function saveServerCopy(doc: ServerDocument, manifestUrl: string, host: EventTarget): Promise<void> {
  const template = doc.manifest.urls.download;
  const url = template === null ? null : fillTemplate(template, manifestUrl, {});
  if (url === null) throw new ViewerError('forbidden');
  const { file, disposition } = await doc.client.download(url);
  saveFile(file, downloadFileName(fileNameFromDisposition(disposition), doc.manifest.title || null));
  const detail: SvExportDetail = { numPages: doc.manifest.pageCount };
  host.dispatchEvent(new CustomEvent('sv-download', { detail, bubbles: true, composed: true }));
}
