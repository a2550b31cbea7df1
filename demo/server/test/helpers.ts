// Shared setup for the backend tests: a fresh data folder and backend per test file.
import { request } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startBackend, type BackendOptions, type RunningBackend } from '../app.ts';
import { mintThroughTestSwitches } from '../../../shared/test-switch-mint.ts';

export const TEST_ORIGIN = 'http://localhost:8765';

export interface TestBackend {
  backend: RunningBackend;
  url: string;
  apiKey: string;
  dataDir: string;
  /** Every line the backend logged. */
  logs: string[];
  close(): Promise<void>;
}

export async function startTestBackend(
  options: Partial<BackendOptions> = {},
  /** Runs on the empty data folder before the backend opens it (extra documents, symlinks). */
  prepare?: (dataDir: string) => Promise<void>,
): Promise<TestBackend> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'sv-server-test-'));
  await prepare?.(dataDir);
  const logs: string[] = [];
  const backend = await startBackend({
    port: 0,
    dataDir,
    testSwitches: true,
    allowedOrigins: [TEST_ORIGIN],
    scryptCost: 2 ** 14,
    log: (line) => logs.push(line),
    ...options,
  });
  return {
    backend,
    url: backend.url,
    apiKey: backend.apiKey,
    dataDir,
    logs,
    async close() {
      await backend.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export async function json<T = Record<string, unknown>>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

/** Mints through the test switches (a 503 with Retry-After is waited out and tried again). */
export function mint(url: string, document: string, options: { permissions?: string[]; ttl?: number; render?: 'server' } = {}): Promise<string> {
  return mintThroughTestSwitches(url, { document, ...options });
}

export function content(url: string, id: string, token: string | null, headers: Record<string, string> = {}, query = ''): Promise<Response> {
  return fetch(`${url}/api/documents/${id}/content${query}`, {
    headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...headers },
  });
}

/** A raw request whose path is sent byte for byte (fetch would normalise `..`). */
export function rawRequest(
  url: string,
  rawPath: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path: rawPath, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * A request from a chosen loopback source address (127.0.0.x), so throttling tests can act as
 * separate clients; fetch cannot pick its source address.
 */
export function requestFrom(
  url: string,
  localAddress: string,
  method: string,
  rawPath: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path: rawPath, method, headers, localAddress, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function b64url(value: unknown): string {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
}

export function decodePart(token: string, index: 0 | 1): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[index]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}
