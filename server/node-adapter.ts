// Runs the web-standard handlers in Node's `http` server: an IncomingMessage becomes a Request,
// a Response is written to the ServerResponse with backpressure, and a body that is a Node
// stream is piped as one.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { nodeStreamOf } from './web/responses.ts';

/**
 * Request URLs get a fixed origin: handlers only read the path and query, and nothing should
 * come to rely on a Host header the client chose.
 */
const BASE = 'http://secure-viewer.invalid';

/** The next chunk of a paused Node stream, or null at its end. */
async function nextChunk(req: IncomingMessage): Promise<Buffer | null> {
  for (;;) {
    const chunk = req.read() as Buffer | null;
    if (chunk !== null) return chunk;
    if (req.readableEnded || req.destroyed) return null;
    await new Promise<void>((resolve, reject) => {
      const settle = (error?: Error): void => {
        req.off('readable', ready);
        req.off('end', ready);
        req.off('error', settle);
        if (error) reject(error);
        else resolve();
      };
      const ready = (): void => settle();
      req.on('readable', ready);
      req.on('end', ready);
      req.on('error', settle);
    });
  }
}

/**
 * The request body as a web stream that reads only when pulled. A handler that stops early
 * (a body over its limit) leaves the rest to {@link sendWebResponse}, which discards it, so the
 * client gets its answer instead of a reset connection.
 */
function requestBody(req: IncomingMessage): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const chunk = await nextChunk(req);
        if (chunk === null) controller.close();
        else controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      },
    },
    { highWaterMark: 0 },
  );
}

/** Reads and drops what is left of a request body. */
function discardRest(req: IncomingMessage): void {
  if (req.readableEnded || req.destroyed) return;
  req.removeAllListeners('readable');
  req.resume();
}

/** The IncomingMessage as a web Request (the body is streamed, not buffered). */
export function toWebRequest(req: IncomingMessage): Request {
  const headers = new Headers();
  for (let index = 0; index + 1 < req.rawHeaders.length; index += 2) headers.append(req.rawHeaders[index]!, req.rawHeaders[index + 1]!);
  const method = req.method ?? 'GET';
  const hasBody = method !== 'GET' && method !== 'HEAD';
  const init: RequestInit & { duplex?: 'half' } = { method, headers };
  if (hasBody) {
    init.body = requestBody(req);
    init.duplex = 'half';
  }
  return new Request(new URL(req.url ?? '/', BASE), init);
}

/**
 * Writes a web Response to a ServerResponse; headers already set on `res` are kept. Whatever
 * the handler left unread of the request body is discarded.
 */
export async function sendWebResponse(res: ServerResponse, response: Response): Promise<void> {
  discardRest(res.req);
  res.statusCode = response.status;
  for (const [name, value] of response.headers) {
    if (name !== 'set-cookie') res.setHeader(name, value);
  }
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) res.setHeader('Set-Cookie', cookies);
  const nodeBody = nodeStreamOf(response);
  if (nodeBody) {
    await pipeline(nodeBody, res).catch(() => res.destroy());
    return;
  }
  if (!response.body) {
    res.end();
    return;
  }
  await pipeline(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), res).catch(() => res.destroy());
}

/** A Node `http` request listener for a `Request → Response` handler. */
export function toNodeListener(handler: (request: Request, req: IncomingMessage) => Promise<Response>): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handler(toWebRequest(req), req)
      .then((response) => sendWebResponse(res, response))
      .catch(() => {
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json' }).end('{"error":{"code":"internal_error","message":"Internal server error."}}');
        else res.destroy();
      });
  };
}
