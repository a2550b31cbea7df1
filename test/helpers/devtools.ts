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

/** What a heap snapshot of the page holds that is still reachable (it collects garbage first). */
export interface HeapSearch {
  /** For each text asked about, whether a reachable string contains it. */
  texts: boolean[];
  /** Reachable objects per class name asked about. */
  objects: Record<string, number>;
}

/**
 * Searches a heap snapshot of the page. Texts are given reversed and turned round only outside
 * the page, so the test's own copy of a text is never what is found; classes are counted by the
 * names their objects have in the snapshot.
 */
export function heapSearch(search: { reversedTexts?: string[]; classes?: string[] }): Promise<HeapSearch> {
  return executeServerCommand<HeapSearch, { reversed: string[]; classes: string[] }>('heap-contains', {
    reversed: search.reversedTexts ?? [],
    classes: search.classes ?? [],
  });
}
