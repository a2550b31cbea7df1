// The cross-reference → page mapping, on PDFs written here byte by byte (so every offset is known)
// and on one written by pdf-lib.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PDFDocument } from 'pdf-lib';
import { pagesTouched, parseXrefSection, readPageMap, type PageMap } from '../accountability/page-map.ts';

interface Written {
  bytes: Buffer;
  /** Byte span [start, end] of each object, by number. */
  at: Map<number, { start: number; end: number }>;
}

/** Writes `objects` (number → body) with a classic cross-reference table; `append` adds an incremental update. */
function writePdf(objects: Map<number, string>, root: number, append?: Map<number, string>): Written {
  const parts: string[] = ['%PDF-1.7\n'];
  let length = parts[0]!.length;
  const at = new Map<number, { start: number; end: number }>();
  const add = (text: string): void => {
    parts.push(text);
    length += text.length;
  };
  const section = (group: Map<number, string>, prev: number | null): void => {
    const offsets = new Map<number, number>();
    for (const [number, body] of group) {
      offsets.set(number, length);
      const text = `${number} 0 obj\n${body}\nendobj\n`;
      at.set(number, { start: length, end: length + text.length - 1 });
      add(text);
    }
    const xref = length;
    const numbers = [...group.keys()].sort((a, b) => a - b);
    let table = 'xref\n0 1\n0000000000 65535 f \n';
    for (const number of numbers) table += `${number} 1\n${String(offsets.get(number)).padStart(10, '0')} 00000 n \n`;
    const size = Math.max(...numbers, ...at.keys()) + 1;
    add(`${table}trailer\n<< /Size ${size} /Root ${root} 0 R${prev === null ? '' : ` /Prev ${prev}`} >>\nstartxref\n${xref}\n%%EOF\n`);
    lastXref = xref;
  };
  let lastXref = 0;
  section(objects, null);
  if (append) section(append, lastXref);
  return { bytes: Buffer.from(parts.join(''), 'latin1'), at };
}

function reader(bytes: Buffer) {
  return async (start: number, end: number): Promise<Uint8Array> => bytes.subarray(start, end + 1);
}

const stream = (text: string): string => `<< /Length ${text.length} >>\nstream\n${text}\nendstream`;

/** Three pages under a nested tree: 1 and 2 under an inner node, 3 directly under the root. */
function threePages(): Map<number, string> {
  return new Map([
    [1, '<< /Type /Catalog /Pages 2 0 R >>'],
    [2, '<< /Type /Pages /Kids [3 0 R 6 0 R] /Count 3 >>'],
    [3, '<< /Type /Pages /Parent 2 0 R /Kids [4 0 R 5 0 R] /Count 2 >>'],
    [4, '<< /Type /Page /Parent 3 0 R /Contents 7 0 R >>'],
    [5, '<< /Type /Page /Parent 3 0 R /Contents [8 0 R 9 0 R] >>'],
    [6, '<< /Type /Page /Parent 2 0 R /Contents 10 0 R /Resources << /Font << /F1 11 0 R >> >> >>'],
    [7, stream('BT (page one) Tj ET')],
    [8, stream('BT (page two, first) Tj ET')],
    [9, stream('BT (page two, second) Tj ET')],
    [10, stream('BT (page three) Tj ET')],
    [11, '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>'],
  ]);
}

async function mapOf(written: Written): Promise<PageMap> {
  const map = await readPageMap(reader(written.bytes), written.bytes.length);
  assert.ok(map, 'the page map was read');
  return map;
}

