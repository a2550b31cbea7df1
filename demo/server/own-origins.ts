// The origins a browser uses for a server listening on host:port. Loopback hosts are reachable
// under each other's names; a wildcard address (0.0.0.0, ::) has no name of its own, so behind
// it the public origin must be configured (SV_PUBLIC_ORIGIN).
const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);
const WILDCARD = new Set(['0.0.0.0', '::']);

export function listenOrigins(host: string, port: number): string[] {
  const bracketed = (name: string): string => (name.includes(':') ? `[${name}]` : name);
  if (LOOPBACK.has(host) || WILDCARD.has(host)) {
    return ['127.0.0.1', 'localhost', '[::1]'].map((name) => `http://${name}:${port}`);
  }
  return [`http://${bracketed(host)}:${port}`];
}
