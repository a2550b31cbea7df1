// A render worker thread: opens documents with pdf.js (the last few stay open), renders pages
// with @napi-rs/canvas, draws the watermark into the pixels, extracts text and stamps downloads.
// One job at a time; the pool decides what runs where and when a worker is replaced.
import { parentPort } from 'node:worker_threads';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { drawWatermark } from './draw-watermark.ts';
import { loadPdfjs, openPdf, type OpenPdf, type PdfDocument } from './pdfjs-node.ts';
import { RenderFailure } from './render-failure.ts';
import type { DocumentLayout, DocumentRef, OutlineItem, PageText, RenderJob, RenderResult, TextRun, WorkerReply } from './render-jobs.ts';
import { stampIncrementally } from '../stamp/incremental-stamp.ts';

/** Documents kept open in this worker: the pages of one document are usually asked for in a row. */
const OPEN_DOCUMENTS = 3;
const open = new Map<string, Promise<OpenPdf>>();

async function documentOf(ref: DocumentRef): Promise<PdfDocument> {
  const known = open.get(ref.key);
  if (known) {
    open.delete(ref.key);
    open.set(ref.key, known);
    return (await known).pdf;
  }
  const opening = openPdf(new Uint8Array(ref.bytes)).catch((error: unknown) => {
    open.delete(ref.key);
    const name = error instanceof Error ? error.name : '';
    if (name === 'PasswordException') throw new RenderFailure('encrypted_document', 'The document needs a password to be rendered.');
    throw new RenderFailure('invalid_document', 'The document could not be read as a PDF.');
  });
  open.set(ref.key, opening);
  while (open.size > OPEN_DOCUMENTS) {
    const [oldest, document] = open.entries().next().value!;
    open.delete(oldest);
    void document.then((opened) => opened.destroy()).catch(() => {});
  }
  return (await opening).pdf;
}

async function pageOf(pdf: PdfDocument, page: number) {
  if (!Number.isInteger(page) || page < 1 || page > pdf.numPages) {
    throw new RenderFailure('page_out_of_range', `The document has pages 1 to ${pdf.numPages}.`);
  }
  return pdf.getPage(page);
}

/** Outline items at most, and how deep: a hostile outline cannot make the manifest huge. */
const MAX_OUTLINE_ITEMS = 2000;
const MAX_OUTLINE_DEPTH = 12;

type RawOutline = Awaited<ReturnType<PdfDocument['getOutline']>> | null;

async function outlineOf(pdf: PdfDocument): Promise<OutlineItem[]> {
  const raw = await pdf.getOutline().catch(() => null);
  let budget = MAX_OUTLINE_ITEMS;
  const targetPage = async (dest: unknown): Promise<number | null> => {
    try {
      const explicit = typeof dest === 'string' ? await pdf.getDestination(dest) : dest;
      if (!Array.isArray(explicit) || explicit.length === 0) return null;
      const target = explicit[0] as unknown;
      if (Number.isInteger(target)) return (target as number) + 1;
      if (target && typeof target === 'object') return (await pdf.getPageIndex(target as { num: number; gen: number })) + 1;
    } catch {
      // A destination that points nowhere is kept as a title without a page.
    }
    return null;
  };
  const walk = async (items: RawOutline, depth: number): Promise<OutlineItem[]> => {
    const out: OutlineItem[] = [];
    for (const item of items ?? []) {
      if (budget-- <= 0) break;
      out.push({
        title: String(item.title ?? '').slice(0, 500),
        page: await targetPage(item.dest),
        items: depth < MAX_OUTLINE_DEPTH ? await walk(item.items, depth + 1) : [],
      });
    }
    return out;
  };
  return walk(raw, 1);
}

