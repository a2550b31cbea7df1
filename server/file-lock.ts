// A lock between processes for read-edit-write of one file: `<file>.lock`, created exclusively.
// The server and `npm run keys` both change the API key file; without it each could read the same
// old list and the later write would drop the other's change.
import { open, rm, stat } from 'node:fs/promises';

export interface FileLockOptions {
  /** A lock older than this is taken to be left by a process that died, and removed; default 10 s. */
  staleMs?: number;
  /** Gives up (throws) after waiting this long; default 15 s. */
  timeoutMs?: number;
}

/** Runs `work` while holding `<file>.lock`; waits (polling) while another process holds it. */
export async function withFileLock<T>(file: string, work: () => Promise<T>, options: FileLockOptions = {}): Promise<T> {
  const lock = `${file}.lock`;
  const staleMs = options.staleMs ?? 10_000;
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  for (let wait = 5; ; wait = Math.min(wait * 2, 100)) {
    try {
      const handle = await open(lock, 'wx', 0o600);
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const held = await stat(lock).catch(() => null);
    if (held && Date.now() - held.mtimeMs > staleMs) {
      await rm(lock, { force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`${lock} is held by another process`);
    await new Promise((resolve) => setTimeout(resolve, wait + Math.random() * wait));
  }
  try {
    return await work();
  } finally {
    await rm(lock, { force: true });
  }
}
