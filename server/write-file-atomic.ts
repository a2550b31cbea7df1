// Replacing a file so that readers see the old or the new content, never half of one, even when
// several processes write the same file at once (each uses its own temporary name).
import { randomUUID } from 'node:crypto';
import { link, rename, rm, writeFile } from 'node:fs/promises';

/** Writes through a temporary name unique to this process, then renames over the target (0600). */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const temporary = `${file}.${process.pid}-${randomUUID()}.tmp`;
  await writeFile(temporary, data, { mode: 0o600 });
  await rename(temporary, file);
}

/**
 * Creates `file` with `data` only if it does not exist yet; the first writer wins and everyone
 * reads the winner's content. Returns true when this call created it.
 */
export async function createFileOnce(file: string, data: string | Uint8Array): Promise<boolean> {
  const temporary = `${file}.${process.pid}-${randomUUID()}.tmp`;
  await writeFile(temporary, data, { mode: 0o600 });
  try {
    // link() fails if the target exists, and publishes the complete file in one step.
    await link(temporary, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await rm(temporary, { force: true });
  }
}
