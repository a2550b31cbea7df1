// `report`: a document that looks like one — headings, paragraphs, a table, a chart drawn with
// vector operations, one image, bookmarks, and tagged structure (so screen readers get headings
// and paragraphs). pdf-lib has no tagging or outline API: both are written as plain PDF objects.
import {
  PDFDocument,
  PDFName,
  PDFNumber,
  PDFOperator,
  PDFOperatorNames,
  PDFString,
  StandardFonts,
  degrees,
  drawImage,
  rgb,
  type PDFFont,
  type PDFPage,
  type PDFRef,
} from 'pdf-lib';

const LETTER: [number, number] = [612, 792];
const MARGIN = 72;
const FIXED_DATE = new Date('2026-01-01T00:00:00Z');
const INK = rgb(0.12, 0.14, 0.17);
const MUTED = rgb(0.35, 0.38, 0.42);
const ACCENT = rgb(0.04, 0.41, 0.83);
const UPRIGHT = { rotate: degrees(0), xSkew: degrees(0), ySkew: degrees(0) };

/** A structure element: its role and the marked content (page, MCID) it owns. */
interface Tagged {
  role: 'H1' | 'H2' | 'P' | 'Table' | 'Figure';
  page: number;
  mcid: number;
  /** Figures: the description read out instead of the picture, and where it sits on the page. */
  alt?: string;
  bbox?: [number, number, number, number];
}

/** A bookmark: a title, the page it opens at (0-based) and its children. */
interface Bookmark {
  title: string;
  page: number;
  top: number;
  children?: Bookmark[];
}

/** Writes marked content on pages and remembers it as structure elements, in reading order. */
class TaggedWriter {
  readonly elements: Tagged[] = [];
  readonly #next = new Map<number, number>();

  /** Wraps what `draw` adds to the page in `/Role <</MCID n>> BDC … EMC`. */
  mark(page: PDFPage, pageIndex: number, role: Tagged['role'], draw: () => void, figure?: { alt: string; bbox: Tagged['bbox'] & {} }): void {
    const mcid = this.#next.get(pageIndex) ?? 0;
    this.#next.set(pageIndex, mcid + 1);
    // A string operand is written as is: the inline property list pdf-lib has no type for.
    page.pushOperators(PDFOperator.of(PDFOperatorNames.BeginMarkedContentSequence, [PDFName.of(role), `<</MCID ${mcid}>>`]));
    draw();
    page.pushOperators(PDFOperator.of(PDFOperatorNames.EndMarkedContent));
    this.elements.push({ role, page: pageIndex, mcid, ...figure });
  }

  /** Everything drawn outside `mark` is decoration (rules, page numbers): an artifact. */
  artifact(page: PDFPage, draw: () => void): void {
    page.pushOperators(PDFOperator.of(PDFOperatorNames.BeginMarkedContent, [PDFName.of('Artifact')]));
    draw();
    page.pushOperators(PDFOperator.of(PDFOperatorNames.EndMarkedContent));
  }
}

const SECTIONS = [
  {
    title: 'Summary',
    paragraphs: [
      'Revenue grew in every quarter of the year, led by the subscription business, while operating costs stayed within the plan approved by the board in January.',
      'This report sets out the results by quarter, the state of the three main programmes, and the risks the committee asked us to follow.',
    ],
  },
  {
    title: 'Results by quarter',
    paragraphs: [
      'The table gives revenue and operating margin for each quarter. The fourth quarter includes the first full month of the new enterprise plan.',
    ],
    table: true,
  },
  {
    title: 'Revenue trend',
    paragraphs: ['The chart shows quarterly revenue in millions. Growth slowed in the third quarter, as expected after the summer price change.'],
    chart: true,
  },
  {
    title: 'Programmes',
    paragraphs: [
      'Platform: the migration of the billing system finished two weeks ahead of schedule. No customer-facing incident was recorded during the switch.',
      'Reach: the partner channel now accounts for a fifth of new contracts. The programme continues with two additional regions next year.',
      'Quality: median response time for support requests fell from nine hours to four.',
    ],
    image: true,
  },
  {
    title: 'Risks and next steps',
    paragraphs: [
      'Currency movements remain the largest external risk. Hedging covers about sixty per cent of the expected exposure for the coming year.',
      'The committee will review the plan for the next year at its March meeting, together with the audited accounts.',
    ],
  },
];

const QUARTERS = [
  ['Quarter', 'Revenue (M)', 'Margin'],
  ['Q1', '12.4', '18 %'],
  ['Q2', '13.9', '19 %'],
  ['Q3', '14.3', '17 %'],
  ['Q4', '16.8', '21 %'],
];

/** Splits text into lines no wider than `width` at `size`. */
function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const next = line ? `${line} ${word}` : word;
    if (font.widthOfTextAtSize(next, size) > width && line) {
      lines.push(line);
      line = word;
    } else {
      line = next;
    }
  }
  if (line) lines.push(line);
  return lines;
}

