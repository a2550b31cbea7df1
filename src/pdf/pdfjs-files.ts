// The files pdf.js fetches at run time, each imported as a URL of its own so that a bundler
// building an app from this package emits every one and knows where it put it: an app needs no
// copy step. (A folder cannot be imported; one `new URL('…', import.meta.url)` per file can.)
// Only what pdf.js can ask the page for by name: the colour-management decoder and CMYK profile
// are fetched by the worker from a folder, which `pdfjs.ts` uses when the files kept their layout.
// web-test-runner's config mirrors Vite's glob import for the tests.
type GlobbedUrls = Record<string, string>;

/** File name → URL, for each kind of file pdf.js asks for (its `BinaryDataFactory` kinds). */
export interface PdfjsFiles {
  cMapUrl: Readonly<Record<string, string>>;
  standardFontDataUrl: Readonly<Record<string, string>>;
  wasmUrl: Readonly<Record<string, string>>;
}

const byName = (files: GlobbedUrls): Record<string, string> =>
  Object.fromEntries(Object.entries(files).map(([file, url]) => [file.slice(file.lastIndexOf('/') + 1), url]));

export const pdfjsFiles: PdfjsFiles = {
  cMapUrl: byName(import.meta.glob<string>('/node_modules/pdfjs-dist/cmaps/*.bcmap', { query: '?url&no-inline', import: 'default', eager: true })),
  standardFontDataUrl: byName(
    import.meta.glob<string>('/node_modules/pdfjs-dist/standard_fonts/*.{pfb,ttf}', { query: '?url&no-inline', import: 'default', eager: true }),
  ),
  wasmUrl: byName(import.meta.glob<string>('/node_modules/pdfjs-dist/wasm/{jbig2,openjpeg}.wasm', { query: '?url&no-inline', import: 'default', eager: true })),
};
