// Where a layer can be composed around the reference backend without the backend knowing what
// it adds: each hook receives the backend's own piece and returns the one to use instead. The
// test switches (test-harness/) are such a layer; a backend built without them runs the pieces
// as they are.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BackendContext } from './context.ts';

/** A document by the id in the URL, or null. */
export type DocumentLookup = BackendContext['resolve'];

/** Answers one request from its raw path and parsed query; an HttpError thrown becomes the error reply. */
export type Route = (req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams) => Promise<void>;

/** Answers GET/HEAD of one document's content. */
export type ContentRoute = (req: IncomingMessage, res: ServerResponse, id: string) => Promise<void>;

export interface BackendLayer {
  /** The lookup behind every route and the library's handlers (tokens, passwords, refreshes). */
  documents(next: DocumentLookup): DocumentLookup;
  /** The content route (the library's document handler). */
  content(next: ContentRoute, ctx: BackendContext): ContentRoute;
  /** Routing as a whole, after the common headers and before the error replies. */
  route(next: Route, ctx: BackendContext): Route;
  /** Ends what the layer holds open; runs before the backend closes its store. */
  close(): Promise<void>;
}
