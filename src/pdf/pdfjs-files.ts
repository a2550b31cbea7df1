// The files pdf.js fetches at run time, each imported as a URL of its own so that a bundler
// building an app from this package emits every one and knows where it put it: an app needs no
// copy step. (A folder cannot be imported; one `new URL('…', import.meta.url)` per file can.)
// Only what pdf.js can ask the page for by name: the colour-management decoder and CMYK profile
// are fetched by the worker from a folder, which `pdfjs.ts` uses when the files kept their layout.
// This chunk is loaded only when they did not, and pdf.js asks for one of them.
// web-test-runner's config mirrors Vite's glob import for the tests.
type GlobbedUrls = Record<string, string>;

/** File name → URL, for each kind of file pdf.js asks for (its `BinaryDataFactory` kinds). */
interface PdfjsFiles {
  cMapUrl: Readonly<Record<string, string>>;
  standardFontDataUrl: Readonly<Record<string, string>>;
  wasmUrl: Readonly<Record<string, string>>;
}

const byName = (files: GlobbedUrls): Record<string, string> =>
  Object.fromEntries(Object.entries(files).map(([file, url]) => [file.slice(file.lastIndexOf('/') + 1), url]));

const pdfjsFiles: PdfjsFiles = {
  cMapUrl: byName(import.meta.glob<string>('/node_modules/pdfjs-dist/cmaps/*.bcmap', { query: '?url&no-inline', import: 'default', eager: true })),
  standardFontDataUrl: byName(
    import.meta.glob<string>('/node_modules/pdfjs-dist/standard_fonts/*.{pfb,ttf}', { query: '?url&no-inline', import: 'default', eager: true }),
  ),
  wasmUrl: byName(import.meta.glob<string>('/node_modules/pdfjs-dist/wasm/{jbig2,openjpeg}.wasm', { query: '?url&no-inline', import: 'default', eager: true })),
};

/**
 * A file pdf.js asked the page for (its `BinaryDataFactory`), from where the app's bundler put it.
 * Bundlers inline small files; decoding them here needs no `connect-src data:` in a CSP.
 */
export async function fetchPdfjsFile({ kind, filename }: { kind: string; filename: string }): Promise<Uint8Array> {
  const url = kind in pdfjsFiles ? pdfjsFiles[kind as keyof PdfjsFiles][filename] : undefined;
  if (!url) throw new Error(`pdf.js asked for a file this package does not have: ${kind} ${filename}`);
  const inline = /^data:[^,]*;base64,/.exec(url);
  if (inline) return Uint8Array.from(atob(url.slice(inline[0].length)), (c) => c.charCodeAt(0));
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${response.status} for ${url}`);
  return new Uint8Array(await response.arrayBuffer());
}
