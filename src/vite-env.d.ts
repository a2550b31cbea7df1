// Vite asset imports used by src/pdf/: `?url&no-inline` gives an emitted file's URL, `?inline` a CSS text.
declare module '*?url&no-inline' {
  const url: string;
  export default url;
}
declare module '*.css?inline' {
  const css: string;
  export default css;
}
