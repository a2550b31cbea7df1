// Chromium's DevTools protocol from a browser test, through the commands in
// scripts/wtr-devtools-commands.mjs (registered in web-test-runner.config.mjs).
import { executeServerCommand } from '@web/test-runner-commands';

/** Sends one DevTools protocol command for the test page and returns its result. */
export function cdp<T = unknown>(method: string, params: Record<string, unknown> = {}): Promise<T> {
  return executeServerCommand<T, { method: string; params: Record<string, unknown> }>('cdp', { method, params });
}

/** Resident anonymous memory of the browser's renderer processes, in bytes (Linux /proc). */
export async function rendererMemory(): Promise<number> {
  const { bytes } = await executeServerCommand<{ bytes: number; processes: number }, undefined>('renderer-memory');
  return bytes;
}
