import { readFile } from 'node:fs/promises';

/** A text file's contents, or null when there is no such file; any other failure is thrown. */
export async function readIfExists(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
