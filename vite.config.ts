import { cp, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin, type Rolldown } from 'vite';

const root = path.dirname(fileURLToPath(import.meta.url));
const pdfjsRoot = path.join(root, 'node_modules/pdfjs-dist');

/**
 * pdf.js fetches cmaps, standard fonts, wasm decoders and ICC profiles at run time, relative to
 * nothing Vite can see. The build lays them out as pdfjs-dist does (`pdfjs/legacy/build/<worker>` and
 * `pdfjs/<assets>/`), so the element finds them two levels above the worker in every setting.
 * quickjs (PDF JavaScript) is left out: scripting stays off.
 */
function pdfjsAssets(shared: string): Plugin {
  let outDir = '';
  return {
    name: 'secure-viewer:pdfjs-assets',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    async closeBundle() {
      const target = path.join(outDir, shared, 'pdfjs');
      for (const dir of ['cmaps', 'standard_fonts', 'wasm', 'iccs']) {
        await mkdir(path.join(target, dir), { recursive: true });
        await cp(path.join(pdfjsRoot, dir), path.join(target, dir), {
          recursive: true,
          filter: (source) => !path.basename(source).startsWith('quickjs') && !path.basename(source).startsWith('LICENSE_QUICKJS'),
        });
      }
      await cp(path.join(pdfjsRoot, 'LICENSE'), path.join(target, 'LICENSE'));
      await rm(path.join(target, 'wasm', 'LICENSE_PDFJS_QUICKJS'), { force: true });
    },
  };
}

/**
 * pdf.js imports two modules from URLs known only at run time (its worker's code on the page when
 * no worker can start, and the scripting sandbox, which stays off) and marks those `import()` calls
 * for bundlers to leave alone. Minifying drops the marks, and an app's bundler then reports each
 * call as one it cannot analyse (Vite's dev server on every start, webpack as a "critical
 * dependency"): they are put back. pdf.js's chunks ship without source maps, so none moves.
 */
function pdfjsImportMarks(): Plugin {
  return {
    name: 'secure-viewer:pdfjs-import-marks',
    apply: 'build',
    generateBundle(_, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk' || !chunk.moduleIds.some((id) => id.includes('node_modules/pdfjs-dist/'))) continue;
        // `import(this.workerSrc)`, `import(e)`: a name, never a string our bundler resolved.
        chunk.code = chunk.code.replace(/\bimport\((?=[\w$.]+\))/g, 'import(/*webpackIgnore:true*//*@vite-ignore*/');
      }
    },
  };
}

/** Lit `css` templates in our style modules ship without comments and indentation. */
function compactStyles(): Plugin {
  return {
    name: 'secure-viewer:compact-styles',
    apply: 'build',
    transform(code, id) {
      if (!id.endsWith('.styles.ts')) return null;
      const compacted = code.replace(/css`([^`]*)`/g, (_, body: string) => {
        const compact = body
          .replace(/\/\*[\s\S]*?\*\//g, '')
          .replace(/\s+/g, ' ')
          .replace(/\s*([{};,>])\s*/g, '$1')
          .replace(/:\s+/g, ':')
          .replace(/;}/g, '}')
          .replace(/\s+!important/g, '!important')
          .replace(/([\s:(,])0\.(\d)/g, '$1.$2')
          .trim();
        return `css\`${compact}\``;
      });
      // Nothing to map back to: the module is one stylesheet.
      return { code: compacted, map: { mappings: '' } };
    },
  };
}

/**
 * Lit `html` and `svg` templates in our modules ship without the indentation of their lines: HTML
 * collapses whitespace between tags and attributes anyway. Line breaks stay, so the source maps'
 * lines still hold.
 */
