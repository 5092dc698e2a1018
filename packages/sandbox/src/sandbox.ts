/**
 * The Acme HR sandbox: the authorization server, its sign-in and consent pages, and the REST
 * API (employees, company), which takes an OAuth access token or the API key.
 * @module
 */
import { createServer, type Server } from 'node:http';
import express, { type NextFunction, type Request, type Response } from 'express';
import type Provider from 'oidc-provider';
import { API_SCOPES, createAuthorizationServer, DEMO_ACCOUNT } from './authorization-server.js';
import { Directory } from './directory.js';
import { consentPage, signInPage } from './pages.js';

export const DEFAULT_CLIENT_ID = 'truto-platform';
export const DEFAULT_CLIENT_SECRET = 'truto-sandbox-client-secret';
export const DEFAULT_API_KEY = 'sandbox-demo-key';
/** Where the platform receives OAuth callbacks, relative to its public URL. */
export const PLATFORM_CALLBACK_PATH = '/link/oauth/callback';

export interface SandboxOptions {
  /** The sandbox's own public URL (the issuer). */
  publicUrl: string;
  /** The platform's public URL; its OAuth callback is allowed as a redirect URI. */
  platformUrl: string;
  clientId?: string;
  clientSecret?: string;
  apiKey?: string;
  /** Access-token lifetime in seconds (short, so that clients refresh). Default 120. */
  accessTokenTtl?: number;
  /**
   * Send `Cross-Origin-Opener-Policy: same-origin` on the sign-in and consent pages, as many real
   * providers do: a popup that visits them loses its link to the page that opened it.
   */
  crossOriginOpenerPolicy?: boolean;
}

export interface Sandbox {
  app: express.Express;
  provider: Provider;
  directory: Directory;
  listen(port: number, host?: string): Promise<{ url: string; server: Server }>;
  close(): Promise<void>;
}

type Scope = (typeof API_SCOPES)[number];

interface ApiLocals {
  scopes: Set<string>;
}

