// Turns start-up failures into one line on stderr and a non-zero exit: configuration mistakes
// (exit 2) and environment problems such as a port in use or an unreachable Redis (exit 1).
import { ConfigError } from './config.ts';

/** Exit status for a configuration the process cannot run with. */
export const EXIT_CONFIG = 2;
/** Exit status for a start that failed for a reason outside the configuration. */
export const EXIT_START = 1;

function describeListenError(error: NodeJS.ErrnoException & { address?: string; port?: number }): string | null {
  const where = `${error.address ?? 'the address'}:${error.port ?? '?'}`;
  if (error.code === 'EADDRINUSE') return `${where} is already in use (set PORT to another port, or 0 for any free one)`;
  if (error.code === 'EACCES') return `not allowed to listen on ${where} (ports below 1024 need privileges)`;
  if (error.code === 'EADDRNOTAVAIL') return `${where} is not an address of this machine (check HOST)`;
  return null;
}

/** Runs `start`; on failure prints `secure-viewer: <reason>` and exits. */
export async function startOrExit<T>(start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`secure-viewer: ${error.message}\n`);
      process.exit(EXIT_CONFIG);
    }
    const listen = describeListenError(error as NodeJS.ErrnoException);
    const reason = listen ?? (error instanceof Error ? error.message.split('\n')[0] : String(error));
    process.stderr.write(`secure-viewer: ${reason}\n`);
    process.exit(EXIT_START);
  }
}
