// A stand-in for the platform's connect pages, on another origin than the test page, for the
// widget's browser tests. Each link token names a behaviour of the page. Real HTTP, real
// postMessage, a real COOP header: only the pages' content is scripted.
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';

const statuses = new Map(); // status hash -> status body
const tokenCalls = new Map(); // key -> count

function send(res, status, body, headers = {}) {
  res.writeHead(status, { 'cache-control': 'no-store', ...headers });
  res.end(body);
}

function cors(req) {
  return {
    'access-control-allow-origin': req.headers.origin ?? '*',
    'access-control-allow-credentials': 'true',
    'access-control-allow-headers': 'content-type, truto-status-secret',
    vary: 'Origin',
  };
}

// The page's script: `behaviour` decides what it tells the widget.
function connectPage(params) {
  const config = JSON.stringify({
    token: params.get('link_token'),
    nonce: params.get('nonce'),
    origin: params.get('origin'),
    mode: params.get('mode'),
    status: params.get('status'),
  });
  return `<!doctype html><html lang="en"><head><title>Connect</title></head><body><h1>Connect Test HR</h1>
<p id="mode"></p>
<script>
const c = ${config};
document.getElementById('mode').textContent = c.mode;
const target = window.opener || (window.parent !== window ? window.parent : null);
const post = (msg) => target && target.postMessage({ source: 'truto-connect', nonce: c.nonce, ...msg }, c.origin);
const setStatus = (body) => fetch('/control/status/' + c.status, { method: 'POST', body: JSON.stringify(body) });
const success = { type: 'success', integratedAccountId: 'acc_1', integration: 'testhr', result: 'header.payload.signature' };
const behaviours = {
  lt_success: () => setTimeout(() => post(success), 50),
  lt_error: () => setTimeout(() => post({ type: 'error', code: 'connection_error', message: 'the provider refused' }), 50),
  lt_expired: () => setTimeout(() => post({ type: 'error', code: 'invalid_token', reason: 'expired', message: 'expired' }), 50),
  lt_wait: () => {},
  lt_spoof: () => setTimeout(() => {
    // Wrong nonce: must be ignored. Then the real answer.
    target.postMessage({ source: 'truto-connect', nonce: 'not-the-nonce', ...success }, c.origin);
    setTimeout(() => post({ type: 'error', code: 'post_install_error', message: 'post-install failed' }), 150);
  }, 50),
  lt_user_closes: () => setTimeout(() => window.close(), 150),
  lt_coop: () => setStatus({ state: 'provider' }).then(() => { location.href = '/provider-with-coop?status=' + c.status; }),
  lt_close_message: () => setTimeout(() => post({ type: 'close' }), 50),
  // Answers once the test says so (a 'go' message), so the test decides what comes first.
  lt_error_on_go: () =>
    window.addEventListener('message', (e) => {
      if (e.data === 'go') post({ type: 'error', code: 'connection_error', message: 'after go' });
    }),
  // The flow's own window, moved to another origin, forges a success; then back here for the real answer.
  lt_elsewhere: () => {
    const next = location.href.replace('lt_elsewhere', 'lt_error');
    location.href = 'http://localhost:' + location.port + '/forge?nonce=' + c.nonce + '&next=' + encodeURIComponent(next);
  },
};
if (c.mode === 'redirect') {
  // Redirect mode has no opener: tell the test harness (the frame's parent) where we landed.
  window.parent.postMessage({ redirected: true, token: c.token, nonce: c.nonce, origin: c.origin }, '*');
} else {
  (behaviours[c.token] || (() => post({ type: 'error', code: 'invalid_token', message: 'unknown token' })))();
}
</script></body></html>`;
}

// A provider page that severs the opener (COOP: same-origin), then finishes through the status
// channel, as the platform's OAuth callback does when window.opener is gone.
// Posts a forged success with the flow's nonce to its parent; then, optionally, navigates on.
function forgePage(params) {
  const config = JSON.stringify({ nonce: params.get('nonce'), next: params.get('next') });
  return `<!doctype html><html><body><p>Forger</p><script>
const c = ${config};
window.parent.postMessage({ source: 'truto-connect', nonce: c.nonce, type: 'success',
  integratedAccountId: 'acc_forged', integration: 'testhr', result: 'forged' }, '*');
if (c.next) setTimeout(() => { location.href = c.next; }, 100);
</script></body></html>`;
}

function providerPage(statusHash) {
  return `<!doctype html><html><body><p>Provider</p><script>
setTimeout(() => fetch('/control/status/${statusHash}', { method: 'POST', body: JSON.stringify({
  state: 'success', integratedAccountId: 'acc_coop', integration: 'testhr', result: 'coop.jwt.sig' }) })
  .then(() => setTimeout(() => window.close(), 100)), 1200);
</script></body></html>`;
}

export async function startFakePlatform() {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      if (req.method === 'OPTIONS')
        return send(res, 204, '', { ...cors(req), 'access-control-allow-methods': 'GET, POST' });
      if (url.pathname === '/link/connect')
        return send(res, 200, connectPage(url.searchParams), { 'content-type': 'text/html' });
      if (url.pathname === '/forge')
        return send(res, 200, forgePage(url.searchParams), { 'content-type': 'text/html' });
      if (url.pathname === '/provider-with-coop') {
        return send(res, 200, providerPage(url.searchParams.get('status')), {
          'content-type': 'text/html',
          'cross-origin-opener-policy': 'same-origin',
        });
      }
      if (url.pathname === '/link/status') {
        // As the platform does: the secret comes in a header, records are kept by its hash.
        const secret = req.headers['truto-status-secret'] ?? '';
        const found = statuses.get(createHash('sha256').update(String(secret)).digest('base64url'));
        return send(res, found ? 200 : 404, JSON.stringify(found ?? { state: 'pending' }), {
          ...cors(req),
          'content-type': 'application/json',
        });
      }
      const control = url.pathname.match(/^\/control\/status\/([^/]+)$/);
      if (control && req.method === 'POST') {
        statuses.set(decodeURIComponent(control[1]), JSON.parse(body));
        return send(res, 204, '');
      }
      if (url.pathname === '/token' && req.method === 'POST') {
        // ?key=K&tokens=a,b,c hands out a, then b, ...; ?expired=1 makes the first one stale.
        const key = url.searchParams.get('key') ?? 'default';
        const n = tokenCalls.get(key) ?? 0;
        tokenCalls.set(key, n + 1);
        const tokens = (url.searchParams.get('tokens') ?? 'lt_success').split(',');
        const token = tokens[Math.min(n, tokens.length - 1)];
        const stale = url.searchParams.get('expired') === '1' && n === 0;
        const expiresAt = new Date(Date.now() + (stale ? -1000 : 600_000)).toISOString();
        const port = server.address().port;
        const sent = JSON.parse(body || '{}');
        if (url.searchParams.get('fail') === '1') return send(res, 500, '{}', cors(req));
        return send(
          res,
          200,
          JSON.stringify({
            linkToken: token,
            linkUrl: `http://127.0.0.1:${port}/link/connect?link_token=${token}`,
            expiresAt,
            sent,
          }),
          { ...cors(req), 'content-type': 'application/json' },
        );
      }
      if (url.pathname === '/control/token-calls') {
        const key = url.searchParams.get('key') ?? 'default';
        return send(res, 200, JSON.stringify({ calls: tokenCalls.get(key) ?? 0 }), {
          ...cors(req),
          'content-type': 'application/json',
        });
      }
      send(res, 404, 'not found');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => server.close() };
}
