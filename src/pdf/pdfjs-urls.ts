// Vite emits the worker and these files beside the build and gives their URLs; the test runner's
// `vite-url-imports` plugin maps the same imports to the files in node_modules. `&sample` makes
// each sample a module of its own: shared with the file list, it would tie that chunk to the entry.
import cMapUrl from 'pdfjs-dist/cmaps/Adobe-Japan1-UCS2.bcmap?url&no-inline&sample';
import standardFontDataUrl from 'pdfjs-dist/standard_fonts/FoxitDingbats.pfb?url&no-inline&sample';
import wasmUrl from 'pdfjs-dist/wasm/openjpeg.wasm?url&no-inline&sample';
import workerUrl from 'pdfjs-dist/legacy/build/pdf.worker.min.mjs?url&no-inline';

/** URL of the pdf.js worker script shipped with this package. */
export const pdfWorkerUrl: string = workerUrl;

/**
 * One of pdf.js's run-time files of each kind, by name and URL: where these are is where an app's
 * bundler put them all, which tells whether they kept the package's layout (`pdfjs.ts`) without
 * loading the list of every file (`pdfjs-files.ts`).
 */
export const pdfjsFileSamples: Record<'cMapUrl' | 'standardFontDataUrl' | 'wasmUrl', readonly [name: string, url: string]> = {
  cMapUrl: ['Adobe-Japan1-UCS2.bcmap', cMapUrl],
  standardFontDataUrl: ['FoxitDingbats.pfb', standardFontDataUrl],
  wasmUrl: ['openjpeg.wasm', wasmUrl],
};
