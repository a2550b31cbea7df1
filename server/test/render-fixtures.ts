// PDFs for the server-rendering tests, made with pdf-lib: a few pages of text with an outline,
// saved with a classic cross-reference table or with cross-reference streams.
import { PDFDocument, PDFName, PDFString, StandardFonts, type PDFRef } from 'pdf-lib';

export const PAGE_TEXTS = ['First page of the quarterly report', 'Second page with the figures', 'Third page and the conclusions'];

/** Three pages (the second landscape), each with its text near the top, and a two-item outline. */
export async function reportPdf(options: { xrefStreams: boolean }): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const sizes: Array<[number, number]> = [
    [300, 400],
    [400, 300],
    [300, 400],
  ];
  PAGE_TEXTS.forEach((text, index) => {
    const [width, height] = sizes[index]!;
    const page = pdf.addPage([width, height]);
    page.drawText(text, { x: 20, y: height - 40, size: 12, font });
  });
  const context = pdf.context;
  const outlineRef = context.nextRef();
  const itemRefs: PDFRef[] = [context.nextRef(), context.nextRef()];
  const targets = [0, 2];
  itemRefs.forEach((ref, index) => {
    const item = context.obj({
      Title: PDFString.of(`Chapter ${index + 1}`),
      Parent: outlineRef,
      Dest: [pdf.getPage(targets[index]!).ref, PDFName.of('Fit')],
      ...(index > 0 ? { Prev: itemRefs[index - 1]! } : {}),
      ...(index < itemRefs.length - 1 ? { Next: itemRefs[index + 1]! } : {}),
    });
    context.assign(ref, item);
  });
  context.assign(outlineRef, context.obj({ Type: 'Outlines', First: itemRefs[0]!, Last: itemRefs.at(-1)!, Count: itemRefs.length }));
  pdf.catalog.set(PDFName.of('Outlines'), outlineRef);
  return pdf.save({ useObjectStreams: options.xrefStreams });
}

/** Starts like a PDF and is not one. */
export function damagedPdf(): Uint8Array {
  return new TextEncoder().encode(`%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 9 0 R\n${'garbage '.repeat(200)}\n%%EOF\n`);
}
