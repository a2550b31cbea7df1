// secure-viewer/server: the host side of <secure-viewer> for Node ≥ 20 and fetch-based runtimes.
// Token issuing and verification, a document handler over a pluggable byte source, password
// exchange with throttling, refresh rotation with reuse detection, server-side page rendering and
// stamped downloads, and shared state in a store (in-process, or Redis for several instances).
// Never imported by the browser entry.

export {
  createSecureViewerServer,
  type Accountability,
  type HostedDocument,
  type SecureViewerServer,
  type SecureViewerServerOptions,
} from './secure-viewer-server.ts';
export {
  createDocumentHandler,
  type DocumentHandler,
  type DocumentHandlerOptions,
  type ServedDocument,
  type ServedRanges,
} from './handlers/document-handler.ts';
export {
  createAnalyticsHandler,
  ANALYTICS_RATE,
  MAX_ANALYTICS_BATCH,
  MAX_ANALYTICS_BODY_BYTES,
  type AnalyticsHandler,
  type AnalyticsOptions,
} from './handlers/analytics-handler.ts';
export { ServedRecorder, type ServedRecorderOptions } from './accountability/served-recorder.ts';
export { PageMaps, type MappedDocument } from './accountability/page-maps.ts';
export { mergeSpans, type Span } from './accountability/span-set.ts';
export { readPageMap, pagesTouched, type PageMap, type PageSpan, type ReadBytes } from './accountability/page-map.ts';
export { parseReaderEvent, MAX_QUERY_LENGTH, type ReaderEvent, type ReaderEventType } from './accountability/reader-event.ts';
export type { AccountabilityLog, AccountabilityQuery, ServedEntry, ServedIncrement, ServedRecord, StoredReaderEvent } from './store/accountability-log.ts';
export {
  authorizeDocumentRequest,
  decideDocumentBytes,
  errorReply,
  invalidTokenReply,
  openDocumentBody,
  pipeBody,
  pipingWriter,
  sendDocumentReply,
  type AccessDependencies,
  type BodyWriter,
  type BytesOptions,
  type DocumentAccess,
  type DocumentBody,
  type DocumentReply,
  type DocumentRequest,
} from './handlers/document-reply.ts';
export { DEFAULT_STREAM_LIMITS, IdleBodyError, OpenStreams, endWhenIdle, type StreamLimits } from './open-streams.ts';
export {
  DEFAULT_RANGE_LIMITS,
  closingDelimiter,
  decideRanges,
  multipartBody,
  multipartLength,
  newBoundary,
  parseRanges,
  partHead,
  type ByteSpan,
  type RangeLimits,
  type RangesDecision,
} from './byte-ranges.ts';
export {
  createPasswordExchangeHandler,
  PASSWORD_TOKEN_LIFETIME_SECONDS,
  type PasswordExchangeHandler,
  type PasswordExchangeOptions,
  type PasswordProtectedDocument,
} from './handlers/password-exchange-handler.ts';
export { createRefreshHandler, type RefreshHandler, type RefreshOptions } from './handlers/refresh-handler.ts';
export type { ClientInfo } from './handlers/client-info.ts';
export type { AuditLog } from './handlers/audit.ts';
export type { RefreshCookieOptions } from './handlers/refresh-cookie.ts';
export { toNodeListener, toWebRequest, sendWebResponse } from './node-adapter.ts';
export { bearerCredential, cookie, mediaType, readBytes, readJsonObject, type BodyBytes, type JsonBody } from './web/request-parts.ts';
export { SECURITY_HEADERS, errorResponse, jsonResponse, nodeStreamResponse } from './web/responses.ts';
export { clientAddress, parseTrustedProxies, throttleKey, NO_TRUSTED_PROXIES, type TrustedProxies } from './client-address.ts';
export { openByteRange, openByteRanges, type ByteRangeReader, type ByteRanges, type ByteSource } from './byte-source.ts';
export {
  TokenService,
  InvalidTokenError,
  IssueDeferredError,
  RevokedWhileIssuingError,
  TOKEN_REVOCATION_SECONDS,
  TOKEN_TYPE,
  ISSUER,
  AUDIENCE,
  MAX_LIFETIME_SECONDS,
  DEFAULT_LIFETIME_SECONDS,
  nowSeconds,
  unverifiedJti,
  isRenderMode,
  type AccessClaims,
  type RenderMode,
  type IssuedToken,
  type TokenServiceOptions,
} from './token-service.ts';
export { generateSigningKeys, loadOrCreateSigningKeys, SIGNING_ALGORITHM, type SigningKeys, type StoredSigningKey } from './signing-keys.ts';
export { SigningKeyRing, type JsonWebKeySet, type SigningKeyInfo, type SigningKeyRingOptions } from './signing-key-ring.ts';
export { ApiKeyRegistry, API_KEY_SCOPES, API_KEY_FAILURES_PER_CLIENT, isApiKeyScope, type ApiKeyCheck, type ApiKeyInfo, type ApiKeyRegistryOptions } from './api-key-registry.ts';
export { generateApiKey, checkApiKeyFormat, hashApiKey, API_KEY_ENVIRONMENTS, type ApiKeyEnvironment } from './api-key-format.ts';
export { createJwksHandler, JWKS_MAX_AGE_SECONDS, type JwksHandler } from './handlers/jwks-handler.ts';
export { PasswordHasher, HasherBusyError, DEFAULT_SCRYPT_COST, type PasswordHash, type PasswordHasherOptions } from './password-hasher.ts';
export { PasswordThrottle, PER_CLIENT, PER_DOCUMENT, PER_DOCUMENT_AND_CLIENT, SESSIONS_PER_DOCUMENT_AND_CLIENT, type Reservation } from './password-throttle.ts';
export {
  ALL_PERMISSIONS,
  KNOWN_PERMISSIONS,
  RESERVED_PERMISSIONS,
  isPermission,
  isValidDocumentId,
  unknownPermissions,
  type DocumentMeta,
  type Permission,
} from './document-meta.ts';
export { DocumentStore, DEFAULT_UPLOAD_PERMISSIONS, etagFor, type NewDocument } from './document-store.ts';
export { decideRange, parseRange, ifRangeAllowsPartial, contentRange, type RangeDecision } from './range.ts';
export { createMemoryStore, type MemoryStoreOptions } from './store/memory-store.ts';
export { createRedisStore, StoreUnavailableError, type RedisStoreOptions } from './store/redis-store.ts';
export { FileApiKeys } from './store/file-api-keys.ts';
export { FileSigningKeys } from './store/file-signing-keys.ts';
export type { DocumentIndex, LimiterRule, RefreshFamilies, RevocationList, RevocationSubject, RotateResult, SharedStore, SigningKeyStore, ApiKeyRecord, ApiKeyScope, ApiKeyStore } from './store/shared-store.ts';
export { createServerRendering, type ServerRendering, type ServerRenderingOptions } from './render/server-rendering.ts';
export { DEFAULT_SCALES, DEFAULT_MAX_PIXELS, type PageHandlers, type RenderedDocumentManifest, type RenderedDocumentUrls } from './render/page-handlers.ts';
export { createRenderPool, defaultPoolSize, RenderPoolError, type RenderPool, type RenderPoolOptions, type RenderPoolStats } from './render/render-pool.ts';
export { RenderFailure } from './render/render-failure.ts';
export type { DocumentLayout, ImageFormat, OutlineItem, PageText, RenderErrorCode, TextRun } from './render/render-jobs.ts';
export { createMemoryRenderCache, type MemoryRenderCacheOptions, type RenderCache } from './render/render-cache.ts';
export { createRedisRenderCache, type RedisRenderCacheOptions } from './render/redis-render-cache.ts';
export type { RenderBudgetOptions } from './render/render-budget.ts';
export type { DocumentBytesOptions } from './render/document-bytes.ts';
export { defaultWatermarkLines, type WatermarkLines } from './render/watermark-lines.ts';
export { createStampedDownloadHandler, defaultStampLines, type StampedDownloadHandler, type StampLines } from './stamp/stamped-download-handler.ts';
