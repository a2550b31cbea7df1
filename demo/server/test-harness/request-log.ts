// Request logs of test scenarios: one entry per request to a scenario's document, recorded by
// wrapping that one response, so tests can check what the viewer asked for and what it got.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { bearerCredential, unverifiedJti } from '../../../server/index.ts';
import type { LoggedRequest } from './test-switch-types.ts';

/** Query parameters whose values never reach a log. */
const SECRET_PARAMS = /^(password|token|access_token|jwt|api_key|key)$/i;

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function redactQuery(query: string): string {
  if (query === '') return '';
  return query
    .split('&')
    .map((pair) => {
      const name = pair.split('=')[0] ?? '';
      return SECRET_PARAMS.test(decodeURIComponentSafe(name)) ? `${name}=[redacted]` : pair;
    })
    .join('&');
}

/** Counts body bytes actually handed to the socket. */
function countBodyBytes(res: ServerResponse, onBytes: (n: number) => void): void {
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  const measure = (chunk: unknown): void => {
    if (typeof chunk === 'string') onBytes(Buffer.byteLength(chunk));
    else if (chunk instanceof Uint8Array) onBytes(chunk.byteLength);
  };
  res.write = ((...args: unknown[]) => {
    measure(args[0]);
    return write(...args);
  }) as ServerResponse['write'];
  res.end = ((...args: unknown[]) => {
    if (typeof args[0] !== 'function') measure(args[0]);
    return end(...args);
  }) as ServerResponse['end'];
}

/** Adds an entry for this request to `log` and keeps its status and byte count current. */
export function logRequest(req: IncomingMessage, res: ServerResponse, log: LoggedRequest[]): void {
  const rawUrl = req.url ?? '/';
  const queryIndex = rawUrl.indexOf('?');
  const authorization = req.headers.authorization ?? null;
  const token = bearerCredential(authorization);
  const entry: LoggedRequest = {
    method: req.method ?? 'GET',
    path: queryIndex < 0 ? rawUrl : rawUrl.slice(0, queryIndex),
    query: redactQuery(queryIndex < 0 ? '' : rawUrl.slice(queryIndex + 1)),
    range: req.headers.range ?? null,
    status: 0,
    bytes: 0,
    auth: token ? 'bearer' : authorization ? 'other' : 'none',
    jti: token ? unverifiedJti(token) : null,
    origin: req.headers.origin ?? null,
    at: Date.now(),
  };
  log.push(entry);
  countBodyBytes(res, (n) => {
    entry.bytes += n;
  });
  // Recorded when the headers go out, so a client that already has the response sees it logged.
  const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
  res.writeHead = ((...args: unknown[]) => {
    const result = writeHead(...args);
    entry.status = res.statusCode;
    return result;
  }) as typeof res.writeHead;
  const settle = (): void => {
    entry.status = res.headersSent ? res.statusCode : 0;
    if (req.method === 'HEAD') entry.bytes = 0;
  };
  res.on('finish', settle);
  res.on('close', settle);
}
