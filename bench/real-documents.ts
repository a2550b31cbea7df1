// Documents nobody here wrote: large manuals that Debian's documentation packages install, and
// copies of them laid out in other ways. Found on the machine or skipped; never committed.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { PDFDocument } from 'pdf-lib';
import { cachedFacts, qpdfAvailable, type GeneratedDocument } from './documents.ts';

const run = promisify(execFile);
const QPDF = '/usr/bin/qpdf';
const VERSION = 'v1';

interface RealSource {
  /** Short name in file names and the summary. */
  id: string;
  /** Where a Debian package installs it (`.gz` is unpacked). */
  paths: string[];
  /** The package to install for it. */
  debianPackage: string;
}

/** Manuals typeset by pdfTeX: object streams, a balanced page tree, thousands of pages. */
export const realSources: RealSource[] = [
  { id: 'R-refman', paths: ['/usr/share/R/doc/manual/fullrefman.pdf', '/usr/share/R/doc/manual/refman.pdf'], debianPackage: 'r-doc-pdf' },
  { id: 'octave', paths: ['/usr/share/doc/octave/octave.pdf', '/usr/share/doc/octave/octave.pdf.gz'], debianPackage: 'octave-doc' },
];

/**
 * - published: as the package ships it;
 * - no-objstm: `qpdf --object-streams=disable` (page objects as plain objects, a cross-reference table);
 * - linearized: `qpdf --linearize`;
 * - flat: pdf-lib's copyPages into a new document, without object streams: one flat page tree,
 *   each page object written next to its own resources (scattered through the file).
 */
export const realVariants = ['published', 'no-objstm', 'linearized', 'flat'] as const;
export type RealVariant = (typeof realVariants)[number];

export function realName(source: RealSource, variant: RealVariant): string {
  return `real-${source.id}-${variant}-${VERSION}.pdf`;
}

/**
 * The real documents whose file name `wanted` accepts, each made in bench/.cache on first use;
 * `skipped` gets a line for each that this machine cannot provide.
 */
export async function ensureRealDocuments(dir: string, wanted: (name: string) => boolean, skipped: string[]): Promise<GeneratedDocument[]> {
  await mkdir(dir, { recursive: true });
  const documents: GeneratedDocument[] = [];
  for (const source of realSources) {
    const names = realVariants.filter((variant) => wanted(realName(source, variant)));
    if (names.length === 0) continue;
    const found = source.paths.find((candidate) => existsSync(candidate));
    if (!found) {
      skipped.push(`${source.id}: not on this machine (apt-get install ${source.debianPackage})`);
      continue;
    }
    const original = async (): Promise<Uint8Array> => {
      const bytes = new Uint8Array(await readFile(found));
      return found.endsWith('.gz') ? new Uint8Array(gunzipSync(bytes)) : bytes;
    };
    const pages = await pageCount(await original());
    for (const variant of names) {
      if ((variant === 'no-objstm' || variant === 'linearized') && !qpdfAvailable()) {
        skipped.push(`${source.id} ${variant}: qpdf not found at ${QPDF}`);
        continue;
      }
      const name = realName(source, variant);
      const file = path.join(dir, name);
      const build = variant === 'published' ? original : variant === 'flat' ? async () => flatten(await original()) : () => viaQpdf(original, file, variant);
      const facts = await cachedFacts(file, build, pages);
      documents.push({ name, label: `${source.id} ${variant}`, kind: 'real', file, ...facts });
    }
  }
  return documents;
}

async function viaQpdf(original: () => Promise<Uint8Array>, file: string, variant: 'no-objstm' | 'linearized'): Promise<Uint8Array> {
  const input = `${file}.in`;
  await writeFile(input, await original());
  const options = variant === 'linearized' ? ['--linearize'] : ['--object-streams=disable'];
  try {
    await run(QPDF, [...options, '--deterministic-id', '--stream-data=preserve', input, `${file}.qpdf`]);
    return new Uint8Array(await readFile(`${file}.qpdf`));
  } finally {
    await rm(input, { force: true });
    await rm(`${file}.qpdf`, { force: true });
  }
}

async function flatten(bytes: Uint8Array): Promise<Uint8Array> {
  const source = await PDFDocument.load(bytes, { updateMetadata: false });
  const target = await PDFDocument.create({ updateMetadata: false });
  for (const page of await target.copyPages(source, source.getPageIndices())) target.addPage(page);
  return target.save({ useObjectStreams: false });
}

async function pageCount(bytes: Uint8Array): Promise<number> {
  return (await PDFDocument.load(bytes, { updateMetadata: false })).getPageCount();
}
