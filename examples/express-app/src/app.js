/**
 * The example SaaS app, "Acme Payroll": sign in with a name, then connect Acme HR on the
 * Integrations page. Everything truto-specific is the `trutoConnect(...)` mount at `/truto`, the
 * `<truto-connect>` tags in the page, and a Disconnect button calling the Admin API.
 *
 * @example
 * ```js
 * import { createExampleApp } from '@truto-connect/example-express-app';
 * const example = createExampleApp({ platformUrl: 'http://localhost:4000', apiToken: process.env.TRUTO_API_TOKEN });
 * await example.listen(3000);
 * ```
 * @module
 */
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { createAdminClient, trutoConnect } from '@truto-connect/server';
import cookieParser from 'cookie-parser';
import express from 'express';
import { ConnectionStore } from './connection-store.js';
import { integrationsPage, signInPage } from './pages.js';

const require = createRequire(import.meta.url);
const WIDGET_BUNDLE = require.resolve('@truto-connect/widget/truto-connect.js');
const PUBLIC_DIR = fileURLToPath(new URL('../public', import.meta.url));
const SESSION_COOKIE = 'session';

/**
 * @typedef {object} ExampleAppOptions
 * @property {string} platformUrl the platform (or any server of the Admin API spec)
 * @property {string} apiToken the tenant's Admin API token
 * @property {string} [database] SQLite file of the app's own data (default `.data/example-app.sqlite`)
 * @property {string} [publicUrl] where browsers reach the app (default: from each request)
 * @property {string} [cookieSecret] signs the session cookie (default: generated once, kept in the database)
 * @property {string} [reactAppDir] a built examples/react-app (its dist/), served at /react/
 */

/**
 * @typedef {object} ExampleApp
 * @property {import('express').Express} app
 * @property {ConnectionStore} store
 * @property {(port?: number, host?: string) => Promise<{url: string}>} listen
 * @property {() => Promise<void>} close
 */

/** @param {unknown} value @param {string} name */
function requireString(value, name) {
  if (typeof value !== 'string' || value === '') throw new TypeError(`${name} must be a non-empty string`);
  return value;
}

/**
 * @param {ExampleAppOptions} options
 * @returns {ExampleApp}
 */
export function createExampleApp(options) {
  const platformUrl = requireString(options?.platformUrl, 'platformUrl');
  const apiToken = requireString(options.apiToken, 'apiToken');
  const store = new ConnectionStore(options.database ?? '.data/example-app.sqlite');
  const admin = createAdminClient({ baseUrl: platformUrl, apiToken });
  const platformOrigin = new URL(platformUrl).origin;

  const app = express();
  app.disable('x-powered-by');
  app.use(cookieParser(options.cookieSecret ?? store.secret('cookie-secret')));
  app.use(function securityHeaders(_req, res, next) {
    // The widget needs no inline script or style: a strict policy, opened for the platform only
    // (the modal's frame and the status channel). See the widget README's CSP section.
    res.set({
      'Content-Security-Policy': `default-src 'self'; connect-src 'self' ${platformOrigin}; frame-src ${platformOrigin}; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'`,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'same-origin',
    });
    next();
  });

  /** The signed-in user's name (from the signed cookie), or undefined. @param {import('express').Request} req */
  const userOf = (req) => {
    const name = req.signedCookies?.[SESSION_COOKIE];
    return typeof name === 'string' && name !== '' ? name : undefined;
  };

  app.use(
    '/truto',
    trutoConnect({
      baseUrl: platformUrl,
      apiToken,
      // The helper asks who is signed in; the browser never says it.
      externalId: (req) => userOf(/** @type {import('express').Request} */ (req)),
      onConnected: (connection) => store.saveConnection(connection),
      onEvent: (event) => store.applyEvent(event),
      integrations: ['acmehr'],
      redirect: { success: '/integrations', failure: '/integrations' },
      ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
    }),
  );

  app.get('/assets/truto-connect.js', (_req, res) => res.sendFile(WIDGET_BUNDLE));
  app.use('/assets', express.static(PUBLIC_DIR));

  app.get('/', (req, res) => res.redirect(303, userOf(req) ? '/integrations' : '/sign-in'));
  app.get('/sign-in', (_req, res) => res.type('html').send(signInPage()));
  app.post('/sign-in', express.urlencoded({ extended: false }), (req, res) => {
    const name = typeof req.body?.name === 'string' ? req.body.name.trim() : '';
    if (name === '' || name.length > 40) {
      return res
        .status(400)
        .type('html')
        .send(signInPage({ error: 'Enter a name of 1 to 40 characters.' }));
    }
    res.cookie(SESSION_COOKIE, name, { signed: true, httpOnly: true, sameSite: 'lax', path: '/' });
    return res.redirect(303, '/integrations');
  });
  app.post('/sign-out', (_req, res) => {
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.redirect(303, '/sign-in');
  });

  app.get('/integrations', (req, res) => {
    const user = userOf(req);
    if (!user) return res.redirect(303, '/sign-in');
    res.set('Cache-Control', 'no-store');
    return res.type('html').send(
      integrationsPage({
        user,
        connections: store.listFor(user),
        events: store.recentEvents(user),
        query: req.query,
      }),
    );
  });

  // The same list as JSON, for the React page.
  app.get('/api/connections', (req, res) => {
    const user = userOf(req);
    res.set('Cache-Control', 'no-store');
    if (!user) return res.status(401).json({ error: 'unauthenticated', message: 'sign in first' });
    return res.json({ user, connections: store.listFor(user) });
  });

  if (options.reactAppDir) {
    const reactAppDir = options.reactAppDir;
    app.use('/react', express.static(reactAppDir));
    app.get('/react', (_req, res) => res.redirect(301, '/react/'));
  }

  app.post('/integrations/:id/disconnect', async (req, res, next) => {
    try {
      const user = userOf(req);
      // The session cookie is SameSite=Lax, so another site's form arrives without it; the
      // Origin check refuses the rest of cross-site posts.
      const origin = req.get('origin');
      if (!user || (origin && origin !== `${req.protocol}://${req.get('host')}`)) {
        return res.status(403).type('text').send('Forbidden');
      }
      const connection = store.get(req.params.id);
      if (!connection || connection.externalId !== user)
        return res.status(404).type('text').send('Not found');
      try {
        await admin.deleteIntegratedAccount(connection.integratedAccountId);
      } catch (error) {
        // Already gone on the platform: forget it here too. Anything else is a real failure.
        if (/** @type {{status?: number}} */ (error).status !== 404) throw error;
      }
      store.remove(connection.integratedAccountId);
      return res.redirect(303, '/integrations?disconnected=1');
    } catch (error) {
      return next(error);
    }
  });

  /** @type {import('node:http').Server | undefined} */
  let server;
  return {
    app,
    store,
    listen(port = 3000, host) {
      return new Promise((resolve, reject) => {
        server = createServer(app);
        server.once('error', reject);
        server.listen(port, host, () => {
          const address = /** @type {import('node:net').AddressInfo} */ (server?.address());
          resolve({ url: options.publicUrl ?? `http://localhost:${address.port}` });
        });
      });
    },
    async close() {
      if (server) {
        server.closeAllConnections();
        await new Promise((resolve) => server?.close(() => resolve(undefined)));
      }
      store.close();
    },
  };
}