function compactTemplates(): Plugin {
  return {
    name: 'secure-viewer:compact-templates',
    apply: 'build',
    transform(code, id) {
      if (sourcePath(id) === null || !/\b(html|svg)`/.test(code)) return null;
      const texts: Array<{ start: number; end: number }> = [];
      const visit = (node: unknown): void => {
        if (Array.isArray(node)) return node.forEach(visit);
        if (typeof node !== 'object' || node === null) return;
        const { type, tag, quasi } = node as { type?: string; tag?: { type?: string; name?: string }; quasi?: { quasis: Array<{ start: number; end: number }> } };
        if (type === 'TaggedTemplateExpression' && tag?.type === 'Identifier' && (tag.name === 'html' || tag.name === 'svg') && quasi) texts.push(...quasi.quasis);
        Object.values(node).forEach(visit);
      };
      visit(this.parse(code));
      let compacted = code;
      for (const { start, end } of texts.sort((a, b) => b.start - a.start)) {
        compacted = compacted.slice(0, start) + compacted.slice(start, end).replace(/\n[ \t]+/g, '\n') + compacted.slice(end);
      }
      return { code: compacted, map: null };
    },
  };
}

/** A module's path under src/, or null for anything else (pdf.js, lit, Vite's helpers). */
function sourcePath(id: string): string | null {
  const source = path.relative(path.join(root, 'src'), id.split('?')[0]!).split(path.sep).join('/');
  return source.startsWith('..') || path.isAbsolute(source) ? null : source;
}

/**
 * Whether an entry imports the module statically, directly or through other modules: it loads
 * with the element. What only `import()` reaches (the sidebar's content, print, the password
 * dialog, …) is left to chunks of its own, loaded when first used.
 */
function loadsWithEntry(id: string, ctx: Rolldown.ChunkingContext, seen = new Set<string>()): boolean {
  if (seen.has(id)) return false;
  seen.add(id);
  const info = ctx.getModuleInfo(id);
  return !!info && (info.isEntry || info.importers.some((importer) => loadsWithEntry(importer, ctx, seen)));
}

/**
 * Our chunk that loads with the element: what the entries import statically, and the worker's
 * URL (`pdf/worker-url.ts`), which pdfjs.ts imports lazily only so that the sources import in
 * Node, but which the first document needs at once.
 */
function elementChunk(id: string, ctx: Rolldown.ChunkingContext): string | null {
  const source = sourcePath(id);
  if (source === null || source === 'react.ts' || source === 'vue.ts') return null;
  return source === 'pdf/worker-url.ts' || loadsWithEntry(id, ctx) ? 'secure-viewer' : null;
}

/**
 * File URLs in our code are written `new URL('./…', import.meta.url)`: the explicit `./` is what
 * lets an app's bundler (Vite, webpack, Rollup with its import-meta-assets plugin) tell a file
 * beside the module from a package name, and emit it.
 */
function relativeFileUrl(filename: string, { hostId, hostType }: { hostId: string; hostType: string }) {
  if (hostType !== 'js') return { relative: true };
  const relative = path.posix.relative(path.posix.dirname(hostId), filename);
  return { runtime: `new URL(${JSON.stringify(relative.startsWith('../') ? relative : `./${relative}`)}, import.meta.url).href` };
}

/**
 * `vite build`                   → dist/      ESM for npm consumers: lit external (apps share one
 *                                              copy), pdf.js bundled (API and worker versions must match).
 * `vite build --mode standalone` → dist/cdn/  one folder for a plain <script type="module"> drop-in.
 * pdf.js is a separate chunk loaded with the first document, never when the tag is defined.
 * pdf.js's chunks, worker and assets are the same bytes in both builds, so the npm entries use
 * the drop-in folder's copies (`dist/cdn/chunks/`, `dist/cdn/pdfjs/`): the package ships each
 * file once. The standalone build therefore runs second and keeps what the first one wrote.
 */
export default defineConfig(({ mode }) => {
  const standalone = mode === 'standalone';
  // Where pdf.js's chunks and files go, relative to outDir.
  const shared = standalone ? '' : 'cdn/';
  const entry: Record<string, string> = standalone
    ? { 'secure-viewer': 'src/index.ts' }
    : { index: 'src/index.ts', react: 'src/react.ts', vue: 'src/vue.ts' };
  return {
    base: './',
    plugins: [compactStyles(), compactTemplates(), pdfjsImportMarks(), pdfjsAssets(shared)],
    experimental: { renderBuiltUrl: relativeFileUrl },
    build: {
      target: 'es2022',
      outDir: standalone ? 'dist/cdn' : 'dist',
      emptyOutDir: !standalone,
      sourcemap: true,
      minify: true,
      assetsInlineLimit: 0,
      lib: { entry, formats: ['es'] },
      rolldownOptions: {
        // Lets the package entry itself hold the shared code (the adapters import from it)
        // instead of re-exporting it from a chunk: one file fewer to load.
        preserveEntrySignatures: 'allow-extension',
        external: standalone ? [] : [/^lit($|\/)/, /^@lit\//, /^react($|\/)/, /^vue$/],
        output: {
          // Library mode keeps whitespace by default; this is shipped code, not a source to debug
          // (source maps are beside it).
          minify: true,
          // Pure-call annotations (`/* @__PURE__ */ new Set`) tell a bundler it may drop an unused
          // result; in finished chunks, whose code all runs, they are only bytes. Licences stay.
          comments: { legal: true, annotation: false },
          // pdf.js's viewer stylesheet is a module of its own; named apart from the viewer code.
          // Every chunk goes with the drop-in's: those that are the same bytes in both builds
          // (pdf.js's, and ours that import neither lit nor the entry) are then shipped once.
          chunkFileNames: (chunk) =>
            chunk.moduleIds.some((id) => id.includes('pdf_viewer.css')) ? `${shared}chunks/pdf_viewer_css-[hash].js` : `${shared}chunks/[name]-[hash].js`,
          // Our code that loads with the element is one chunk: split up, tiny shared chunks (the
          // define call, the worker URL) each cost a request, and each chunk compresses on its
          // own. What only import() reaches (reader features used on demand, pdf.js, its viewer
          // stylesheet and its file list) stays in lazy chunks; the adapters stay in their entries.
          codeSplitting: {
            groups: [{ name: elementChunk }],
          },
          // pdf.js's worker and files keep pdfjs-dist's layout under pdfjs/, where the copy step
          // above puts the rest of those folders.
          assetFileNames: (asset) => {
            const original = asset.originalFileNames.find((name) => name.includes('node_modules/pdfjs-dist/'));
            return original ? `${shared}pdfjs/${original.slice(original.indexOf('node_modules/pdfjs-dist/') + 'node_modules/pdfjs-dist/'.length)}` : 'assets/[name]-[hash][extname]';
          },
        },
      },
    },
  };
});
