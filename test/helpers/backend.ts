// Talks to the reference backend's test switches (started by web-test-runner.config.mjs).
// Faults are produced by the real server; nothing here stubs fetch.
// The wire types come from the backend itself, so a new fault or log field cannot drift apart.
import type { Faults, LoggedRequest, MintOptions } from '../../demo/server/test-harness/test-switch-types.ts';
import { mintThroughTestSwitches } from '../../shared/test-switch-mint.ts';

export type { Faults, LoggedRequest, MintOptions };

declare global {
  interface Window {
    __SV_TEST__: { backend: string };
  }
}

export const backendUrl: string = window.__SV_TEST__.backend;

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${backendUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? null : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path} → ${response.status}`);
  return (await response.json()) as T;
}

/** A private alias of a sample document, served through the fault injector. */
export async function createScenario(document: string, faults: Faults = {}): Promise<string> {
  const { id } = await call<{ id: string }>('POST', '/__test/scenarios', { document, faults });
  return id;
}

export function setFaults(id: string, faults: Faults): Promise<unknown> {
  return call('PATCH', `/__test/scenarios/${id}`, { faults });
}

export async function requestLog(id: string): Promise<{ requests: LoggedRequest[]; bytes: number }> {
  return call('GET', `/__test/scenarios/${id}/log`);
}

/**
 * The request log once every request in it has its answer's status (or `timeout` ms passed): a
 * read the viewer started just before the test looks would otherwise show status 0.
 */
export async function answeredRequestLog(id: string, timeout = 5_000): Promise<{ requests: LoggedRequest[]; bytes: number }> {
  const until = Date.now() + timeout;
  for (;;) {
    const log = await requestLog(id);
    if (log.requests.every((r) => r.status !== 0) || Date.now() > until) return log;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Every token issued so far for the scenario is refused from now on. */
export function revokeTokens(id: string): Promise<unknown> {
  return call('POST', `/__test/scenarios/${id}/revoke`);
}

/** The server revokes the reader's session: tokens issued so far get a 401 that says `revoked`. */
export function revokeSession(id: string): Promise<unknown> {
  return call('POST', `/__test/scenarios/${id}/revoke-session`);
}


/** Minting waits and tries again on a 503 with Retry-After (a revocation that lands in the same second). */
export function mintToken(document: string, options: MintOptions = {}): Promise<string> {
  return mintThroughTestSwitches(backendUrl, { document, ...options });
}

export async function sampleDocuments(): Promise<Array<{ id: string; size: number; pages: number }>> {
  const { documents } = await call<{ documents: Array<{ id: string; size: number; pages: number }> }>('GET', '/__test/documents');
  return documents;
}

export function contentUrl(document: string): string {
  return `${backendUrl}/api/documents/${document}/content`;
}

/** Content requests only (preflights excluded). */
export function contentRequests(log: { requests: LoggedRequest[] }): LoggedRequest[] {
  return log.requests.filter((r) => r.method !== 'OPTIONS');
}
