/**
 * A real world for the helper's tests: the Acme HR sandbox, the platform on a temporary SQLite
 * file (two tenants, A and B), and a SaaS app on Express 4 or 5 with `trutoConnect` mounted at
 * `/truto` for tenant A. Tenant A's webhooks go to the app's `/hooks`, which records each
 * delivery as the platform sent it and forwards it to the helper's `/truto/webhook`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type RequestListener, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, createPlatform, type Platform } from '@truto-connect/platform';
import { createSandbox, DEFAULT_API_KEY, type Sandbox } from '@truto-connect/sandbox';
import express5 from 'express';
import express4 from 'express4';
import {
  type Connection,
  type TrutoConnectOptions,
  trutoConnect,
  type WebhookEvent,
} from '../../src/index.js';

export const EXPRESS_MAJORS = [
  ['Express 4', express4 as unknown as typeof express5],
  ['Express 5', express5],
] as const;
export type ExpressFactory = typeof express5;

export const SANDBOX_KEY = DEFAULT_API_KEY;

export interface Delivery {
  headers: Record<string, string>;
  body: Buffer;
  /** The mount it was forwarded to, and the helper's answer. */
  target: string;
  status: number;
}

export interface World {
  platform: Platform;
  platformUrl: string;
  appUrl: string;
  tenantA: { id: string; apiToken: string };
  tenantB: { id: string; apiToken: string };
  /** Calls of onConnected / onEvent, in order. */
  connected: Array<{ connection: Connection; user: string | undefined }>;
  events: WebhookEvent[];
  /** What the helpers reported through onError (5xx answers). */
  errors: Error[];
  /** Webhook deliveries to tenant A, as the platform sent them. */
  deliveries: Delivery[];
  /** Mounts another helper at `path` (for option variants); same app. */
  mount(
    path: string,
    options: Partial<TrutoConnectOptions<express5.Request>>,
    /** Middleware to run before the helper on that path (a body parser, say). */
    before?: express5.RequestHandler,
  ): void;
  close(): Promise<void>;
}

