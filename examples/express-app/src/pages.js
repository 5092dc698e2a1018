/**
 * The app's HTML, as plain template strings: a sign-in page and the Integrations page. Every
 * value from a user or a server goes through `html`, which escapes it; nothing here is inline
 * script or style, so the page runs under a strict Content-Security-Policy.
 * @module
 */

/** A value that is already HTML. */
class Html {
  /** @param {string} value */
  constructor(value) {
    this.value = value;
  }
  toString() {
    return this.value;
  }
}

/** @param {unknown} value @returns {string} */
function escapeHtml(value) {
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(escapeHtml).join('');
  if (value === undefined || value === null || value === false) return '';
  return String(value).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

/**
 * Tagged template: interpolations are escaped unless they are `html` themselves.
 * @param {TemplateStringsArray} strings
 * @param {unknown[]} values
 */
export function html(strings, ...values) {
  return new Html(
    strings.reduce((out, s, i) => out + s + (i < values.length ? escapeHtml(values[i]) : ''), ''),
  );
}

/** @param {{title: string, user?: string, body: Html}} page */
function layout({ title, user, body }) {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Acme Payroll</title>
<link rel="stylesheet" href="/assets/styles.css">
<script type="module" src="/assets/truto-connect.js"></script>
<script type="module" src="/assets/integrations.js"></script>
</head>
<body>
<header class="topbar">
  <a class="brand" href="/">Acme Payroll</a>
  ${
    user
      ? html`<form method="post" action="/sign-out" class="who">
    <span>Signed in as <strong>${user}</strong></span>
    <button type="submit" class="link-button">Sign out</button>
  </form>`
      : ''
  }
</header>
<main id="main">
${body}
</main>
</body>
</html>`.value;
}

/** @param {{error?: string}} [options] */
export function signInPage({ error } = {}) {
  return layout({
    title: 'Sign in',
    body: html`<section class="card narrow">
  <h1>Sign in</h1>
  <p>This demo has no passwords: pick a name. Each name is its own user with its own connections.</p>
  ${error ? html`<p class="notice error" role="alert">${error}</p>` : ''}
  <form method="post" action="/sign-in" class="stack">
    <label for="name">Your name</label>
    <input id="name" name="name" autocomplete="username" required maxlength="40" autofocus>
    <button type="submit" class="primary">Sign in</button>
  </form>
</section>`,
  });
}

const STATUS_LABELS = /** @type {Record<string, string>} */ ({
  active: 'Connected',
  error: 'Needs attention',
  connecting: 'Connecting',
});

const EVENT_LABELS = /** @type {Record<string, string>} */ ({
  'integrated_account:created': 'created',
  'integrated_account:active': 'active',
  'integrated_account:post_install_error': 'post-install failed',
  'integrated_account:reauth_required': 'reconnect needed',
  'integrated_account:deleted': 'deleted',
});

/**
 * What Acme HR's post-install action read into the account's context: its company.
 * @param {Record<string, unknown>} context
 */
function companyOf(context) {
  const { companyName, region } = context;
  if (typeof companyName !== 'string') return undefined;
  return typeof region === 'string' ? `${companyName} (${region})` : companyName;
}

/** @param {string} iso */
function when(iso) {
  return html`<time datetime="${iso}">${iso.replace('T', ' ').slice(0, 16)} UTC</time>`;
}

/**
 * The user's connections: one row each, with Disconnect, and Reconnect for an account in error.
 * @param {import('./connection-store.js').StoredConnection[]} connections
 */
export function connectionsSection(connections) {
  return html`<section id="connections" class="card" aria-labelledby="connections-title">
  <h2 id="connections-title">Your connections</h2>
  ${
    connections.length === 0
      ? html`<p class="empty">No accounts connected yet. Connect Acme HR below.</p>`
      : html`<ul class="connections">${connections.map(
          (c) => html`<li class="connection" data-account-id="${c.integratedAccountId}">
      <div class="connection-main">
        <span class="integration">${c.integration === 'acmehr' ? 'Acme HR' : c.integration}</span>
        <span class="badge ${c.status}">${STATUS_LABELS[c.status] ?? c.status}</span>
        <div class="meta">
          ${companyOf(c.context) ? html`<span>${companyOf(c.context)}</span> · ` : ''}<code>${c.integratedAccountId}</code> · connected ${when(c.connectedAt)}
        </div>
        ${c.statusReason ? html`<div class="meta reason">${c.statusReason}</div>` : ''}
      </div>
      <div class="actions">
        ${
          c.status === 'error'
            ? html`<truto-connect integration="${c.integration}" integrated-account-id="${c.integratedAccountId}" token-url="/truto/link-token" complete-url="/truto/complete">Reconnect</truto-connect>`
            : ''
        }
        <form method="post" action="/integrations/${c.integratedAccountId}/disconnect">
          <button type="submit" class="danger">Disconnect<span class="visually-hidden"> ${c.integratedAccountId}</span></button>
        </form>
      </div>
    </li>`,
        )}</ul>`
  }
</section>`;
}

/** @param {import('./connection-store.js').StoredEvent[]} events */
function eventsSection(events) {
  return html`<section id="events" class="card" aria-labelledby="events-title">
  <h2 id="events-title">Recent webhook events</h2>
  ${
    events.length === 0
      ? html`<p class="empty">None yet. The platform posts one to <code>/truto/webhook</code> whenever an account changes.</p>`
      : html`<ul class="events">${events.map(
          (e) =>
            html`<li><code>${e.type}</code> <span class="meta">${EVENT_LABELS[e.type] ?? ''} · <code>${e.integratedAccountId}</code> · ${when(e.receivedAt)}</span></li>`,
        )}</ul>`
  }
</section>`;
}

/**
 * A notice from the query: after redirect mode (`?truto=connected|error` from the helper's
 * /callback) or a disconnect.
 * @param {Record<string, unknown>} query
 */
function noticeFor(query) {
  if (query.truto === 'connected') return html`<p class="notice success">Acme HR connected.</p>`;
  if (query.truto === 'error') {
    return html`<p class="notice error">The connection failed (<code>${String(query.error ?? 'unknown')}</code>).</p>`;
  }
  if (query.disconnected) return html`<p class="notice success">Disconnected.</p>`;
  return '';
}

/**
 * @param {{user: string, connections: import('./connection-store.js').StoredConnection[], events: import('./connection-store.js').StoredEvent[], query: Record<string, unknown>}} data
 */
export function integrationsPage({ user, connections, events, query }) {
  return layout({
    title: 'Integrations',
    user,
    body: html`<h1>Integrations</h1>
<p class="lead">Connect your HR system so Acme Payroll can read your employees. You sign in at Acme HR; we never see your password.</p>
<div id="notice" role="status" aria-live="polite">${noticeFor(query)}</div>
${connectionsSection(connections)}
<section class="card" aria-labelledby="connect-title">
  <h2 id="connect-title">Connect Acme HR</h2>
  <p>Sign in as <kbd>demo</kbd> / <kbd>demo</kbd> on Acme HR's page, or use the API key <kbd>sandbox-demo-key</kbd>.</p>
  <div class="modes">
    <div class="mode">
      <truto-connect integration="acmehr" token-url="/truto/link-token" complete-url="/truto/complete" data-mode="popup">Connect Acme HR</truto-connect>
      <p class="meta">Opens a window (the default).</p>
    </div>
    <div class="mode">
      <truto-connect integration="acmehr" mode="modal" token-url="/truto/link-token" complete-url="/truto/complete" data-mode="modal" class="secondary">Connect in a dialog</truto-connect>
      <p class="meta">Shows the connect pages in a dialog on this page.</p>
    </div>
    <div class="mode">
      <truto-connect integration="acmehr" mode="redirect" token-url="/truto/link-token" data-mode="redirect" class="secondary">Connect in this tab</truto-connect>
      <p class="meta">Leaves this page and comes back through <code>/truto/callback</code>.</p>
    </div>
  </div>
</section>
${eventsSection(events)}`,
  });
}
