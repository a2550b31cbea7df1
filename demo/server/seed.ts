// Seeds a fresh data folder with the sample documents. Each sample is written once; later starts
// find its metadata and skip it, so startup stays fast.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { ALL_PERMISSIONS, type DocumentStore, type PasswordHasher } from '../../server/index.ts';
import { buildReport } from './report-sample.ts';
import { buildBoardMinutes, buildLargeScan, buildManyPages, buildSample } from './samples.ts';

export const PROTECTED_SAMPLE_PASSWORD = 'reader-2026';

const ENCRYPTED_FIXTURE = fileURLToPath(new URL('./fixtures/encrypted.pdf', import.meta.url));

interface SampleSpec {
  id: string;
  title: string;
  pages: number;
  build(): Promise<Uint8Array>;
  password?: string;
}

const SAMPLES: SampleSpec[] = [
  { id: 'sample', title: 'Sample document', pages: 3, build: buildSample },
  { id: 'long', title: 'Long report', pages: 500, build: () => buildManyPages('Long report', 500, 8 * 1024) },
  {
    id: 'long-objstm',
    title: 'Long report (object streams)',
    pages: 500,
    build: () => buildManyPages('Long report (object streams)', 500, 8 * 1024, { objectStreams: true }),
  },
  { id: 'pages-1000', title: '1000 pages', pages: 1000, build: () => buildManyPages('1000 pages', 1000) },
  { id: 'large', title: 'Large scan', pages: 40, build: buildLargeScan },
  { id: 'report', title: 'Annual report 2025', pages: 6, build: buildReport },
  // Encrypted at PDF level (user password open-sesame); qpdf made it, see fixtures/make-encrypted.sh.
  { id: 'encrypted', title: 'Encrypted contract', pages: 2, build: async () => new Uint8Array(await readFile(ENCRYPTED_FIXTURE)) },
  {
    id: 'protected',
    title: `Board minutes (password: ${PROTECTED_SAMPLE_PASSWORD})`,
    pages: 2,
    build: buildBoardMinutes,
    password: PROTECTED_SAMPLE_PASSWORD,
  },
];

export interface SeedOptions {
  /**
   * Seeds `protected`, whose access password is published (README, its own title). Default true;
   * `npm run serve` turns it off, so a production start never holds a document anyone can open.
   */
  publishedPasswords?: boolean;
}

export async function seedSamples(store: DocumentStore, hasher: PasswordHasher, options: SeedOptions = {}): Promise<string[]> {
  const samples = options.publishedPasswords === false ? SAMPLES.filter((sample) => sample.password === undefined) : SAMPLES;
  const present = await Promise.all(samples.map((sample) => store.get(sample.id)));
  const missing = samples.filter((_, index) => present[index] === null);
  await Promise.all(
    missing.map(async (sample) => {
      const [bytes, passwordHash] = await Promise.all([
        sample.build(),
        sample.password ? hasher.hash(sample.password) : Promise.resolve(undefined),
      ]);
      // The samples show every permission; uploads grant only `read` unless asked.
      await store.add({
        id: sample.id,
        title: sample.title,
        bytes,
        pages: sample.pages,
        permissions: ALL_PERMISSIONS,
        ...(passwordHash ? { passwordHash } : {}),
      });
    }),
  );
  return missing.map((sample) => sample.id);
}
