/**
 * The Integrations page in React: the user's connections from the example app's
 * `GET /api/connections`, and <truto-connect> posting to the same `/truto` routes as the plain
 * HTML page. The element does the flow and the helper verifies the result; React only listens.
 */
import type { TrutoConnectErrorEvent, TrutoConnectSuccessEvent } from '@truto-connect/widget';
import { useCallback, useEffect, useState } from 'react';

interface Connection {
  integratedAccountId: string;
  integration: string;
  status: string;
  context: { companyName?: string };
}

type Loaded =
  | { state: 'loading' }
  | { state: 'signed-out' }
  | { state: 'ready'; user: string; connections: Connection[] };

export function IntegrationsPage() {
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  const [notice, setNotice] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);

  const load = useCallback(async () => {
    const response = await fetch('/api/connections', { headers: { accept: 'application/json' } });
    if (response.status === 401) return setLoaded({ state: 'signed-out' });
    const body = (await response.json()) as { user: string; connections: Connection[] };
    setLoaded({ state: 'ready', ...body });
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  const onSuccess = (event: TrutoConnectSuccessEvent) => {
    // With complete-url, this fires after the server verified the result and stored it.
    const company = event.detail.connection?.context.companyName;
    setNotice({ kind: 'success', text: company ? `Acme HR connected: ${company}.` : 'Acme HR connected.' });
    void load();
  };
  const onError = (event: TrutoConnectErrorEvent) =>
    setNotice({
      kind: 'error',
      text: `The connection failed: ${event.detail.message} (${event.detail.code}).`,
    });

  if (loaded.state === 'loading') return <main aria-busy="true">Loading…</main>;
  if (loaded.state === 'signed-out') {
    return (
      <main>
        <h1>Integrations (React)</h1>
        <p>
          <a href="/sign-in">Sign in</a> to the example app first, then come back to <code>/react/</code>.
        </p>
      </main>
    );
  }
  return (
    <main>
      <h1>Integrations (React)</h1>
      <p className="meta">
        Signed in as <strong>{loaded.user}</strong> · <a href="/integrations">plain HTML version</a>
      </p>
      <div role="status" aria-live="polite">
        {notice && <p className={`notice ${notice.kind}`}>{notice.text}</p>}
      </div>
      <section aria-labelledby="connections-title">
        <h2 id="connections-title">Your connections</h2>
        {loaded.connections.length === 0 ? (
          <p className="meta">No accounts connected yet.</p>
        ) : (
          <ul id="connections">
            {loaded.connections.map((c) => (
              <li key={c.integratedAccountId} data-account-id={c.integratedAccountId}>
                <strong>{c.integration === 'acmehr' ? 'Acme HR' : c.integration}</strong>{' '}
                {c.context.companyName ?? ''} <code>{c.integratedAccountId}</code>{' '}
                <span className={`badge ${c.status}`}>{c.status}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <truto-connect
        integration="acmehr"
        token-url="/truto/link-token"
        complete-url="/truto/complete"
        ontruto-connect-success={onSuccess}
        ontruto-connect-error={onError}
      >
        Connect Acme HR
      </truto-connect>
    </main>
  );
}
