// GET/HEAD of a test scenario's content, with the scenario's faults: the same token check on
// every request (scope, permission, revocation) and the same byte ranges as the library's
// document handler, then whatever the faults change (status, hangs, truncation, lies, resets).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { contentDisposition } from '../../../server/content-disposition.ts';
import type { DocumentStore } from '../../../server/document-store.ts';
import { closingDelimiter, decideRanges, DEFAULT_RANGE_LIMITS, multipartLength, newBoundary, partHead, type ByteSpan } from '../../../server/byte-ranges.ts';
import { contentRange } from '../../../server/range.ts';
import { InvalidTokenError, type TokenService } from '../../../server/token-service.ts';
import { HttpError, bearerToken, headerValue, notFound, sendJson, sleep } from '../http.ts';
import type { Faults } from './faults.ts';
import { writeFileRange } from './shaped-body.ts';
import type { Scenario } from './scenarios.ts';

export interface FaultContentDependencies {
  tokens: TokenService;
  documents: DocumentStore;
  audit(line: string): void;
  /** Responses that must never be answered (hang fault); closed on shutdown. */
  hung: Set<ServerResponse>;
}

function invalidToken(): HttpError {
  return new HttpError(401, 'invalid_token', 'The access token is missing, invalid or expired.', {
    'WWW-Authenticate': 'Bearer error="invalid_token"',
  });
}

export async function serveFaultyContent(req: IncomingMessage, res: ServerResponse, scenario: Scenario, deps: FaultContentDependencies): Promise<void> {
  const { id } = scenario;
  const rawUrl = req.url ?? '';
  const queryIndex = rawUrl.indexOf('?');
  const query = new URLSearchParams(queryIndex < 0 ? '' : rawUrl.slice(queryIndex + 1));
  const meta = await deps.documents.get(scenario.documentId);
  const faults: Faults = scenario.faults;
  scenario.seen++;

  if (faults.latency) await sleep(faults.latency);
  if (faults.hang && scenario.served >= (faults.after ?? 0)) {
    deps.hung.add(res);
    res.on('close', () => deps.hung.delete(res));
    return;
  }

  const token = bearerToken(req);
  if (!token) throw invalidToken();
  let claims;
  try {
    claims = await deps.tokens.verify(token);
  } catch (error) {
    if (error instanceof InvalidTokenError) {
      deps.audit(`auth.failure route=content doc=${id} reason=${error.message}`);
      throw invalidToken();
    }
    throw error;
  }
  if (!meta || claims.doc !== id) {
    deps.audit(`auth.failure route=content doc=${id} reason=document-mismatch`);
    // The same reply whether the document is unknown or the token is for another one.
    throw notFound();
  }
  const attachment = query.get('disposition') === 'attachment';
  const needed = attachment ? 'download' : 'read';
  if (!claims.permissions.includes('read') || !claims.permissions.includes(needed)) {
    throw new HttpError(403, 'insufficient_scope', 'The access token does not allow this.', {
      'WWW-Authenticate': `Bearer error="insufficient_scope", scope="${needed}"`,
    });
  }

  if (faults.status !== undefined && scenario.served >= (faults.after ?? 0)) {
    const headers: Record<string, string> = {};
    if (faults.retryAfter !== undefined) headers['Retry-After'] = String(faults.retryAfter);
    if (faults.status === 401) headers['WWW-Authenticate'] = 'Bearer error="invalid_token"';
    sendJson(res, faults.status, { error: { code: 'injected_fault', message: 'Injected failure.' } }, headers);
    return;
  }
  if (faults.redirectTo) {
    res.writeHead(302, { Location: faults.redirectTo, 'Content-Length': '0' }).end();
    return;
  }
  if (faults.html) {
    const page = '<!doctype html><html><body>Login</body></html>';
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': String(Buffer.byteLength(page)) });
    res.end(req.method === 'HEAD' ? undefined : page);
    return;
  }

  const filePath = await deps.documents.containedFile(meta);
  if (filePath === null) {
    deps.audit(`content.refused doc=${id} reason=outside-storage`);
    throw notFound();
  }
  const size = faults.truncateTo !== undefined ? Math.min(faults.truncateTo, meta.size) : meta.size;
  let etag = meta.etag;
  if (faults.truncateTo !== undefined) etag = `${etag.slice(0, -1)}-t${size}"`;
  if (faults.etagChangeAfter !== undefined && scenario.seen > faults.etagChangeAfter) etag = `${etag.slice(0, -1)}-changed"`;

  let decision = faults.ignoreRange
    ? ({ kind: 'full' } as const)
    : decideRanges(headerValue(req, 'range'), headerValue(req, 'if-range'), size, etag, {
        ...DEFAULT_RANGE_LIMITS,
        maxRanges: faults.maxRanges ?? DEFAULT_RANGE_LIMITS.maxRanges,
      });
  if (decision.kind === 'partial' && decision.ranges.length > 1 && faults.multiRange === 'ignore') decision = { kind: 'full' };
  if (decision.kind === 'partial' && decision.ranges.length > 1 && faults.multiRange === 'merge') {
    decision = { kind: 'partial', ranges: [{ start: decision.ranges[0]!.start, end: decision.ranges.at(-1)!.end }] };
  }

  res.setHeader('Accept-Ranges', 'bytes');
  res.setHeader('ETag', etag);
  if (decision.kind === 'unsatisfiable') {
    res.setHeader('Content-Range', `bytes */${size}`);
    sendJson(res, 416, { error: { code: 'range_not_satisfiable', message: 'Range not satisfiable.' } });
    return;
  }

  scenario.served++;
  if (faults.unauthorizedAfter !== undefined && !scenario.unauthorizedTriggered && scenario.served >= faults.unauthorizedAfter) {
    // The tokens in use "expire" now; tokens minted from here on work.
    scenario.unauthorizedTriggered = true;
    await deps.tokens.revokeDocument(scenario.id);
  }

  res.setHeader('Content-Disposition', contentDisposition(attachment ? 'attachment' : 'inline', meta.title));
  // lie: any answer to several ranges comes as parts, each announcing the wrong bytes.
  const lying = faults.multiRange === 'lie' && (headerValue(req, 'range') ?? '').includes(',');
  if (decision.kind === 'partial' && (decision.ranges.length > 1 || lying)) {
    await writeParts(req, res, filePath, decision.ranges, size, faults, scenario);
    return;
  }
  const single = decision.kind === 'partial' ? decision.ranges[0]! : null;
  const start = single ? single.start : 0;
  const end = single ? single.end : size - 1;
  const length = size === 0 ? 0 : end - start + 1;
  res.statusCode = single ? 206 : 200;
  res.setHeader('Content-Type', 'application/pdf');
  res.setHeader('Content-Length', String(length));
  if (single) {
    // badContentRange: announce a range shifted by one byte, the body is still the requested one.
    const announced = faults.badContentRange ? contentRange(start + 1, end + 1, size + 1) : contentRange(start, end, size);
    res.setHeader('Content-Range', announced);
  }
  if (req.method === 'HEAD' || length === 0) {
    res.end();
    return;
  }
  await writeFileRange(res, filePath, start, end, { limiter: scenario.limiter, resetAfterBytes: faults.resetAfterBytes });
}

