// Small HTTP helpers shared by every route: JSON replies, bounded body reading, common headers.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { bearerCredential } from '../../server/index.ts';

/** A failure that maps to one JSON error reply; never carries internals or secrets. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const JSON_BODY_LIMIT = 16 * 1024;

/** Headers every response carries: private data, never cached, never sniffed, never referred. */
export function setSecurityHeaders(res: ServerResponse): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const text = JSON.stringify(body);
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

export function sendError(res: ServerResponse, error: HttpError): void {
  sendJson(res, error.status, { error: { code: error.code, message: error.message } }, error.headers);
}

/**
 * The one "not found": unknown routes, unknown documents and documents a token does not cover
 * all get this same reply, so it reveals nothing about what exists.
 */
export function notFound(): HttpError {
  return new HttpError(404, 'not_found', 'Not found.');
}

/** Reads the whole body, refusing more than `limit` bytes with 413 (and stopping the upload). */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    throw new HttpError(413, 'payload_too_large', 'Request body is too large.');
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > limit) {
      req.resume();
      throw new HttpError(413, 'payload_too_large', 'Request body is too large.');
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}

export function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

/** Parses a JSON object body; requires `Content-Type: application/json` (forces a CORS preflight). */
export async function readJsonObject(req: IncomingMessage, options: { allowEmpty?: boolean } = {}): Promise<Record<string, unknown>> {
  const type = mediaType(req);
  const body = await readBody(req, JSON_BODY_LIMIT);
  if (body.length === 0 && options.allowEmpty && (type === '' || type === 'application/json')) return {};
  if (type !== 'application/json') {
    throw new HttpError(415, 'unsupported_media_type', 'Content-Type must be application/json.');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new HttpError(400, 'invalid_json', 'Body is not valid JSON.');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new HttpError(400, 'invalid_json', 'Body must be a JSON object.');
  }
  return parsed as Record<string, unknown>;
}

export function headerValue(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  if (value === undefined) return null;
  return Array.isArray(value) ? (value[0] ?? null) : value;
}

/** The Bearer credential, or null: the library's one reading of the header. */
export function bearerToken(req: IncomingMessage): string | null {
  return bearerCredential(headerValue(req, 'authorization'));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
