import type { Browser } from 'playwright-core';
import type { BenchConfig } from '../config.ts';
import type { BenchServer } from '../server.ts';

export interface ScenarioContext {
  config: BenchConfig;
  /** The first configured protocol's multi-range server: jump, memory and footprint run against it. */
  server: BenchServer;
  /** One server per configured protocol and range mode, for the first-page runs. */
  servers: readonly BenchServer[];
  browser: Browser;
  /** Flags every browser of the bench is started with (accepting the HTTP/2 server's certificate). */
  browserArgs: readonly string[];
  log: (line: string) => void;
}

export const ELEMENT_PAGE = '/element.html';
export const PDFJS_PAGE = '/pdfjs.html';
export const FLOOR_PAGE = '/floor.html';
export const DEFINE_ONLY_PAGE = '/define-only.html';

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Each run starts with a different variant, so warm-up and drift do not favour one of them. */
export function rotate<T>(items: readonly T[], by: number): T[] {
  const shift = by % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}