/** A `206 multipart/byteranges` answer, shaped like single ranges (bandwidth, resets, lies). */
async function writeParts(
  req: IncomingMessage,
  res: ServerResponse,
  filePath: string,
  spans: readonly ByteSpan[],
  size: number,
  faults: Faults,
  scenario: Scenario,
): Promise<void> {
  const boundary = newBoundary();
  // lie: every part announces the range one byte later than the bytes it carries.
  const announced = (span: ByteSpan): ByteSpan => (faults.multiRange === 'lie' ? { start: span.start + 1, end: span.end + 1 } : span);
  res.statusCode = 206;
  res.setHeader('Content-Type', `multipart/byteranges; boundary=${boundary}`);
  res.setHeader('Content-Length', String(multipartLength(boundary, 'application/pdf', spans, size)));
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  // resetAfterBytes counts the bytes of the whole answer's parts, as for a single range.
  let sent = 0;
  for (const [index, span] of spans.entries()) {
    if (res.destroyed) return;
    res.write((index === 0 ? '' : '\r\n') + partHead(boundary, 'application/pdf', announced(span), size));
    const resetAfterBytes = faults.resetAfterBytes === undefined ? undefined : Math.max(0, faults.resetAfterBytes - sent);
    await writeFileRange(res, filePath, span.start, span.end, { limiter: scenario.limiter, resetAfterBytes, more: true });
    sent += span.end - span.start + 1;
  }
  if (!res.destroyed) res.end(closingDelimiter(boundary));
}