/** A small deterministic picture (a sky-to-sea gradient with a sun) as a raw RGB image. */
function pictureBytes(width: number, height: number): Uint8Array {
  const bytes = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const sea = y > height * 0.62;
      const sun = Math.hypot(x - width * 0.7, y - height * 0.35) < height * 0.14;
      const t = y / height;
      bytes[i] = sun ? 250 : sea ? 20 + 30 * t : 120 + 100 * t;
      bytes[i + 1] = sun ? 200 : sea ? 80 + 40 * t : 170 + 50 * t;
      bytes[i + 2] = sun ? 60 : sea ? 140 + 40 * t : 235;
    }
  }
  return bytes;
}

/** Builds the report: a title page and one page per section, tagged, with bookmarks. */
export async function buildReport(): Promise<Uint8Array> {
  const pdf = await PDFDocument.create({ updateMetadata: false });
  pdf.setTitle('Annual report 2025');
  pdf.setAuthor('secure-viewer reference backend');
  pdf.setProducer('secure-viewer reference backend');
  pdf.setCreationDate(FIXED_DATE);
  pdf.setModificationDate(FIXED_DATE);
  pdf.setLanguage('en');
  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const tags = new TaggedWriter();
  const bookmarks: Bookmark[] = [];
  const pages: PDFPage[] = [];
  const textWidth = LETTER[0] - 2 * MARGIN;

  const newPage = (): { page: PDFPage; index: number } => {
    const page = pdf.addPage(LETTER);
    const index = pages.length;
    pages.push(page);
    tags.artifact(page, () => {
      page.drawText('Annual report 2025', { x: MARGIN, y: LETTER[1] - 40, size: 9, font: regular, color: MUTED });
      page.drawText(`Page ${index + 1}`, { x: LETTER[0] - MARGIN - 40, y: 36, size: 9, font: regular, color: MUTED });
      page.drawLine({ start: { x: MARGIN, y: LETTER[1] - 48 }, end: { x: LETTER[0] - MARGIN, y: LETTER[1] - 48 }, thickness: 0.5, color: MUTED });
    });
    return { page, index };
  };

  // Title page.
  const cover = newPage();
  tags.mark(cover.page, cover.index, 'H1', () =>
    cover.page.drawText('Annual report 2025', { x: MARGIN, y: 600, size: 34, font: bold, color: INK }),
  );
  tags.mark(cover.page, cover.index, 'P', () =>
    cover.page.drawText('Results, programmes and risks for the year', { x: MARGIN, y: 566, size: 16, font: regular, color: MUTED }),
  );
  tags.artifact(cover.page, () => cover.page.drawRectangle({ x: MARGIN, y: 540, width: 120, height: 4, color: ACCENT }));
  const overview: Bookmark = { title: 'Annual report 2025', page: 0, top: 640, children: [] };
  bookmarks.push(overview);

  for (const section of SECTIONS) {
    const { page, index } = newPage();
    let y = LETTER[1] - 110;
    tags.mark(page, index, 'H2', () => page.drawText(section.title, { x: MARGIN, y, size: 22, font: bold, color: INK }));
    overview.children!.push({ title: section.title, page: index, top: y + 30 });
    y -= 36;
    for (const paragraph of section.paragraphs) {
      const lines = wrap(paragraph, regular, 12, textWidth);
      const top = y;
      tags.mark(page, index, 'P', () => {
        lines.forEach((line, n) => page.drawText(line, { x: MARGIN, y: top - n * 17, size: 12, font: regular, color: INK }));
      });
      y -= lines.length * 17 + 12;
    }
    if (section.table) {
      const columns = [MARGIN, MARGIN + 160, MARGIN + 320];
      const rowHeight = 24;
      const top = y - 10;
      tags.mark(page, index, 'Table', () => {
        QUARTERS.forEach((row, r) => {
          const rowY = top - r * rowHeight;
          if (r === 0) page.drawRectangle({ x: MARGIN - 6, y: rowY - 7, width: textWidth + 12, height: rowHeight, color: rgb(0.9, 0.93, 0.97) });
          row.forEach((cell, c) =>
            page.drawText(cell, { x: columns[c]!, y: rowY, size: 12, font: r === 0 ? bold : regular, color: INK }),
          );
          page.drawLine({ start: { x: MARGIN - 6, y: rowY - 7 }, end: { x: MARGIN + textWidth + 6, y: rowY - 7 }, thickness: 0.5, color: MUTED });
        });
      });
      y = top - QUARTERS.length * rowHeight - 20;
    }
    if (section.chart) {
      const values = [12.4, 13.9, 14.3, 16.8];
      const base = y - 260;
      tags.mark(
        page,
        index,
        'Figure',
        () => {
          // Axes, bars and a trend line: vector paths, no image.
          page.drawLine({ start: { x: MARGIN, y: base }, end: { x: MARGIN + 400, y: base }, thickness: 1, color: INK });
          page.drawLine({ start: { x: MARGIN, y: base }, end: { x: MARGIN, y: base + 220 }, thickness: 1, color: INK });
          values.forEach((value, n) => {
            const height = (value / 20) * 220;
            page.drawRectangle({ x: MARGIN + 30 + n * 95, y: base, width: 60, height, color: ACCENT, opacity: 0.85 });
            page.drawText(`Q${n + 1}`, { x: MARGIN + 50 + n * 95, y: base - 16, size: 11, font: regular, color: INK });
            page.drawText(value.toFixed(1), { x: MARGIN + 44 + n * 95, y: base + height + 6, size: 11, font: bold, color: INK });
          });
          page.drawSvgPath(
            values.map((value, n) => `${n === 0 ? 'M' : 'L'} ${30 + 30 + n * 95} ${-(value / 20) * 220 - 24}`).join(' '),
            { x: MARGIN, y: base, borderColor: rgb(0.85, 0.3, 0.1), borderWidth: 2 },
          );
        },
        { alt: 'Bar chart of quarterly revenue: 12.4, 13.9, 14.3 and 16.8 million', bbox: [MARGIN, base - 20, MARGIN + 400, base + 240] },
      );
      y = base - 40;
    }
    if (section.image) {
      const [width, height] = [160, 100];
      const stream = pdf.context.stream(pictureBytes(width, height), {
        Type: 'XObject',
        Subtype: 'Image',
        Width: width,
        Height: height,
        ColorSpace: 'DeviceRGB',
        BitsPerComponent: 8,
      });
      const name = PDFName.of('Photo');
      page.node.setXObject(name, pdf.context.register(stream));
      const top = y - 10;
      tags.mark(
        page,
        index,
        'Figure',
        () => page.pushOperators(...drawImage(name, { x: MARGIN, y: top - 200, width: 320, height: 200, ...UPRIGHT })),
        { alt: 'The new regional office at the harbour, at sunset', bbox: [MARGIN, top - 200, MARGIN + 320, top] },
      );
    }
  }

  writeStructure(pdf, pages, tags.elements);
  writeOutline(pdf, pages, bookmarks);
  return pdf.save({ useObjectStreams: false, addDefaultPage: false });
}

