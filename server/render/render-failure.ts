// A render job's failure that names its cause to the client (a page that does not exist, a file
// that is not a readable PDF); anything else thrown in a worker is an internal error.
import type { RenderErrorCode } from './render-jobs.ts';

export class RenderFailure extends Error {
  readonly code: RenderErrorCode;
  constructor(code: RenderErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
