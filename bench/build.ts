import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { outDir, repoDir } from './config.ts';

const run = promisify(execFile);

export const npmBuildDir = path.join(outDir, 'npm');
export const cdnBuildDir = path.join(outDir, 'cdn');

/**
 * Builds the element from the current sources with the repository's own Vite config, into
 * bench/.out so that dist/ is left alone: the npm flavour (lit external) for code size, the
 * drop-in flavour (everything bundled) for the browser runs.
 */
export async function buildElement(skip: boolean): Promise<void> {
  if (skip && existsSync(path.join(cdnBuildDir, 'secure-viewer.js')) && existsSync(path.join(npmBuildDir, 'index.js'))) return;
  const vite = path.join(repoDir, 'node_modules/vite/bin/vite.js');
  for (const [mode, dir] of [
    ['production', npmBuildDir],
    ['standalone', cdnBuildDir],
  ] as const) {
    await run(process.execPath, [vite, 'build', '--mode', mode, '--outDir', dir, '--emptyOutDir', '--logLevel', 'warn'], {
      cwd: repoDir,
      maxBuffer: 16 * 1024 * 1024,
    });
  }
}

export interface ChunkSize {
  file: string;
  kind: 'element' | 'pdf.js' | 'lit';
  rawBytes: number;
  gzipBytes: number;
}

export interface CodeSize {
  chunks: ChunkSize[];
  /** The element's own code (lit external build, pdf.js chunks and pdf.js's inlined stylesheet left out). */
  elementGzipBytes: number;
  elementRawBytes: number;
  /** What defining the element costs (npm build): the entry and the chunks it imports statically. */
  defineGzipBytes: number;
  /** pdf.js's viewer stylesheet, a string in a lazily loaded chunk of its own (not counted as ours). */
  inlinedPdfjsCssGzipBytes: number;
  /** The drop-in entry, which bundles lit. */
  dropInEntryGzipBytes: number;
}

const gzipSize = (text: string | Buffer): number => gzipSync(text, { level: 9 }).byteLength;

/** Chunks are classified by their source map: a chunk made only of pdfjs-dist sources is pdf.js. */
async function classify(file: string): Promise<ChunkSize['kind']> {
  try {
    const map = JSON.parse(await readFile(`${file}.map`, 'utf8')) as { sources: string[] };
    if (map.sources.length > 0 && map.sources.every((source) => source.includes('node_modules/pdfjs-dist/'))) return 'pdf.js';
    if (map.sources.length > 0 && map.sources.every((source) => /node_modules\/(lit|lit-html|lit-element|@lit)\//.test(source))) return 'lit';
  } catch {
    // No source map: count it as the element's, the conservative choice.
  }
  return 'element';
}

/**
 * Finds the string literal holding pdf.js's viewer CSS (it contains `.pdfViewer{`). Minified code
 * is one long line, so walk back from that text to earlier quotes and take the first literal,
 * honouring escapes, that runs past it and is long enough to be the stylesheet. Template literals
 * are tried first: the CSS itself is full of double quotes.
 */
function findInlinedCss(code: string): [number, number] | null {
  const inside = code.indexOf('.pdfViewer{');
  if (inside < 0) return null;
  for (const quote of ['`', '"', "'"]) {
    let candidate = inside;
    for (let tries = 0; tries < 50; tries++) {
      candidate = code.lastIndexOf(quote, candidate - 1);
      if (candidate < 0) break;
      for (let i = candidate + 1; i < code.length; i++) {
        if (code[i] === '\\') i++;
        else if (code[i] === quote) {
          if (i > inside && i - candidate > 10_000) return [candidate, i + 1];
          break;
        }
      }
    }
  }
  return null;
}

async function jsFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.js'))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .filter((file) => !file.includes(`${path.sep}pdfjs${path.sep}`))
    .sort();
}

export async function measureCodeSize(): Promise<CodeSize> {
  const chunks: ChunkSize[] = [];
  // Each chunk is its own response, so sizes are gzipped per file and summed.
  let elementRaw = 0;
  let elementGzip = 0;
  let css = '';
  for (const file of await jsFiles(npmBuildDir)) {
    const code = await readFile(file, 'utf8');
    let kind = await classify(file);
    const cssRange = kind === 'element' ? findInlinedCss(code) : null;
    const own = cssRange ? `${code.slice(0, cssRange[0])}""${code.slice(cssRange[1])}` : code;
    if (cssRange) css += code.slice(...cssRange);
    // A chunk that only exports pdf.js's stylesheet (its source map lists no sources) is pdf.js's.
    if (cssRange && own.replace(/\/\/# sourceMappingURL=.*$/m, '').length < 200) kind = 'pdf.js';
    chunks.push({ file: path.relative(outDir, file), kind, rawBytes: Buffer.byteLength(code), gzipBytes: gzipSize(code) });
    if (kind !== 'element') continue;
    elementRaw += Buffer.byteLength(own);
    elementGzip += gzipSize(own);
  }

  // Defining the element loads the entry and what it imports statically (not the lazy chunks).
  const entry = path.join(npmBuildDir, 'index.js');
  const statics = new Set<string>([entry]);
  for (const file of statics) {
    const code = await readFile(file, 'utf8');
    for (const match of code.matchAll(/^import\s[^;]*?from\s*["'](\.[^"']+)["']/gm)) {
      statics.add(path.resolve(path.dirname(file), match[1]!));
    }
  }
  let defineGzip = 0;
  for (const file of statics) defineGzip += gzipSize(await readFile(file));

  const dropIn = await readFile(path.join(cdnBuildDir, 'secure-viewer.js'), 'utf8');
  return {
    chunks,
    elementGzipBytes: elementGzip,
    elementRawBytes: elementRaw,
    defineGzipBytes: defineGzip,
    inlinedPdfjsCssGzipBytes: css ? gzipSize(css) : 0,
    dropInEntryGzipBytes: gzipSize(dropIn),
  };
}

/** Which sources the build came from; src/ changes often, so results name the commit. */
export async function sourceRevision(): Promise<{ commit: string; srcModified: boolean }> {
  const git = (...args: string[]) => run('git', args, { cwd: repoDir }).then((r) => r.stdout.trim(), () => '');
  return { commit: await git('rev-parse', '--short', 'HEAD'), srcModified: (await git('status', '--porcelain', '--', 'src')) !== '' };
}
