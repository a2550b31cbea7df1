/**
 * A POST to one of the host's token endpoints: same-origin credentials (the host's session or
 * refresh cookie, never one of ours), no cache, no redirects, no referrer.
 */
export function postToHost(url: string, body: unknown, signal?: AbortSignal): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    credentials: 'same-origin',
    cache: 'no-store',
    redirect: 'error',
    referrerPolicy: 'no-referrer',
    headers: body === undefined ? { Accept: 'application/json' } : { Accept: 'application/json', 'Content-Type': 'application/json' },
    body: body === undefined ? null : JSON.stringify(body),
    ...(signal ? { signal } : {}),
  });
}
