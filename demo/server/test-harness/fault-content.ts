// GET/HEAD of a test scenario's content, with the scenario's faults: the library's own decision
// (document-reply.ts: the same token check, ranges and headers as the document handler), with the
// faults put around it: before it (latency, hangs), between its steps (injected statuses, a
// shortened file or a changing ETag, ranges ignored or merged) and in the body writer
// (bandwidth, resets, parts that lie about their bytes).
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  authorizeDocumentRequest,
  contentRange,
  decideDocumentBytes,
  DEFAULT_RANGE_LIMITS,
  DEFAULT_STREAM_LIMITS,
  errorReply,
  sendDocumentReply,
  type ByteSpan,
  type DocumentRequest,
  type DocumentStore,
  type RangesDecision,
  type ServedDocument,
  type TokenService,
} from '../../../server/index.ts';
import type { Faults } from './faults.ts';
import { shapedWriter } from './shaped-body.ts';
import type { Scenario } from './scenarios.ts';

export interface FaultContentDependencies {
  tokens: TokenService;
  documents: DocumentStore;
  audit(line: string): void;
  /** Responses that must never be answered (hang fault); closed on shutdown. */
  hung: Set<ServerResponse>;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The scenario's document as served: its file, shortened and with its ETag changed as the faults say. */
async function scenarioDocument(scenario: Scenario, deps: FaultContentDependencies): Promise<ServedDocument | null> {
  const meta = await deps.documents.get(scenario.documentId);
  if (!meta) return null;
  const file = await deps.documents.containedFile(meta);
  if (file === null) {
    deps.audit(`content.refused doc=${scenario.id} reason=outside-storage`);
    return null;
  }
  const { faults } = scenario;
  const size = faults.truncateTo !== undefined ? Math.min(faults.truncateTo, meta.size) : meta.size;
  let etag = meta.etag;
  if (faults.truncateTo !== undefined) etag = `${etag.slice(0, -1)}-t${size}"`;
  if (faults.etagChangeAfter !== undefined && scenario.seen > faults.etagChangeAfter) etag = `${etag.slice(0, -1)}-changed"`;
  return { title: meta.title, size, etag, source: file };
}

/** multiRange ignore: several ranges get the whole; merge: one range from the first to the last. */
function adjustRanges(faults: Faults): ((decision: RangesDecision) => RangesDecision) | undefined {
  if (faults.multiRange !== 'ignore' && faults.multiRange !== 'merge') return undefined;
  return (decision) => {
    if (decision.kind !== 'partial' || decision.ranges.length < 2) return decision;
    if (faults.multiRange === 'ignore') return { kind: 'full' };
    return { kind: 'partial', ranges: [{ start: decision.ranges[0]!.start, end: decision.ranges.at(-1)!.end }] };
  };
}

export async function serveFaultyContent(req: IncomingMessage, res: ServerResponse, scenario: Scenario, deps: FaultContentDependencies): Promise<void> {
  const faults: Faults = scenario.faults;
  scenario.seen++;

  if (faults.latency) await sleep(faults.latency);
  if (faults.hang && scenario.served >= (faults.after ?? 0)) {
    deps.hung.add(res);
    res.on('close', () => deps.hung.delete(res));
    return;
  }

  const rawUrl = req.url ?? '';
  const queryIndex = rawUrl.indexOf('?');
  const header = (name: string): string | null => {
    const value = req.headers[name];
    return typeof value === 'string' ? value : null;
  };
  const request: DocumentRequest = { method: req.method ?? 'GET', query: queryIndex < 0 ? '' : rawUrl.slice(queryIndex + 1), header };
  const access = await authorizeDocumentRequest(
    { tokens: deps.tokens, audit: deps.audit, documents: (id) => (id === scenario.id ? scenarioDocument(scenario, deps) : Promise.resolve(null)) },
    request,
    scenario.id,
  );
  if (access.kind === 'refused') {
    // The older revocation switches stand for tokens that expired: their 401 does not say revoked
    // unless the scenario's session was revoked (the revoke-session switch).
    if (!scenario.sessionRevoked && access.reply.status === 401) access.reply.headers['WWW-Authenticate'] = 'Bearer error="invalid_token"';
    return sendDocumentReply(res, access.reply, async () => {});
  }

  if (faults.status !== undefined && scenario.served >= (faults.after ?? 0)) {
    const headers: Record<string, string> = {};
    if (faults.retryAfter !== undefined) headers['Retry-After'] = String(faults.retryAfter);
    if (faults.status === 401) headers['WWW-Authenticate'] = 'Bearer error="invalid_token"';
    return sendDocumentReply(res, errorReply(faults.status, 'injected_fault', 'Injected failure.', headers), async () => {});
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

  // lie: any answer to several ranges comes as parts, each announcing the range one byte later
  // than the bytes it carries.
  const lying = faults.multiRange === 'lie' && (header('range') ?? '').includes(',');
  const adjust = adjustRanges(faults);
  const reply = decideDocumentBytes(
    { method: request.method, header: (name) => (name === 'range' && faults.ignoreRange ? null : header(name)) },
    access.document,
    {
      attachment: access.attachment,
      limits: { ...DEFAULT_RANGE_LIMITS, maxRanges: faults.maxRanges ?? DEFAULT_RANGE_LIMITS.maxRanges },
      ...(adjust ? { adjustRanges: adjust } : {}),
      alwaysMultipart: lying,
    },
  );
  if (reply.status !== 416) {
    scenario.served++;
    if (faults.unauthorizedAfter !== undefined && !scenario.unauthorizedTriggered && scenario.served >= faults.unauthorizedAfter) {
      // The tokens in use "expire" now; tokens minted from here on work.
      scenario.unauthorizedTriggered = true;
      await deps.tokens.revokeDocument(scenario.id);
    }
  }
  if (faults.badContentRange && reply.headers['Content-Range'] !== undefined && !reply.headers['Content-Range'].startsWith('bytes */')) {
    // Announce a range shifted by one byte; the body is still the requested one.
    const [start, end] = /^bytes (\d+)-(\d+)\//.exec(reply.headers['Content-Range'])!.slice(1).map(Number) as [number, number];
    reply.headers['Content-Range'] = contentRange(start + 1, end + 1, access.document.size + 1);
  }
  const announce = lying ? (span: ByteSpan): ByteSpan => ({ start: span.start + 1, end: span.end + 1 }) : undefined;
  await sendDocumentReply(
    res,
    reply,
    shapedWriter({ limiter: scenario.limiter, resetAfterBytes: faults.resetAfterBytes, announce }, DEFAULT_STREAM_LIMITS.idleTimeoutMs),
  );
}
