// `npm run analyze` (part of `npm run build`): the custom elements manifest, from the element's JSDoc.
export default {
  globs: ['src/**/*.ts'],
  exclude: ['src/**/*.d.ts', 'src/react.ts', 'src/vue.ts'],
  outdir: '.',
  litelement: true,
};
