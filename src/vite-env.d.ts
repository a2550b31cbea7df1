// Vite asset imports used by src/pdf/: `?url&no-inline` gives an emitted file's URL, `?inline` a CSS text.
declare module '*?url&no-inline' {
  const url: string;
  export default url;
}
declare module '*.css?inline' {
  const css: string;
  export default css;
}

// Vite's glob import, as src/pdf/pdfjs-files.ts uses it (eager, one named export per file).
interface ImportMeta {
  glob<T>(pattern: string | string[], options: { query: string; import: string; eager: true }): Record<string, T>;
}
