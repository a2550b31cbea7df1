// Host-backend API (API key): list and upload documents, issue viewer tokens, revoke access.
// Each route is `Request → Response`, given who sent it (the API-key check counts failures per client).
import { requireApiKey } from './api-key.ts';
import {
  DEFAULT_LIFETIME_SECONDS,
  DEFAULT_UPLOAD_PERMISSIONS,
  IssueDeferredError,
  isPermission,
  isRenderMode,
  KNOWN_PERMISSIONS,
  MAX_LIFETIME_SECONDS,
  jsonResponse,
  mediaType,
  nowSeconds,
  unknownPermissions,
  type DocumentMeta,
  type Permission,
  type ClientInfo,
} from '../../server/index.ts';
import type { BackendContext } from './context.ts';
import { HttpError, bodyBytes, jsonBody, notFound } from './http.ts';

export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;
/** Room for multipart boundaries and the title field around the file. */
const MULTIPART_OVERHEAD = 1024 * 1024;
const MAX_TITLE_LENGTH = 200;

export async function listDocuments(request: Request, client: ClientInfo, ctx: BackendContext): Promise<Response> {
  await requireApiKey(request, client, ctx, 'list');
  const documents = (await ctx.documents.list()).map((meta) => ({
    id: meta.id,
    title: meta.title,
    password_protected: meta.password_hash !== undefined,
  }));
  return jsonResponse(200, { documents });
}

function invalidUpload(message: string): HttpError {
  return new HttpError(400, 'invalid_document', message);
}

/**
 * Multipart (`file`, optional `title` and `permissions`) or a raw `application/pdf` body with
 * `?title=` and `?permissions=`. Permissions default to `read`: a document grants download,
 * print or copy only when its uploader says so.
 */
export async function uploadDocument(request: Request, client: ClientInfo, query: URLSearchParams, ctx: BackendContext): Promise<Response> {
  await requireApiKey(request, client, ctx, 'upload');
  const type = mediaType(request);
  let bytes: Uint8Array;
  let title: string | null = query.get('title');
  let permissionsText: string | null = query.get('permissions');
  let fileName: string | null = null;
  if (type === 'application/pdf') {
    bytes = await bodyBytes(request, MAX_UPLOAD_BYTES);
  } else if (type === 'multipart/form-data') {
    const body = await bodyBytes(request, MAX_UPLOAD_BYTES + MULTIPART_OVERHEAD);
    let form: FormData;
    try {
      // The Fetch API's multipart parser; the body is already bounded above.
      const bounded = new Request('http://upload.invalid/', {
        method: 'POST',
        headers: { 'content-type': request.headers.get('content-type') ?? '' },
        body: new Blob([new Uint8Array(body)]),
      });
      form = await bounded.formData();
    } catch {
      throw invalidUpload('The multipart body could not be parsed.');
    }
    const file = form.get('file');
    if (file === null || typeof file === 'string') throw invalidUpload('A PDF file is required in the "file" field.');
    if (file.size > MAX_UPLOAD_BYTES) throw new HttpError(413, 'payload_too_large', 'The file is larger than 50 MiB.');
    bytes = new Uint8Array(await file.arrayBuffer());
    fileName = 'name' in file && typeof file.name === 'string' ? file.name : null;
    const formTitle = form.get('title');
    if (typeof formTitle === 'string' && formTitle.trim() !== '') title = formTitle;
    const formPermissions = form.get('permissions');
    if (typeof formPermissions === 'string') permissionsText = formPermissions;
  } else {
    throw new HttpError(415, 'unsupported_media_type', 'Send multipart/form-data with a "file" field, or application/pdf.');
  }
  if (bytes.byteLength === 0) throw invalidUpload('The file is empty.');
  if (Buffer.from(bytes.subarray(0, 5)).toString('latin1') !== '%PDF-') throw invalidUpload('The file is not a PDF.');
  const finalTitle = (title ?? fileName?.replace(/\.pdf$/i, '') ?? 'Untitled document').trim().slice(0, MAX_TITLE_LENGTH) || 'Untitled document';
  const meta = await ctx.documents.add({ title: finalTitle, bytes, permissions: uploadPermissions(permissionsText) });
  ctx.audit(`document.upload doc=${meta.id} size=${meta.size}`);
  return jsonResponse(201, { document_id: meta.id });
}

function uploadPermissions(text: string | null): Permission[] {
  if (text === null || text.trim() === '') return [...DEFAULT_UPLOAD_PERMISSIONS];
  const requested = text.split(',').map((permission) => permission.trim());
  if (!requested.every(isPermission) || !requested.includes('read')) {
    throw invalidUpload(`permissions must be a comma-separated subset of ${KNOWN_PERMISSIONS.join(', ')} including read.`);
  }
  return KNOWN_PERMISSIONS.filter((permission) => requested.includes(permission));
}

/** Permissions a token may carry: what was asked for, limited to what the document grants. */
export function grantable(meta: DocumentMeta, requested: readonly unknown[]): Permission[] {
  return KNOWN_PERMISSIONS.filter((permission) => requested.includes(permission) && meta.permissions.includes(permission));
}

