// Vite emits the worker as a file beside the build and gives its URL; the test runner's
// `vite-url-imports` plugin maps the same import to the file in node_modules.
import workerUrl from 'pdfjs-dist/legacy/build/pdf.worker.min.mjs?url&no-inline';

/** URL of the pdf.js worker script shipped with this package. */
export const pdfWorkerUrl: string = workerUrl;
