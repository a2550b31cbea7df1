// Deterministic sample PDFs for a fresh data folder. Everything here must stay fast: the
// browser and server tests seed a new temporary data folder on every run.
import {
  PDFDocument,
  PDFName,
  PDFString,
  StandardFonts,
  degrees,
  drawImage,
  rgb,
  type PDFFont,
  type PDFPage,
  type RGB,
} from 'pdf-lib';

const LETTER: [number, number] = [612, 792];
const FIXED_DATE = new Date('2026-01-01T00:00:00Z');

/** The rectangle the browser tests sample at 50 % width, 30 % height of page 1. */
const PROBE_RECT = { x: 72, y: 400, width: 468, height: 300 } as const;

export const RED = rgb(1, 0, 0);
export const GREEN = rgb(0, 1, 0);
export const BLUE = rgb(0, 0, 1);

async function newDocument(title: string): Promise<{ pdf: PDFDocument; font: PDFFont }> {
  // updateMetadata:false keeps the output byte-identical between runs (no "now" dates).
  const pdf = await PDFDocument.create({ updateMetadata: false });
  pdf.setTitle(title);
  pdf.setProducer('secure-viewer reference backend');
  pdf.setCreationDate(FIXED_DATE);
  pdf.setModificationDate(FIXED_DATE);
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  return { pdf, font };
}

function save(pdf: PDFDocument): Promise<Uint8Array> {
  // No object streams: objects are written in creation order, so page 1 comes first.
  return pdf.save({ useObjectStreams: false, addDefaultPage: false });
}

function colouredPage(pdf: PDFDocument, font: PDFFont, colour: RGB, label: string): PDFPage {
  const page = pdf.addPage(LETTER);
  page.drawRectangle({ ...PROBE_RECT, color: colour });
  page.drawText(label, { x: 72, y: 740, size: 24, font });
  return page;
}

function addUriLink(pdf: PDFDocument, page: PDFPage, uri: string, rect: [number, number, number, number]): void {
  const annotation = pdf.context.obj({
    Type: 'Annot',
    Subtype: 'Link',
    Rect: rect,
    Border: [0, 0, 0],
    A: { Type: 'Action', S: 'URI', URI: PDFString.of(uri) },
  });
  page.node.addAnnot(pdf.context.register(annotation));
}

/** `sample`: red, green, blue pages; page 1 carries one safe and one `javascript:` link. */
export async function buildSample(): Promise<Uint8Array> {
  const { pdf, font } = await newDocument('Sample document');
  const colours = [RED, GREEN, BLUE];
  colours.forEach((colour, index) => colouredPage(pdf, font, colour, `Page ${index + 1} of 3`));
  const first = pdf.getPage(0);
  first.drawText('https://example.com/docs', { x: 76, y: 310, size: 12, font, color: rgb(0, 0, 0.6) });
  first.drawText('javascript:alert(1)', { x: 324, y: 310, size: 12, font, color: rgb(0.6, 0, 0) });
  addUriLink(pdf, first, 'https://example.com/docs', [72, 300, 300, 330]);
  addUriLink(pdf, first, 'javascript:alert(1)', [320, 300, 540, 330]);
  return save(pdf);
}

/**
 * Many pages: a coloured rectangle and a page number each. With `stampBytes`, every page also
 * carries a small incompressible image stored right after it, so the file is large enough that
 * a jump to a distant page needs new byte ranges, as with a real report.
 */
export async function buildManyPages(title: string, pages: number, stampBytes = 0, { objectStreams = false } = {}): Promise<Uint8Array> {
  const { pdf, font } = await newDocument(title);
  const stampName = PDFName.of('Stamp');
  const stampWidth = Math.max(1, Math.round(Math.sqrt(stampBytes / 3)));
  for (let n = 1; n <= pages; n++) {
    const page = pdf.addPage(LETTER);
    const hue = (n * 37) % 360;
    page.drawRectangle({ ...PROBE_RECT, color: hueColour(hue) });
    page.drawText(`Page ${n}`, { x: 72, y: 740, size: 24, font });
    if (stampBytes > 0) {
      const stream = pdf.context.stream(noise(stampWidth * stampWidth * 3, 0x10ad + n), {
        Type: 'XObject',
        Subtype: 'Image',
        Width: stampWidth,
        Height: stampWidth,
        ColorSpace: 'DeviceRGB',
        BitsPerComponent: 8,
      });
      page.node.setXObject(stampName, pdf.context.register(stream));
      page.pushOperators(...drawImage(stampName, { x: 72, y: 100, width: 64, height: 64, ...UPRIGHT }));
    }
  }
  // With object streams: every dictionary (page objects, the page tree) compressed in object
  // streams at the end, and a cross-reference stream, as most producers write them today.
  return objectStreams ? pdf.save({ useObjectStreams: true, addDefaultPage: false }) : save(pdf);
}

