// Web-standard replies shared by the handlers: JSON errors without internals, and the headers
// every reply carries (private data: never cached, never sniffed, never referred).
import { Readable } from 'node:stream';

/**
 * A new object holding the security headers, to add a reply's own to. Written as a literal: copying
 * an object of such names with a spread costs V8 some microseconds, more than the rest of deciding
 * a range answer.
 */
export function securityHeaders(): Record<string, string> {
  return {
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Resource-Policy': 'cross-origin',
  };
}

export const SECURITY_HEADERS: Readonly<Record<string, string>> = securityHeaders();

/** A JSON reply with the security headers. */
export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  const text = JSON.stringify(body);
  return new Response(text, {
    status,
    headers: { ...SECURITY_HEADERS, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(Buffer.byteLength(text)), ...headers },
  });
}

/** `{"error": {"code", "message"}}`; messages are fixed texts, never request data or internals. */
export function errorResponse(status: number, code: string, message: string, headers: Record<string, string> = {}): Response {
  return jsonResponse(status, { error: { code, message } }, headers);
}

/** The one 404: unknown ids and documents a token does not cover look the same. */
export function notFoundResponse(): Response {
  return errorResponse(404, 'not_found', 'Not found.');
}

const nodeBodies = new WeakMap<Response, Readable>();

/**
 * A reply whose body is a Node stream. The Node adapter pipes that stream directly instead of
 * going through a web stream; other runtimes read `response.body` as usual.
 */
export function nodeStreamResponse(stream: Readable, init: ResponseInit): Response {
  // The web stream is made only when someone reads it (high-water mark 0: no read ahead), so
  // the Node adapter can pipe the Node stream itself without losing a chunk to the web side.
  let reader: ReadableStreamDefaultReader<Uint8Array> | null = null;
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        reader ??= (Readable.toWeb(stream) as ReadableStream<Uint8Array>).getReader();
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      },
      cancel() {
        stream.destroy();
      },
    },
    { highWaterMark: 0 },
  );
  const response = new Response(body, init);
  nodeBodies.set(response, stream);
  return response;
}

/** The Node stream behind a reply made by {@link nodeStreamResponse}, if any. */
export function nodeStreamOf(response: Response): Readable | undefined {
  return nodeBodies.get(response);
}