const listen = (server: Server) =>
  new Promise<string>((resolve) => {
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as { port: number }).port}`),
    );
  });

export async function startWorld(express: ExpressFactory): Promise<World> {
  const dir = mkdtempSync(join(tmpdir(), 'truto-server-test-'));
  // The sandbox must know its URL before it exists: its server listens on port 0 first, and the
  // sandbox's app is attached once made (no port closed and bound again later).
  let sandboxApp: RequestListener | undefined;
  const sandboxServer = createHttpServer((req, res) => {
    if (sandboxApp) sandboxApp(req, res);
    else res.writeHead(503).end();
  });
  const sandboxUrl = await listen(sandboxServer);
  const app = express();
  const appServer = createHttpServer(app);
  const appUrl = await listen(appServer);

  const platform = await createPlatform({
    database: `sqlite:${join(dir, 'platform.sqlite')}`,
    secretKey: Buffer.alloc(32, 7).toString('base64url'),
    sandboxUrl,
    webhooks: { pollMs: 50, baseDelayMs: 50, maxDelayMs: 200 },
    logger: createLogger({ level: 'silent' }),
  });
  const { url: platformUrl } = await platform.listen(0, '127.0.0.1');
  const sandbox: Sandbox = createSandbox({ publicUrl: sandboxUrl, platformUrl });
  sandboxApp = sandbox.app;

  const a = await platform.tenants.create({
    name: 'A',
    allowedOrigins: [appUrl],
    webhookUrl: `${appUrl}/hooks`,
  });
  const b = await platform.tenants.create({ name: 'B', allowedOrigins: [appUrl] });

  const connected: World['connected'] = [];
  const events: WebhookEvent[] = [];
  const deliveries: Delivery[] = [];
  const errors: Error[] = [];

  /** Records a delivery, forwards it to the helper at `/<target>/webhook`, and answers as it did. */
  const capture =
    (target: string): express5.RequestHandler =>
    (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', async () => {
        const delivery = {
          headers: Object.fromEntries(
            Object.entries(req.headers).filter(
              (entry): entry is [string, string] => typeof entry[1] === 'string',
            ),
          ),
          body: Buffer.concat(chunks),
          target,
          status: 0,
        };
        deliveries.push(delivery);
        try {
          const forwarded = await fetch(`${appUrl}/${target}/webhook`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'truto-signature': delivery.headers['truto-signature'] ?? '',
            },
            body: delivery.body,
          });
          delivery.status = forwarded.status;
          res.status(forwarded.status).send(await forwarded.text());
        } catch {
          // The world is closing while the platform still delivers.
          if (!res.headersSent) res.status(502).end();
        }
      });
    };
  app.post('/hooks', capture('truto'));
  app.post('/hooks/:target', (req, res, next) => capture(String(req.params.target))(req, res, next));

  const baseOptions = (): TrutoConnectOptions<express5.Request> => ({
    baseUrl: platformUrl,
    apiToken: a.apiToken,
    // The "session": a header a real app would derive from its cookie.
    externalId: (req) => req.get('x-user'),
    onConnected: async (connection, req) => {
      connected.push({ connection, user: req.get('x-user') });
    },
    onEvent: async (event) => {
      events.push(event);
    },
    onError: (error) => {
      errors.push(error);
    },
    integrations: ['acmehr'],
    redirect: { success: '/settings?tab=integrations', failure: '/settings' },
  });
  app.use('/truto', trutoConnect(baseOptions()));

  return {
    platform,
    platformUrl,
    appUrl,
    tenantA: { id: a.tenant.id, apiToken: a.apiToken },
    tenantB: { id: b.tenant.id, apiToken: b.apiToken },
    connected,
    events,
    errors,
    deliveries,
    mount(path, options, before) {
      if (before) app.use(path, before);
      app.use(path, trutoConnect({ ...baseOptions(), ...options }));
    },
    async close() {
      appServer.closeAllConnections();
      await new Promise<void>((resolve) => appServer.close(() => resolve()));
      await platform.close();
      sandboxServer.closeAllConnections();
      await new Promise<void>((resolve) => sandboxServer.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A POST as the SaaS page's own script sends it: same-origin, JSON, signed in as `user`. */
export function postFromPage(
  url: string,
  body: unknown,
  user: string | undefined,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'sec-fetch-site': 'same-origin',
      origin: new URL(url).origin,
      ...(user === undefined ? {} : { 'x-user': user }),
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/**
 * Connects an Acme HR account through the connect page over plain HTTP, as a browser in
 * redirect mode does: open `linkUrl`, post the API-key form with its hidden fields (link token,
 * CSRF token), and return where the platform sends the browser (the link token's redirectUri
 * with `result=` or `error=`).
 */
export async function connectWithApiKey(linkUrl: string, apiKey = SANDBOX_KEY): Promise<URL> {
  const page = await fetch(linkUrl);
  if (page.status !== 200) throw new Error(`connect page: ${page.status}`);
  const html = await page.text();
  const form = new URLSearchParams();
  for (const match of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    form.set(match[1] as string, decodeHtml(match[2] as string));
  }
  form.set('api_key', apiKey);
  const submitted = await fetch(new URL('/link/connect', linkUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form,
    redirect: 'manual',
  });
  const location = submitted.headers.get('location');
  if (submitted.status !== 303 || !location) {
    throw new Error(`connect form: ${submitted.status} ${(await submitted.text()).slice(0, 300)}`);
  }
  return new URL(location);
}

const decodeHtml = (value: string) =>
  value.replace(
    /&(amp|lt|gt|quot|#39);/g,
    (_m, entity: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[entity] ?? '',
  );

/** A link token minted directly on the platform (for tenant B, or without the helper). */
export async function platformLinkToken(
  world: World,
  apiToken: string,
  body: Record<string, unknown>,
): Promise<{ token: string; linkUrl: string }> {
  const res = await fetch(`${world.platformUrl}/link-tokens`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ integration: 'acmehr', ...body }),
  });
  if (res.status !== 201) throw new Error(`link token: ${res.status} ${await res.text()}`);
  return (await res.json()) as { token: string; linkUrl: string };
}