export function createSandbox(options: SandboxOptions): Sandbox {
  const publicUrl = options.publicUrl.replace(/\/+$/, '');
  const apiKey = options.apiKey ?? DEFAULT_API_KEY;
  const provider = createAuthorizationServer({
    issuer: publicUrl,
    client: {
      clientId: options.clientId ?? DEFAULT_CLIENT_ID,
      clientSecret: options.clientSecret ?? DEFAULT_CLIENT_SECRET,
      redirectUris: [`${options.platformUrl.replace(/\/+$/, '')}${PLATFORM_CALLBACK_PATH}`],
    },
    accessTokenTtl: options.accessTokenTtl ?? 120,
  });
  const directory = new Directory();
  const app = express();
  app.disable('x-powered-by');
  const form = express.urlencoded({ extended: false, limit: '10kb' });

  app.get('/', (_req, res) => {
    res
      .type('text/plain')
      .send('Acme HR sandbox. OAuth: /oauth/authorize, /oauth/token. API: /api/company, /api/employees.');
  });

  // Sign-in and consent.
  if (options.crossOriginOpenerPolicy) {
    app.use('/interaction', (_req, res, next) => {
      res.set('Cross-Origin-Opener-Policy', 'same-origin');
      next();
    });
  }
  app.get('/interaction/:uid', async (req, res, next) => {
    try {
      const details = await provider.interactionDetails(req, res);
      const client = await provider.Client.find(String(details.params.client_id));
      const clientName = client?.clientName ?? String(details.params.client_id);
      res.set('Cache-Control', 'no-store');
      if (details.prompt.name === 'login') {
        res.send(signInPage(details.uid, clientName));
        return;
      }
      const missing = details.prompt.details as {
        missingOIDCScope?: string[];
        missingResourceScopes?: Record<string, string[]>;
      };
      const scopes = [
        ...(missing.missingOIDCScope ?? []),
        ...Object.values(missing.missingResourceScopes ?? {}).flat(),
      ];
      res.send(consentPage(details.uid, clientName, scopes));
    } catch (error) {
      next(error);
    }
  });

  app.post('/interaction/:uid/login', form, async (req, res, next) => {
    try {
      const details = await provider.interactionDetails(req, res);
      const { username, password } = req.body as { username?: string; password?: string };
      if (username !== DEMO_ACCOUNT.username || password !== DEMO_ACCOUNT.password) {
        res
          .status(401)
          .send(signInPage(details.uid, String(details.params.client_id), 'Wrong username or password.'));
        return;
      }
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: DEMO_ACCOUNT.id } },
        { mergeWithLastSubmission: false },
      );
    } catch (error) {
      next(error);
    }
  });

  app.post('/interaction/:uid/consent', form, async (req, res, next) => {
    try {
      const details = await provider.interactionDetails(req, res);
      if ((req.body as { decision?: string }).decision !== 'allow') {
        await provider.interactionFinished(
          req,
          res,
          { error: 'access_denied', error_description: 'The user denied access.' },
          { mergeWithLastSubmission: false },
        );
        return;
      }
      const { accountId } = details.session ?? {};
      const clientId = String(details.params.client_id);
      const grant = details.grantId
        ? await provider.Grant.find(details.grantId)
        : new provider.Grant({ accountId: accountId as string, clientId });
      if (!grant) throw new Error('the grant of this interaction is gone');
      const missing = details.prompt.details as {
        missingOIDCScope?: string[];
        missingResourceScopes?: Record<string, string[]>;
      };
      if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
      for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
        grant.addResourceScope(indicator, scopes.join(' '));
      }
      const grantId = await grant.save();
      await provider.interactionFinished(
        req,
        res,
        { consent: { grantId } },
        { mergeWithLastSubmission: true },
      );
    } catch (error) {
      next(error);
    }
  });

  // The REST API.
  const api = express.Router();
  api.use(express.json({ limit: '10kb' }));
  api.use(async function authenticateApiCall(req: Request, res: Response, next: NextFunction) {
    const key = req.get('x-api-key');
    if (key !== undefined) {
      if (key !== apiKey) {
        res.status(401).json({ error: 'invalid_api_key', message: 'The API key is not valid.' });
        return;
      }
      (res.locals as ApiLocals).scopes = new Set(API_SCOPES);
      next();
      return;
    }
    const token = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1];
    const found = token ? await provider.AccessToken.find(token) : undefined;
    if (!found || found.isExpired) {
      res
        .status(401)
        .set('WWW-Authenticate', token ? 'Bearer error="invalid_token"' : 'Bearer')
        .json({ error: 'invalid_token', message: 'Send X-API-Key or a valid Bearer access token.' });
      return;
    }
    (res.locals as ApiLocals).scopes = new Set((found.scope ?? '').split(' '));
    next();
  });
  const need = (scope: Scope) =>
    function requireScope(_req: Request, res: Response, next: NextFunction) {
      if ((res.locals as ApiLocals).scopes.has(scope)) {
        next();
        return;
      }
      res
        .status(403)
        .set('WWW-Authenticate', `Bearer error="insufficient_scope", scope="${scope}"`)
        .json({ error: 'insufficient_scope', message: `This call needs the ${scope} scope.` });
    };

  api.get('/company', need('company:read'), (_req, res) => {
    res.json(directory.company);
  });
  api.get('/employees', need('employees:read'), (req, res) => {
    const page = Number(req.query.page ?? 1);
    const limit = Number(req.query.limit ?? 20);
    if (!Number.isInteger(page) || page < 1 || !Number.isInteger(limit) || limit < 1 || limit > 100) {
      res.status(400).json({ error: 'invalid_request', message: 'page must be >= 1 and limit 1-100.' });
      return;
    }
    const { data, total } = directory.list(page, limit);
    res.json({ data, page, limit, total, nextPage: page * limit < total ? page + 1 : null });
  });
  api.get('/employees/:id', need('employees:read'), (req, res) => {
    const employee = directory.get(String(req.params.id));
    if (!employee) {
      res.status(404).json({ error: 'not_found', message: 'No such employee.' });
      return;
    }
    res.json(employee);
  });
  api.post('/employees', need('employees:write'), (req, res) => {
    const body = req.body as Record<string, unknown> | undefined;
    const text = (v: unknown) => typeof v === 'string' && v.trim() !== '';
    if (!body || !text(body.firstName) || !text(body.lastName)) {
      res
        .status(400)
        .json({ error: 'invalid_request', message: 'firstName and lastName are required strings.' });
      return;
    }
    const optional = ['email', 'title', 'department'].find((k) => body[k] !== undefined && !text(body[k]));
    if (optional) {
      res.status(400).json({ error: 'invalid_request', message: `${optional} must be a non-empty string.` });
      return;
    }
    res.status(201).json(directory.add(body as { firstName: string; lastName: string }));
  });
  api.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status = (error as { status?: number }).status ?? 500;
    res
      .status(status >= 400 && status < 500 ? status : 500)
      .json({ error: 'invalid_request', message: 'The request could not be read.' });
  });
  app.use('/api', api);

  // Everything else is the authorization server.
  app.use(provider.callback());

  let server: Server | undefined;
  return {
    app,
    provider,
    directory,
    async listen(port, host) {
      const s = createServer(app);
      await new Promise<void>((resolve, reject) => {
        s.once('error', reject);
        s.listen({ port, ...(host ? { host } : {}) }, () => resolve());
      });
      server = s;
      const address = s.address();
      return {
        url: `http://localhost:${typeof address === 'object' && address ? address.port : port}`,
        server: s,
      };
    },
    async close() {
      if (!server) return;
      const s = server;
      server = undefined;
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    },
  };
}
