import { ViewerError, asViewerError } from '../errors.ts';

/** pdf.js errors never reach the page as they are: they can carry URLs and internal detail. */
export function mapPdfjsError(error: unknown): ViewerError {
  if (error instanceof ViewerError) return error;
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'PasswordException') return new ViewerError('password-cancelled');
  if (name === 'AbortException') return new ViewerError('network');
  return asViewerError(null, 'invalid-document');
}
