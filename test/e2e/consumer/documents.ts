// Documents whose text needs pdf.js's run-time files: CJK text in a font that is not embedded
// (its characters are found through a predefined CMap, `UniJIS-UCS2-H`, and the Adobe-Japan1
// to-Unicode map) and standard fonts that are not embedded (Helvetica, and ZapfDingbats, whose
// glyphs come from pdf.js's standard_fonts folder).
import { PDFDocument, StandardFonts, rgb } from 'pdf-lib';

/** The CJK document's text, as the text layer should read it. */
export const CJK_TEXT = '日本語のテキスト';

/** A one-page PDF written by hand: a Type0 font with a predefined CMap and no font file. */
export function cjkPdf(): Uint8Array {
  const hex = [...CJK_TEXT].map((c) => c.charCodeAt(0).toString(16).padStart(4, '0')).join('');
  const content = `BT /F1 36 Tf 40 700 Td <${hex}> Tj ET BT /F1 36 Tf 40 640 Td <${hex}> Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type0 /BaseFont /KozMinPr6N-Regular /Encoding /UniJIS-UCS2-H /DescendantFonts [6 0 R] >>',
    '<< /Type /Font /Subtype /CIDFontType0 /BaseFont /KozMinPr6N-Regular /CIDSystemInfo << /Registry (Adobe) /Ordering (Japan1) /Supplement 6 >> /FontDescriptor 7 0 R /DW 1000 >>',
    '<< /Type /FontDescriptor /FontName /KozMinPr6N-Regular /Flags 4 /FontBBox [-437 -340 1147 1317] /ItalicAngle 0 /Ascent 1317 /Descent -349 /CapHeight 742 /StemV 80 >>',
  ];
  let pdf = '%PDF-1.7\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(pdf.length);
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) pdf += `${String(offset).padStart(10, '0')} 00000 n \n`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(pdf);
}

/** Helvetica and ZapfDingbats text; pdf-lib references standard fonts without embedding them. */
export async function standardFontsPdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([612, 792]);
  const helvetica = await doc.embedFont(StandardFonts.Helvetica);
  const dingbats = await doc.embedFont(StandardFonts.ZapfDingbats);
  page.drawText('Standard fonts, not embedded', { x: 40, y: 700, size: 32, font: helvetica, color: rgb(0, 0, 0) });
  page.drawText('\u2708\u2709\u270c\u2714\u2718\u2722\u2734\u2744\u2756\u275d', { x: 40, y: 620, size: 40, font: dingbats, color: rgb(0, 0, 0) });
  return doc.save();
}
