// How a failed render is answered: what the client can act on (a page that does not exist, a file
// that is not a readable PDF, a busy renderer) with its own code; anything else as a plain 500.
import { errorResponse } from '../web/responses.ts';
import { RenderFailure } from './render-failure.ts';
import { RenderPoolError } from './render-pool.ts';

export function renderErrorResponse(error: unknown): Response {
  if (error instanceof RenderFailure) {
    switch (error.code) {
      case 'page_out_of_range':
        return errorResponse(404, 'page_out_of_range', error.message);
      case 'page_too_large':
        return errorResponse(400, 'page_too_large', error.message);
      case 'encrypted_document':
        return errorResponse(422, 'encrypted_document', error.message);
      case 'invalid_document':
        return errorResponse(422, 'invalid_document', error.message);
    }
  }
  if (error instanceof RenderPoolError) {
    if (error.reason === 'busy') return errorResponse(503, 'renderer_busy', 'The renderer is busy; try again shortly.', { 'Retry-After': '1' });
    if (error.reason === 'timeout') return errorResponse(503, 'render_timeout', 'Rendering took too long.', { 'Retry-After': '5' });
    if (error.reason === 'closed') return errorResponse(503, 'unavailable', 'The renderer is shutting down.', { 'Retry-After': '1' });
    return errorResponse(500, 'render_failed', 'The page could not be rendered.');
  }
  throw error;
}