/**
 * POST /api/tokens: `{allowed_documents:[{document_id, document_permissions}], exp?, sub?, render?}` →
 * `{jwt}`. `render: "server"` makes a token that opens server-rendered pages only (no PDF bytes).
 */
export async function issueToken(request: Request, client: ClientInfo, ctx: BackendContext): Promise<Response> {
  await requireApiKey(request, client, ctx, 'tokens');
  const body = await jsonBody(request);
  const allowed = body['allowed_documents'];
  if (!Array.isArray(allowed) || allowed.length !== 1) {
    throw new HttpError(400, 'invalid_request', 'allowed_documents must list exactly one document.');
  }
  const entry = allowed[0] as Record<string, unknown> | null;
  const documentId = entry?.['document_id'];
  const requested = entry?.['document_permissions'] ?? ['read'];
  if (typeof documentId !== 'string' || !Array.isArray(requested) || !requested.every((p) => typeof p === 'string')) {
    throw new HttpError(400, 'invalid_request', 'document_id must be a string and document_permissions a list of strings.');
  }
  // A misspelt name would otherwise vanish silently and grant less than the caller believes.
  const unknown = unknownPermissions(requested as string[]);
  if (unknown.length > 0) {
    throw new HttpError(400, 'invalid_request', `Unknown permissions: ${unknown.map((name) => JSON.stringify(name.slice(0, 40))).join(', ')}. Known: ${KNOWN_PERMISSIONS.join(', ')}.`);
  }
  const meta = await ctx.resolve(documentId);
  if (!meta) throw notFound();
  const permissions = grantable(meta, requested);
  if (!permissions.includes('read')) throw new HttpError(400, 'invalid_request', 'document_permissions must include "read".');

  let lifetime = DEFAULT_LIFETIME_SECONDS;
  const exp = body['exp'];
  if (exp !== undefined) {
    if (typeof exp !== 'number' || !Number.isInteger(exp)) throw new HttpError(400, 'invalid_request', 'exp must be a Unix time in seconds.');
    lifetime = exp - nowSeconds();
    if (lifetime <= 0 || lifetime > MAX_LIFETIME_SECONDS) {
      throw new HttpError(400, 'invalid_request', 'exp must be in the future and at most 15 minutes ahead.');
    }
  }
  const sub = body['sub'];
  if (sub !== undefined && (typeof sub !== 'string' || sub.length > 256)) throw new HttpError(400, 'invalid_request', 'sub must be a short string.');

  const render = body['render'];
  if (render !== undefined && !isRenderMode(render)) throw new HttpError(400, 'invalid_request', 'render must be "server" when given.');

  const issued = await ctx.tokens.issue({ doc: documentId, permissions, sub, lifetimeSeconds: lifetime, render }).catch((error: unknown) => {
    if (!(error instanceof IssueDeferredError)) throw error;
    throw new HttpError(503, 'token_unavailable', 'A token cannot be issued for this document right now. Try again shortly.', {
      'Retry-After': String(Math.min(300, error.retryAfterSeconds)),
    });
  });
  ctx.audit(`token.issue doc=${documentId} permissions=${permissions.join(',')}${render ? ` render=${render}` : ''} expires_in=${issued.expiresIn}`);
  return jsonResponse(200, { jwt: issued.token, expires_in: issued.expiresIn });
}

/**
 * POST /api/documents/:id/revoke: every token and refresh session of the document issued so far
 * stops working, on every instance sharing the store; tokens issued afterwards work.
 */
export async function revokeDocument(request: Request, client: ClientInfo, id: string, ctx: BackendContext): Promise<Response> {
  await requireApiKey(request, client, ctx, 'revoke');
  if (!(await ctx.resolve(id))) throw notFound();
  // Sessions first: a refresh that reads the new revocation time must find its session dead, and
  // one that read the old time is refused when it issues (TokenService.issue, authorizedAt).
  await ctx.refreshFamilies.revokeDocument(id);
  await ctx.tokens.revokeDocument(id);
  ctx.audit(`document.revoke doc=${id}`);
  return jsonResponse(200, { revoked: true });
}

/**
 * POST /api/tokens/revoke `{jti, exp?}`: one token is refused from now on, for as long as any
 * token can live (by this server's clock; `exp` is accepted for compatibility and not trusted).
 */
export async function revokeToken(request: Request, client: ClientInfo, ctx: BackendContext): Promise<Response> {
  await requireApiKey(request, client, ctx, 'revoke');
  const body = await jsonBody(request);
  const jti = body['jti'];
  const exp = body['exp'];
  if (typeof jti !== 'string' || jti.length === 0 || jti.length > 128 || (exp !== undefined && (typeof exp !== 'number' || !Number.isInteger(exp)))) {
    throw new HttpError(400, 'invalid_request', 'jti must be a token id, and exp (optional) its expiry in Unix seconds.');
  }
  await ctx.tokens.revokeToken(jti);
  ctx.audit(`token.revoke jti=${jti}`);
  return jsonResponse(200, { revoked: true });
}