function hueColour(hue: number): RGB {
  const c = 0.8;
  const x = c * (1 - Math.abs(((hue / 60) % 2) - 1));
  const m = 0.15;
  const [r, g, b] =
    hue < 60 ? [c, x, 0] : hue < 120 ? [x, c, 0] : hue < 180 ? [0, c, x] : hue < 240 ? [0, x, c] : hue < 300 ? [x, 0, c] : [c, 0, x];
  return rgb(r + m, g + m, b + m);
}

/** xorshift32: seeded and fast; the noise must not compress so the file stays large. */
function noise(bytes: number, seed: number): Uint8Array {
  const words = new Uint32Array(Math.ceil(bytes / 4));
  let state = seed >>> 0 || 1;
  for (let i = 0; i < words.length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    words[i] = state >>> 0;
  }
  return new Uint8Array(words.buffer, 0, bytes);
}

const SCAN_WIDTH = 512;
const SCAN_HEIGHT = 432;
const SCAN_PAGES = 40;
const UPRIGHT = { rotate: degrees(0), xSkew: degrees(0), ySkew: degrees(0) };

/**
 * `large`: ~24 MiB of incompressible page images. Pages, their content streams and the fonts are
 * created first and the images last, so the page objects sit at the start of the file and page 1
 * (a solid rectangle and a tiny image) renders long before the rest has arrived.
 */
export async function buildLargeScan(): Promise<Uint8Array> {
  const { pdf, font } = await newDocument('Large scan');
  const imageName = PDFName.of('Scan');
  const pages: PDFPage[] = [];
  for (let n = 1; n <= SCAN_PAGES; n++) {
    const page = pdf.addPage(LETTER);
    if (n === 1) {
      page.drawRectangle({ ...PROBE_RECT, color: RED });
      page.pushOperators(...drawImage(imageName, { x: 72, y: 100, width: 64, height: 64, ...UPRIGHT }));
    } else {
      page.pushOperators(...drawImage(imageName, { x: 36, y: 60, width: 540, height: 540 * (SCAN_HEIGHT / SCAN_WIDTH), ...UPRIGHT }));
    }
    page.drawText(`Scan page ${n} of ${SCAN_PAGES}`, { x: 72, y: 740, size: 24, font });
    pages.push(page);
  }
  // Images are registered after every page object, so they get the highest object numbers.
  pages.forEach((page, index) => {
    const [width, height] = index === 0 ? [16, 16] : [SCAN_WIDTH, SCAN_HEIGHT];
    const stream = pdf.context.stream(noise(width * height * 3, 0x5eed + index), {
      Type: 'XObject',
      Subtype: 'Image',
      Width: width,
      Height: height,
      ColorSpace: 'DeviceRGB',
      BitsPerComponent: 8,
    });
    page.node.setXObject(imageName, pdf.context.register(stream));
  });
  return save(pdf);
}

/** Plain source of the `encrypted` fixture (encrypted afterwards with qpdf, see fixtures/). */
export async function buildEncryptedSource(): Promise<Uint8Array> {
  const { pdf, font } = await newDocument('Encrypted contract');
  colouredPage(pdf, font, RED, 'Encrypted contract, page 1 of 2');
  colouredPage(pdf, font, BLUE, 'Encrypted contract, page 2 of 2');
  return save(pdf);
}

/** `protected`: an ordinary PDF that sits behind an access password. */
export async function buildBoardMinutes(): Promise<Uint8Array> {
  const { pdf, font } = await newDocument('Board minutes');
  colouredPage(pdf, font, GREEN, 'Board minutes, page 1 of 2');
  colouredPage(pdf, font, BLUE, 'Board minutes, page 2 of 2');
  return save(pdf);
}
