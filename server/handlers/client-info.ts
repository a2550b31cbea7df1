// What a handler knows about the client beyond the Request: facts only the server side can
// establish (the socket address behind trusted proxies, whether the connection is HTTPS).

export interface ClientInfo {
  /** What the client is counted under for throttling (see `throttleKey`). */
  key: string;
  /** The client's connection is HTTPS (directly or at a trusted proxy). */
  https: boolean;
}
