// Part of `npm run build`: the package ships no source maps for pdf.js's chunks. They map minified
// pdf.js back to pdf.js's own sources (2.6 MB for the two big chunks), which consumers debug with
// pdf.js's releases, not ours. Our own chunks keep their maps. A chunk is pdf.js's when every
// source in its map lies in pdfjs-dist (the stylesheet chunk's map lists none).
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

const dist = path.resolve(process.argv[2] ?? 'dist');
let stripped = 0;
for (const entry of await readdir(dist, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !entry.name.endsWith('.js.map')) continue;
  const mapFile = path.join(entry.parentPath, entry.name);
  const { sources } = JSON.parse(await readFile(mapFile, 'utf8'));
  if (!sources.every((source) => source.includes('node_modules/pdfjs-dist/'))) continue;
  const codeFile = mapFile.slice(0, -'.map'.length);
  const code = await readFile(codeFile, 'utf8');
  const comment = `//# sourceMappingURL=${path.basename(mapFile)}`;
  if (!code.includes(comment)) throw new Error(`${codeFile} does not end with ${comment}`);
  await writeFile(codeFile, code.replace(new RegExp(`\\n?${comment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`), '\n'));
  await rm(mapFile);
  stripped++;
}
if (stripped === 0) throw new Error('no pdf.js source map found: has the chunk layout changed?');
console.log(`pdf.js source maps left out: ${stripped}`);
