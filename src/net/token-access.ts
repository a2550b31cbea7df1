/**
 * What a document request needs from the token's owner. Declared here, apart from both, so the
 * fetch layer and the token controller that implements it need not import each other.
 */
export interface TokenAccess {
  /** A token to send now (waits for a renewal in flight). */
  token(): Promise<string>;
  /** Called after a 401: returns a different, fresh token or rejects. */
  renewAfterRejection(rejected: string): Promise<string>;
}
