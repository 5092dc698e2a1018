/**
 * Acme HR's sign-in and consent pages. Plain HTML forms, labelled and keyboard-usable.
 * @module
 */

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} – Acme HR</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0; background: #f3f4f6; color: #111827; }
  main { max-width: 26rem; margin: 3rem auto; background: #fff; padding: 2rem; border-radius: 12px; }
  h1 { font-size: 1.4rem; margin-top: 0; }
  label { display: block; margin: 1rem 0 0.25rem; font-weight: 600; }
  input { width: 100%; box-sizing: border-box; padding: 0.55rem; font: inherit; border: 1px solid #6b7280; border-radius: 6px; }
  button { font: inherit; padding: 0.6rem 1.2rem; border-radius: 6px; border: 0; margin-top: 1.25rem; cursor: pointer; }
  .primary { background: #b91c1c; color: #fff; }
  .secondary { background: #e5e7eb; color: #111827; margin-left: 0.5rem; }
  .error { color: #991b1b; font-weight: 600; }
  ul { padding-left: 1.2rem; }
  :focus-visible { outline: 3px solid #1d4ed8; outline-offset: 2px; }
</style>
</head>
<body><main>${body}</main></body>
</html>`;
}

export function signInPage(uid: string, clientName: string, error?: string): string {
  return page(
    'Sign in',
    `<h1>Sign in to Acme HR</h1>
<p>${escapeHtml(clientName)} wants to connect to your Acme HR account.</p>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/interaction/${escapeHtml(uid)}/login">
  <label for="username">Username</label>
  <input id="username" name="username" autocomplete="username" required autofocus>
  <label for="password">Password</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required>
  <button class="primary" type="submit">Sign in</button>
</form>
<p>Demo account: <code>demo</code> / <code>demo</code>.</p>`,
  );
}

export function consentPage(uid: string, clientName: string, scopes: string[]): string {
  const items = scopes.map((s) => `<li><code>${escapeHtml(s)}</code></li>`).join('');
  return page(
    'Allow access',
    `<h1>Allow ${escapeHtml(clientName)} to access Acme HR?</h1>
<p>It will be able to:</p>
<ul>${items}</ul>
<form method="post" action="/interaction/${escapeHtml(uid)}/consent">
  <button class="primary" type="submit" name="decision" value="allow">Allow</button>
  <button class="secondary" type="submit" name="decision" value="deny">Deny</button>
</form>`,
  );
}

export function errorPage(error: string, description?: string): string {
  return page(
    'Something went wrong',
    `<h1>Something went wrong</h1>
<p class="error" role="alert">${escapeHtml(description ?? error)}</p>
<p>Error code: <code>${escapeHtml(error)}</code>. Close this window and start again.</p>`,
  );
}