async function layout(pdf: PdfDocument): Promise<DocumentLayout> {
  const pages: DocumentLayout['pages'] = [];
  for (let number = 1; number <= pdf.numPages; number++) {
    const page = await pdf.getPage(number);
    const { width, height } = page.getViewport({ scale: 1 });
    pages.push({ width: round(width), height: round(height) });
    page.cleanup();
  }
  return { pageCount: pdf.numPages, pages, outline: await outlineOf(pdf) };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

async function text(pdf: PdfDocument, number: number): Promise<PageText> {
  const { Util } = await loadPdfjs();
  const page = await pageOf(pdf, number);
  const viewport = page.getViewport({ scale: 1 });
  const content = await page.getTextContent();
  const items: TextRun[] = [];
  for (const item of content.items) {
    if (!('str' in item) || item.str === '') continue;
    const tx = Util.transform(viewport.transform, item.transform) as number[];
    let angle = Math.atan2(tx[1]!, tx[0]!);
    const style = content.styles[item.fontName];
    if (style?.vertical) angle += Math.PI / 2;
    const fontHeight = Math.hypot(tx[2]!, tx[3]!);
    const ascent = style?.ascent ? style.ascent * fontHeight : style?.descent ? (1 + style.descent) * fontHeight : fontHeight;
    const x = angle === 0 ? tx[4]! : tx[4]! + ascent * Math.sin(angle);
    const y = angle === 0 ? tx[5]! - ascent : tx[5]! - ascent * Math.cos(angle);
    items.push({
      str: item.str,
      x: round(x),
      y: round(y),
      width: round(style?.vertical ? item.height : item.width),
      height: round(fontHeight),
      angle: round(angle),
      dir: item.dir === 'rtl' || item.dir === 'ttb' ? item.dir : 'ltr',
      eol: item.hasEOL,
    });
  }
  page.cleanup();
  return { page: number, width: round(viewport.width), height: round(viewport.height), items };
}

async function pageImage(job: Extract<RenderJob, { kind: 'page' }>): Promise<RenderResult> {
  const pdf = await documentOf(job.doc);
  const page = await pageOf(pdf, job.page);
  const viewport = page.getViewport({ scale: job.scale });
  const width = Math.max(1, Math.ceil(viewport.width));
  const height = Math.max(1, Math.ceil(viewport.height));
  if (width * height > job.maxPixels) throw new RenderFailure('page_too_large', 'This page is too large at this scale.');
  const canvas = createCanvas(width, height);
  const context = canvas.getContext('2d');
  let clean: Uint8Array | null = null;
  if (job.clean) {
    context.drawImage(await loadImage(Buffer.from(job.clean)), 0, 0);
  } else {
    await page.render({ canvas: canvas as never, viewport }).promise;
    clean = new Uint8Array(await canvas.encode('png'));
  }
  page.cleanup();
  drawWatermark(context, width, height, job.watermark);
  // Lossless: lossy WebP halves colour resolution, which would blur the watermark away on small
  // images (thumbnails), and smears text.
  const image = new Uint8Array(job.format === 'png' ? await canvas.encode('png') : await canvas.encode('webp', 100));
  return { kind: 'page', image, clean, width, height };
}

async function run(job: RenderJob): Promise<RenderResult> {
  switch (job.kind) {
    case 'layout':
      return { kind: 'layout', layout: await layout(await documentOf(job.doc)) };
    case 'text':
      return { kind: 'text', text: await text(await documentOf(job.doc), job.page) };
    case 'page':
      return pageImage(job);
    case 'stamp':
      return { kind: 'stamp', appended: await stampIncrementally(new Uint8Array(job.doc.bytes), job.lines) };
  }
}

const port = parentPort;
if (!port) throw new Error('render-worker runs as a worker thread');
port.on('message', (message: { id: number; job: RenderJob }) => {
  run(message.job).then(
    (result) => {
      const transfer = result.kind === 'page' ? [result.image.buffer, ...(result.clean ? [result.clean.buffer] : [])] : result.kind === 'stamp' ? [result.appended.buffer] : [];
      port.postMessage({ id: message.id, ok: true, result } satisfies WorkerReply, transfer as ArrayBuffer[]);
    },
    (error: unknown) => {
      const reply: WorkerReply =
        error instanceof RenderFailure
          ? { id: message.id, ok: false, code: error.code, message: error.message }
          : { id: message.id, ok: false, code: 'internal', message: error instanceof Error ? error.name : 'unknown' };
      port.postMessage(reply);
    },
  );
});
// pdf.js loads before the first job, so a job's time limit measures its own work. Jobs are sent
// once the worker says it listens (a message sent earlier could be missed).
await loadPdfjs();
port.postMessage('ready');