/** StructTreeRoot → Document → one element per marked run; a parent tree maps MCIDs back to them. */
function writeStructure(pdf: PDFDocument, pages: PDFPage[], elements: Tagged[]): void {
  const { context } = pdf;
  const rootRef = context.nextRef();
  const documentRef = context.nextRef();
  const refs = elements.map((element) => {
    const ref = context.register(
      context.obj({
        Type: 'StructElem',
        S: element.role,
        P: documentRef,
        Pg: pages[element.page]!.ref,
        K: element.mcid,
        ...(element.alt ? { Alt: PDFString.of(element.alt) } : {}),
        ...(element.bbox ? { A: { O: 'Layout', BBox: element.bbox } } : {}),
      }),
    );
    return { element, ref };
  });
  context.assign(documentRef, context.obj({ Type: 'StructElem', S: 'Document', P: rootRef, K: refs.map((r) => r.ref) }));
  const nums: Array<PDFNumber | ReturnType<typeof context.obj>> = [];
  pages.forEach((page, index) => {
    page.node.set(PDFName.of('StructParents'), PDFNumber.of(index));
    const owned = refs.filter((r) => r.element.page === index).sort((a, b) => a.element.mcid - b.element.mcid);
    nums.push(PDFNumber.of(index), context.obj(owned.map((r) => r.ref)));
  });
  context.assign(
    rootRef,
    context.obj({ Type: 'StructTreeRoot', K: documentRef, ParentTree: context.obj({ Nums: nums }), ParentTreeNextKey: pages.length }),
  );
  pdf.catalog.set(PDFName.of('StructTreeRoot'), rootRef);
  pdf.catalog.set(PDFName.of('MarkInfo'), context.obj({ Marked: true }));
}

/** The document's bookmarks as an outline tree (/Outlines with /First, /Next, /Parent links). */
function writeOutline(pdf: PDFDocument, pages: PDFPage[], bookmarks: Bookmark[]): void {
  const { context } = pdf;
  const outlinesRef = context.nextRef();
  const writeLevel = (items: Bookmark[], parent: PDFRef): { first: PDFRef; last: PDFRef; count: number } => {
    const refs = items.map(() => context.nextRef());
    let count = items.length;
    items.forEach((item, n) => {
      const children = item.children?.length ? writeLevel(item.children, refs[n]!) : null;
      if (children) count += children.count;
      context.assign(
        refs[n]!,
        context.obj({
          Title: PDFString.of(item.title),
          Parent: parent,
          Dest: [pages[item.page]!.ref, 'XYZ', null, item.top, null],
          ...(n > 0 ? { Prev: refs[n - 1]! } : {}),
          ...(n < items.length - 1 ? { Next: refs[n + 1]! } : {}),
          ...(children ? { First: children.first, Last: children.last, Count: children.count } : {}),
        }),
      );
    });
    return { first: refs[0]!, last: refs.at(-1)!, count };
  };
  const top = writeLevel(bookmarks, outlinesRef);
  context.assign(outlinesRef, context.obj({ Type: 'Outlines', First: top.first, Last: top.last, Count: top.count }));
  pdf.catalog.set(PDFName.of('Outlines'), outlinesRef);
  pdf.catalog.set(PDFName.of('PageMode'), PDFName.of('UseOutlines'));
}
