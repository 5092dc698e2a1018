/**
 * An OAuth 2.0 authorization server that is not the sandbox: @node-oauth/oauth2-server (its
 * reference model in memory) behind Express, on a loopback port. Like many real servers it does
 * not URL-decode HTTP Basic credentials (it uses `basic-auth`, which only base64-decodes), so a
 * client id sent as `interop%2Dclient` is an unknown client. It auto-approves one user at
 * /authorize, issues codes (with PKCE), access and refresh tokens, client-credentials tokens,
 * and serves GET /api/me for a valid bearer token. Each token request records how the client
 * authenticated.
 */
import type { Server } from 'node:http';
import OAuth2Server, {
  type AuthorizationCode,
  type AuthorizationCodeModel,
  type Client,
  type ClientCredentialsModel,
  Request as OAuthRequest,
  Response as OAuthResponse,
  type RefreshToken,
  type RefreshTokenModel,
  type Token,
  type User,
} from '@node-oauth/oauth2-server';
import express, { type Request, type Response } from 'express';

export interface TokenRequestRecord {
  grantType: string;
  /** `basic` (Authorization header) or `body` (client_id/client_secret in the form). */
  clientAuth: 'basic' | 'body' | 'none';
  /** The client id exactly as the server received it (Basic: base64-decoded only). */
  receivedClientId: string | undefined;
  status: number;
}

export interface StrictOAuthServer {
  url: string;
  tokenRequests: TokenRequestRecord[];
  /** Registers the redirect URI of the client (known once the platform listens). */
  setRedirectUri(uri: string): void;
  close(): Promise<void>;
}

export async function startStrictOAuthServer(options: {
  clientId: string;
  clientSecret: string;
}): Promise<StrictOAuthServer> {
  const user: User = { id: 'user-1' };
  let redirectUris: string[] = [];
  const client = (): Client => ({
    id: options.clientId,
    redirectUris,
    grants: ['authorization_code', 'refresh_token', 'client_credentials'],
    accessTokenLifetime: 3600,
    refreshTokenLifetime: 86_400,
  });
  const codes = new Map<string, AuthorizationCode>();
  const tokens = new Map<string, Token>();
  const refreshTokens = new Map<string, Token>();

  const model: AuthorizationCodeModel & RefreshTokenModel & ClientCredentialsModel = {
    async getClient(clientId: string, clientSecret: string | null) {
      // No decoding of any kind: the id and secret must arrive exactly as registered.
      if (clientId !== options.clientId) return false;
      if (clientSecret !== null && clientSecret !== undefined && clientSecret !== options.clientSecret) {
        return false;
      }
      return client();
    },
    async saveToken(token: Token, savedClient: Client, savedUser: User) {
      const saved = { ...token, client: savedClient, user: savedUser };
      tokens.set(token.accessToken, saved);
      if (token.refreshToken) refreshTokens.set(token.refreshToken, saved);
      return saved;
    },
    async getAccessToken(accessToken: string) {
      return tokens.get(accessToken) ?? false;
    },
    async verifyScope() {
      return true;
    },
    async saveAuthorizationCode(code, savedClient: Client, savedUser: User) {
      const saved = { ...code, client: savedClient, user: savedUser } as AuthorizationCode;
      codes.set(code.authorizationCode, saved);
      return saved;
    },
    async getAuthorizationCode(authorizationCode: string) {
      return codes.get(authorizationCode) ?? false;
    },
    async revokeAuthorizationCode(code: AuthorizationCode) {
      return codes.delete(code.authorizationCode);
    },
    async getRefreshToken(refreshToken: string) {
      return (refreshTokens.get(refreshToken) as RefreshToken | undefined) ?? false;
    },
    async revokeToken(token: RefreshToken | Token) {
      return token.refreshToken ? refreshTokens.delete(token.refreshToken) : false;
    },
    async getUserFromClient() {
      return user;
    },
  };
  const oauth = new OAuth2Server({ model, allowEmptyState: false, requireClientAuthentication: {} });

  const tokenRequests: TokenRequestRecord[] = [];
  const app = express();
  app.use(express.urlencoded({ extended: false }));

  app.get('/authorize', async function authorize(req: Request, res: Response) {
    const response = new OAuthResponse();
    try {
      await oauth.authorize(new OAuthRequest(req), response, { authenticateHandler: { handle: () => user } });
    } catch {
      // The library has put the error (or the error redirect) on the response.
    }
    res.status(response.status ?? 500).set(response.headers ?? {});
    res.send(response.body);
  });

  app.post('/token', async function token(req: Request, res: Response) {
    const authorization = req.get('authorization');
    const basicId = authorization?.startsWith('Basic ')
      ? Buffer.from(authorization.slice(6), 'base64').toString('utf8').split(':')[0]
      : undefined;
    const response = new OAuthResponse();
    try {
      await oauth.token(new OAuthRequest(req), response, { requireClientAuthentication: {} });
    } catch {
      // As above: the error body and status are on the response.
    }
    tokenRequests.push({
      grantType: String(req.body?.grant_type),
      clientAuth: basicId !== undefined ? 'basic' : req.body?.client_secret ? 'body' : 'none',
      receivedClientId: basicId ?? req.body?.client_id,
      status: response.status ?? 500,
    });
    res.status(response.status ?? 500).set(response.headers ?? {});
    res.json(response.body);
  });

  app.get('/api/me', async function me(req: Request, res: Response) {
    try {
      const granted = await oauth.authenticate(new OAuthRequest(req), new OAuthResponse());
      res.json({ user: granted.user.id, client: granted.client.id });
    } catch (error) {
      res.status((error as { code?: number }).code ?? 401).json({ error: 'invalid_token' });
    }
  });

  const server: Server = await new Promise((resolve) => {
    const started = app.listen(0, '127.0.0.1', () => resolve(started));
  });
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    tokenRequests,
    setRedirectUri(uri) {
      redirectUris = [uri];
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
