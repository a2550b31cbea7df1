// What the backend's routes share beyond the library's web toolkit: a failure that maps to one
// JSON error reply (the library's), and request bodies read through the library's bounded
// readers with their failures thrown as such.
import { errorResponse, readBytes, readJsonObject } from '../../server/index.ts';

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

  /** The error reply, with the library's security headers. */
  response(): Response {
    return errorResponse(this.status, this.code, this.message, this.headers);
  }
}

export const JSON_BODY_LIMIT = 16 * 1024;

/**
 * The one "not found": unknown routes, unknown documents and documents a token does not cover
 * all get this same reply, so it reveals nothing about what exists.
 */
export function notFound(): HttpError {
  return new HttpError(404, 'not_found', 'Not found.');
}

/** A JSON object body; requires `Content-Type: application/json` (forces a CORS preflight). */
export async function jsonBody(request: Request, options: { allowEmpty?: boolean } = {}): Promise<Record<string, unknown>> {
  const body = await readJsonObject(request, JSON_BODY_LIMIT, options);
  if (!body.ok) throw new HttpError(body.status, body.code, body.message);
  return body.value;
}

/** The whole body, refusing more than `limit` bytes with 413. */
export async function bodyBytes(request: Request, limit: number): Promise<Uint8Array> {
  const body = await readBytes(request, limit);
  if (!body.ok) throw new HttpError(body.status, body.code, body.message);
  return body.bytes;
}
