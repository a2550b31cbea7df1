// GET /api/documents/:id/audit (API key, scope `list`): what each token was served of a document
// (pages whose content left, byte spans, bytes, first and last time) and the reader events the
// element sent. `?jti=` narrows both to one token; `?limit=` caps each list (newest first, at most
// 1000).
import { jsonResponse, type AccountabilityQuery, type ClientInfo } from '../../server/index.ts';
import { requireApiKey } from './api-key.ts';
import type { BackendContext } from './context.ts';
import { HttpError, notFound } from './http.ts';

export async function documentAudit(request: Request, client: ClientInfo, id: string, query: URLSearchParams, ctx: BackendContext): Promise<Response> {
  await requireApiKey(request, client, ctx, 'list');
  if (!(await ctx.resolve(id))) throw notFound();
  return jsonResponse(200, await auditOf(id, query, ctx));
}

/** The audit of document (or test scenario) `id`, for the route above and the test switches. */
export async function auditOf(id: string, query: URLSearchParams, ctx: BackendContext): Promise<object> {
  const filter: AccountabilityQuery = { doc: id };
  const jti = query.get('jti');
  if (jti !== null) filter.tokenId = jti;
  const limit = query.get('limit');
  if (limit !== null) {
    if (!/^\d{1,4}$/.test(limit) || Number(limit) < 1) throw new HttpError(400, 'invalid_request', 'limit must be a number from 1 to 1000.');
    filter.limit = Number(limit);
  }
  const [served, events] = await Promise.all([ctx.accountability.served(filter), ctx.accountability.readerEvents(filter)]);
  return { served, events };
}
