// The messages between the render pool (request side) and its worker threads. Everything here
// is structured-cloneable: document bytes travel as a SharedArrayBuffer, so handing a document to
// a worker copies nothing.

/** One version of one document: `key` names it (id and validator), `bytes` holds the whole file. */
export interface DocumentRef {
  key: string;
  bytes: SharedArrayBuffer;
}

/** Page count, page sizes and outline: what a viewer needs before its first page. */
export interface DocumentLayout {
  pageCount: number;
  /** Each page's size in PDF points (1/72 in) at scale 1, with the page's rotation applied. */
  pages: Array<{ width: number; height: number }>;
  outline: OutlineItem[];
}

export interface OutlineItem {
  title: string;
  /** 1-based page the item goes to, or null when it goes nowhere inside the document. */
  page: number | null;
  items: OutlineItem[];
}

/** A page's text runs, positioned in PDF points from the page's top left at scale 1. */
export interface PageText {
  page: number;
  width: number;
  height: number;
  items: TextRun[];
}

export interface TextRun {
  str: string;
  /** Left edge of the run's baseline start. */
  x: number;
  /** Top of the run's box (baseline minus the font height). */
  y: number;
  width: number;
  height: number;
  /** Radians, clockwise on screen; 0 for horizontal text. */
  angle: number;
  dir: 'ltr' | 'rtl' | 'ttb';
  /** A line ends after this run. */
  eol: boolean;
}

export type ImageFormat = 'webp' | 'png';

export type RenderJob =
  | { kind: 'layout'; doc: DocumentRef }
  | { kind: 'text'; doc: DocumentRef; page: number }
  | {
      kind: 'page';
      doc: DocumentRef;
      page: number;
      scale: number;
      maxPixels: number;
      /** The clean render from the cache (PNG); without it the page is rendered. */
      clean: Uint8Array | null;
      /** Watermark lines, drawn into every image. */
      watermark: string[];
      format: ImageFormat;
    }
  | { kind: 'stamp'; doc: DocumentRef; lines: string[] };

/** A failure the caller can name to the client; anything else is an internal error. */
export type RenderErrorCode = 'invalid_document' | 'encrypted_document' | 'page_out_of_range' | 'page_too_large';

export type RenderResult =
  | { kind: 'layout'; layout: DocumentLayout }
  | { kind: 'text'; text: PageText }
  | { kind: 'page'; image: Uint8Array; clean: Uint8Array | null; width: number; height: number }
  | { kind: 'stamp'; appended: Uint8Array };

export type WorkerReply = { id: number; ok: true; result: RenderResult } | { id: number; ok: false; code: RenderErrorCode | 'internal'; message: string };
