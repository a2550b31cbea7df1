// Reading what a handler needs from a request: the bearer credential, cookies, and a JSON body
// read with a byte limit (the stream is cancelled at the limit, not buffered whole).

/** The one reading of `Authorization: Bearer <credential>` on the host side: the credential, or null. */
export function bearerCredential(header: string | null | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer[ ]+(\S+)[ ]*$/i.exec(header);
  return match ? match[1]! : null;
}

export function cookie(request: Request, name: string): string | null {
  for (const part of (request.headers.get('cookie') ?? '').split(';')) {
    const index = part.indexOf('=');
    if (index > 0 && part.slice(0, index).trim() === name) return part.slice(index + 1).trim();
  }
  return null;
}

export function mediaType(request: Request): string {
  return (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
}

const TOO_LARGE = { ok: false, status: 413, code: 'payload_too_large', message: 'Request body is too large.' } as const;

export type BodyBytes = { ok: true; bytes: Uint8Array } | typeof TOO_LARGE;

/** Reads a body of at most `limit` bytes; past the limit the stream is cancelled (413). */
export async function readBytes(request: Request, limit: number): Promise<BodyBytes> {
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > limit) return TOO_LARGE;
  const chunks: Uint8Array[] = [];
  let total = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > limit) {
        await reader.cancel().catch(() => {});
        return TOO_LARGE;
      }
      chunks.push(value);
    }
  }
  return { ok: true, bytes: Buffer.concat(chunks, total) };
}

export type JsonBody =
  | { ok: true; value: Record<string, unknown> }
  | { ok: false; status: 400 | 413 | 415; code: string; message: string };

/** Reads a JSON object body of at most `limit` bytes; `allowEmpty` accepts no body as `{}`. */
export async function readJsonObject(request: Request, limit: number, options: { allowEmpty?: boolean } = {}): Promise<JsonBody> {
  const type = mediaType(request);
  const body = await readBytes(request, limit);
  if (!body.ok) return body;
  if (body.bytes.byteLength === 0 && options.allowEmpty && (type === '' || type === 'application/json')) return { ok: true, value: {} };
  if (type !== 'application/json') return { ok: false, status: 415, code: 'unsupported_media_type', message: 'Content-Type must be application/json.' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body.bytes).toString('utf8'));
  } catch {
    return { ok: false, status: 400, code: 'invalid_json', message: 'Body is not valid JSON.' };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { ok: false, status: 400, code: 'invalid_json', message: 'Body must be a JSON object.' };
  }
  return { ok: true, value: parsed as Record<string, unknown> };
}
