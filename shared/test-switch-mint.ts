// Minting a token through the reference backend's test switches, for the browser tests and the
// backend's node tests alike.

/**
 * POSTs `body` to `<backendUrl>/__test/tokens` and returns the token. A 503 with Retry-After (a
 * revocation that lands in the same second) is waited out and tried again, at most three times.
 */
export async function mintThroughTestSwitches(backendUrl: string, body: Record<string, unknown>): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    const response = await fetch(`${backendUrl}/__test/tokens`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    const retryAfter = Number(response.headers.get('retry-after'));
    if (response.status === 503 && retryAfter > 0 && retryAfter <= 5 && attempt < 4) {
      await response.arrayBuffer();
      await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000));
      continue;
    }
    if (!response.ok) throw new Error(`POST /__test/tokens → ${response.status}`);
    return ((await response.json()) as { token: string }).token;
  }
}
