// A React 19 app using the package as any app would: `secure-viewer/react` from the built package.
import { StrictMode, useCallback, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { SecureViewerReact } from 'secure-viewer/react';

const params = new URLSearchParams(location.search);
const ttl = params.get('ttl') ?? '20';

async function sessionToken(): Promise<{ token: string; expiresAt: number }> {
  const response = await fetch(`/demo/session-token?doc=sample&ttl=${encodeURIComponent(ttl)}`, { method: 'POST' });
  if (!response.ok) throw new Error(`session-token ${response.status}`);
  const body = (await response.json()) as { token: string; expires_in: number };
  return { token: body.token, expiresAt: Date.now() + body.expires_in * 1000 };
}

function App() {
  const [log, setLog] = useState<string[]>([]);
  const note = useCallback((line: string) => setLog((lines) => [`${new Date().toLocaleTimeString()}  ${line}`, ...lines]), []);
  const renewToken = useCallback(
    async ({ reason }: { reason: string }) => {
      note(`host: renewing the token (${reason})`);
      return sessionToken();
    },
    [note],
  );
  return (
    <>
      <header>
        <p>
          <a href="../">All demos</a>
        </p>
        <h1>React</h1>
        <p>
          <code>{'<SecureViewerReact>'}</code> from <code>secure-viewer/react</code>, with a <code>renewToken</code> callback and
          camelCase event props.
        </p>
      </header>
      <main className="split">
        <SecureViewerReact
          id="viewer"
          src="/api/documents/sample/content"
          renewToken={renewToken}
          onLoad={(event) => note(`sv-load, ${event.detail.numPages} pages`)}
          onTokenRenew={(event) => note(`sv-token-renew (${event.detail.reason})`)}
          onError={(event) => note(`sv-error ${event.detail.code}`)}
          onPageChange={(event) => note(`page ${event.detail.page} of ${event.detail.numPages}`)}
        />
        <section aria-labelledby="log-title">
          <h2 id="log-title">Log</h2>
          <ol id="log" aria-live="polite">
            {log.map((line, index) => (
              <li key={log.length - index}>{line}</li>
            ))}
          </ol>
        </section>
      </main>
    </>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
