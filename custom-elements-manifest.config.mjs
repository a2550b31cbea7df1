// `npm run analyze` (part of `npm run build`): the custom elements manifest, from the element's JSDoc.
// Only the public modules are analysed, and module paths name the files the package ships, so tools
// that follow `customElements` in package.json land on real files.
import path from 'node:path';

/** Public source module → the shipped file that carries it (the package entry exports the class and defines the tag). */
const shipped = {
  'src/index.ts': 'dist/index.js',
  'src/define.ts': 'dist/index.js',
  'src/secure-viewer.ts': 'dist/index.js',
};

/** Any other source module is published only as its declaration file. */
function toShipped(source) {
  if (source in shipped) return shipped[source];
  return /^src\/.*\.ts$/.test(source) ? `dist/types/${source.slice('src/'.length, -'.ts'.length)}.d.ts` : source;
}

/** A module reference as written in the manifest (relative to `from`, or root-relative) → shipped path. */
function reference(from, module) {
  const source = module.startsWith('.') ? path.posix.join(path.posix.dirname(from), module) : module.replace(/^\//, '');
  return toShipped(source);
}

function shippedPaths() {
  return {
    name: 'secure-viewer:shipped-paths',
    packageLinkPhase({ customElementsManifest }) {
      const byPath = new Map();
      for (const mod of customElementsManifest.modules) {
        for (const item of [...(mod.exports ?? []), ...(mod.declarations ?? [])]) {
          if (item.declaration?.module) item.declaration.module = reference(mod.path, item.declaration.module);
          if (item.superclass?.module) item.superclass.module = reference(mod.path, item.superclass.module);
        }
        const target = toShipped(mod.path);
        const merged = byPath.get(target);
        if (merged) {
          merged.declarations = [...(merged.declarations ?? []), ...(mod.declarations ?? [])];
          // The entry re-exports what the element module declares: list each export once.
          const listed = new Set((merged.exports ?? []).map((item) => `${item.kind} ${item.name}`));
          merged.exports = [...(merged.exports ?? []), ...(mod.exports ?? []).filter((item) => !listed.has(`${item.kind} ${item.name}`))];
        } else {
          byPath.set(target, { ...mod, path: target });
        }
      }
      customElementsManifest.modules = [...byPath.values()];
    },
  };
}

export default {
  globs: Object.keys(shipped),
  outdir: '.',
  litelement: true,
  plugins: [shippedPaths()],
};
