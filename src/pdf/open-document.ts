import type { PDFDataRangeTransport, PDFDocumentLoadingTask, PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { ViewerError } from '../errors.ts';
import { RANGE_CHUNK_SIZE, type FirstBytes } from '../fetch/first-bytes.ts';
import { mapPdfjsError } from './pdfjs-error.ts';
import type { PdfjsLib, PdfWorker, PdfAssetUrls } from './pdfjs.ts';
import { defineRangeTransport } from '../fetch/range-transport.ts';

export type PasswordReason = 'need' | 'incorrect';

export interface OpenDocumentOptions {
  /** The requests already under way for this document. */
  first: FirstBytes;
  /** Aborted when the document is no longer wanted; every request stops with it. */
  signal: AbortSignal;
  /** Asks the reader for the PDF's own password; null means they cancelled. */
  onPassword?: (reason: PasswordReason) => Promise<string | null>;
  /** Receives the loading task as soon as it exists, so it can be destroyed at any time. */
  onTask?: (task: PDFDocumentLoadingTask) => void;
  /** A range failed for good after the document opened (pdf.js itself would wait forever). */
  onFatal?: (error: ViewerError) => void;
}

export interface OpenedDocument {
  task: PDFDocumentLoadingTask;
  document: PDFDocumentProxy;
  /** The server's `Content-Disposition`, for downloads. */
  disposition: string | null;
}

/**
 * Opens a protected document: probes the first chunk with the bearer token, then lets pdf.js
 * ask for further ranges on demand through our transport (no streaming, no auto-fetch).
 */
export async function openDocument(
  pdfjs: { lib: PdfjsLib; worker: PdfWorker; assets: PdfAssetUrls },
  options: OpenDocumentOptions,
): Promise<OpenedDocument> {
  const { lib, worker, assets } = pdfjs;
  let fatal: (error: ViewerError) => void = () => {};
  const failed = new Promise<never>((_, reject) => {
    fatal = reject;
  });
  failed.catch(() => {});

  const { client } = options.first;
  const probe = await options.first.probe;
  if (options.signal.aborted) throw new ViewerError('network');

  async function rangedSource(
    probe: { total: number; initial: Uint8Array },
  ): Promise<{ data: Uint8Array } | { range: PDFDataRangeTransport }> {
    // A small file is opened from memory once it is all here: pdf.js then parses it without a
    // round trip through the transport for every object it misses.
    const whole = await options.first.whole;
    if (whole) return { data: whole };
    const [tail, front] = await Promise.all([options.first.tail, options.first.front]);
    const range = new (defineRangeTransport(lib.PDFDataRangeTransport))(client, probe.total, probe.initial, {
      chunkSize: RANGE_CHUNK_SIZE,
      prefetched: tail ? [tail] : [],
      front,
      ahead: options.first.ahead,
      onFatal: (error) => {
        fatal(error);
        options.onFatal?.(error);
      },
    });
    return { range };
  }
  const source = probe.kind === 'ranged' ? await rangedSource(probe) : { data: probe.data };
  if (options.signal.aborted) throw new ViewerError('network');

  const task = lib.getDocument({
    ...source,
    worker,
    rangeChunkSize: RANGE_CHUNK_SIZE,
    disableAutoFetch: true,
    disableStream: true,
    enableXfa: false,
    ...assets,
    cMapPacked: true,
    // A malformed page should not take the whole document down.
    stopAtErrors: false,
  });
  options.onTask?.(task);

  let cancelled = false;
  if (options.onPassword) {
    const ask = options.onPassword;
    task.onPassword = (update: (password: string | Error) => void, reason: number) => {
      const why: PasswordReason = reason === lib.PasswordResponses.INCORRECT_PASSWORD ? 'incorrect' : 'need';
      void ask(why).then(
        (password) => {
          // pdf.js reports a cancel as an incorrect password, so remember that it was ours.
          if (password === null) cancelled = true;
          update(password ?? new Error('cancelled'));
        },
        () => {
          cancelled = true;
          update(new Error('cancelled'));
        },
      );
    };
  }

  try {
    const document = await Promise.race([task.promise, failed]);
    return { task, document, disposition: client.disposition };
  } catch (error) {
    if (error instanceof ViewerError) throw error;
    if (cancelled) throw new ViewerError('password-cancelled');
    throw mapPdfjsError(error);
  }
}