describe('page map', () => {
  it('finds every page in page-tree order and where its content streams lie', async () => {
    const written = writePdf(threePages(), 1);
    const map = await mapOf(written);
    assert.equal(map.numPages, 3);
    assert.deepEqual(
      map.spans.map((s) => [s.page, s.start, s.end]),
      [
        [1, written.at.get(7)!.start, written.at.get(7)!.end],
        [2, written.at.get(8)!.start, written.at.get(8)!.end],
        [2, written.at.get(9)!.start, written.at.get(9)!.end],
        [3, written.at.get(10)!.start, written.at.get(10)!.end],
      ],
    );
  });

  it('says which pages a range carried: content streams count, page objects and shared fonts do not', async () => {
    const written = writePdf(threePages(), 1);
    const map = await mapOf(written);
    const one = (n: number) => written.at.get(n)!;
    assert.deepEqual(pagesTouched(map, [{ start: one(9).start + 5, end: one(9).start + 6 }]), [2]);
    assert.deepEqual(pagesTouched(map, [{ start: one(10).end, end: one(10).end }]), [3]);
    assert.deepEqual(pagesTouched(map, [one(4), one(5), one(6), one(11)]), []);
    assert.deepEqual(pagesTouched(map, [{ start: one(1).start, end: one(8).start }]), [1, 2]);
    assert.deepEqual(pagesTouched(map, [one(10), one(7)]), [1, 3]);
    assert.deepEqual(pagesTouched(map, [{ start: 0, end: written.bytes.length - 1 }]), [1, 2, 3]);
  });

  it('follows /Prev: an incremental update that replaces a page content counts the new stream', async () => {
    const update = new Map([
      [4, '<< /Type /Page /Parent 3 0 R /Contents 12 0 R >>'],
      [12, stream('BT (page one, revised) Tj ET')],
    ]);
    const written = writePdf(threePages(), 1, update);
    const map = await mapOf(written);
    assert.equal(map.numPages, 3);
    assert.deepEqual(pagesTouched(map, [written.at.get(12)!]), [1]);
    assert.deepEqual(pagesTouched(map, [written.at.get(7)!]), [], 'the replaced stream is no page content any more');
  });

  it('gives a stream two pages share to both', async () => {
    const objects = threePages();
    objects.set(6, '<< /Type /Page /Parent 2 0 R /Contents 7 0 R >>');
    const written = writePdf(objects, 1);
    const map = await mapOf(written);
    assert.deepEqual(pagesTouched(map, [written.at.get(7)!]), [1, 3]);
  });

  it('reads none from a file without a classic table, a page-tree cycle, or a truncated file', async () => {
    const text = '%PDF-1.7\n1 0 obj\n<< /Type /XRef /W [1 2 1] >>\nstream\n\nendstream\nendobj\nstartxref\n9\n%%EOF\n';
    const xrefStream = Buffer.from(text, 'latin1');
    assert.equal(await readPageMap(reader(xrefStream), xrefStream.length), null);

    const cyclic = threePages();
    cyclic.set(3, '<< /Type /Pages /Parent 2 0 R /Kids [4 0 R 2 0 R] /Count 2 >>');
    const looped = writePdf(cyclic, 1).bytes;
    assert.equal(await readPageMap(reader(looped), looped.length), null);

    const whole = writePdf(threePages(), 1).bytes;
    const cut = whole.subarray(0, whole.length - 40);
    assert.equal(await readPageMap(reader(cut), cut.length), null);
  });

  it('reads a table in pieces: incomplete until the trailer has ended', () => {
    const table = 'xref\n0 2\n0000000000 65535 f \n0000000009 00000 n \ntrailer\n<< /Size 2 /Root 1 0 R >>\nstartxref\n';
    assert.equal(parseXrefSection(table.slice(0, 40)), 'incomplete');
    assert.equal(parseXrefSection(table.slice(0, table.indexOf('>>'))), 'incomplete');
    const section = parseXrefSection(table);
    assert.ok(section && section !== 'incomplete');
    assert.deepEqual([...section.offsets], [[1, 9]]);
    assert.equal(section.trailer.get('Root'), '1 0 R');
  });

  it('maps a file written by pdf-lib, one content stream per page', async () => {
    const pdf = await PDFDocument.create({ updateMetadata: false });
    for (let i = 0; i < 5; i++) pdf.addPage([200, 200]).drawText(`page ${i + 1}`, { x: 20, y: 100 });
    const bytes = Buffer.from(await pdf.save({ useObjectStreams: false }));
    const map = await mapOf({ bytes, at: new Map() });
    assert.equal(map.numPages, 5);
    assert.deepEqual([...new Set(map.spans.map((s) => s.page))], [1, 2, 3, 4, 5]);
    const last = map.spans[map.spans.length - 1]!;
    assert.deepEqual(pagesTouched(map, [{ start: last.start, end: last.start }]), [last.page]);
  });
});
