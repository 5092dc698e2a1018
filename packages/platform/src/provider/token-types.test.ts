import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenExchange } from '../../test/support/contract.js';
import { json, type ProviderServer, startProviderServer } from '../../test/support/provider-server.js';
import type { AuthMethodDefinition, IntegrationDefinition } from '../integrations/definition.js';
import { callProvider } from './provider-client.js';
import { refreshCredentials } from './token-refresh.js';

/**
 * Token answers whose `token_type` is not `bearer`: oauth4webapi refuses unknown names unless
 * told; Slack's oauth.v2.access answers `bot` (https://docs.slack.dev/reference/methods/oauth.v2.access).
 */
const slackLike = (tokenUrl: string): IntegrationDefinition => ({
  name: 'slacklike',
  label: 'Slack-like',
  baseUrl: 'https://slack.com/api',
  authMethods: [
    {
      format: 'oauth2',
      label: 'Sign in',
      oauth2: {
        grant: 'authorization_code',
        authorizeUrl: 'https://slack.com/oauth/v2/authorize',
        tokenUrl,
        scopes: ['channels:read'],
        scopeSeparator: ',',
        clientAuth: 'body',
      },
      apply: { headers: { Authorization: 'Bearer {access_token}' } },
    },
  ],
});

describe('token_type values real providers send', () => {
  let provider: ProviderServer;
  beforeAll(async () => {
    provider = await startProviderServer();
  });
  afterAll(async () => {
    await provider?.close();
  });

  for (const tokenType of ['bot', 'user', 'Bearer', 'BEARER', 'bearer']) {
    it(`keeps an authorization-code token of type "${tokenType}"`, async () => {
      const { credentials } = await tokenExchange(slackLike('https://slack.com/api/oauth.v2.access'), {
        body: { ok: true, access_token: 'xoxb-17653672481', token_type: tokenType, scope: 'channels:read' },
      });
      expect(credentials).toEqual({ access_token: 'xoxb-17653672481' });
    });
  }

  it('still refuses a token type nobody sends (mac) and a missing access token', async () => {
    const def = slackLike('https://slack.com/api/oauth.v2.access');
    await expect(tokenExchange(def, { body: { access_token: 'a', token_type: 'mac' } })).rejects.toThrow(
      /token_type/,
    );
    await expect(tokenExchange(def, { body: { ok: false, error: 'invalid_code' } })).rejects.toThrow();
  });

  it('refreshes a token whose answer says "bot"', async () => {
    provider.route('POST /oauth.v2.access', (_req, res) =>
      json(res, 200, {
        ok: true,
        access_token: 'xoxe.xoxb-new',
        token_type: 'bot',
        refresh_token: 'xoxe-1-new',
        expires_in: 43200,
      }),
    );
    const method = slackLike(`${provider.url}/oauth.v2.access`).authMethods[0] as AuthMethodDefinition;
    const refreshed = await refreshCredentials(
      method,
      { access_token: 'xoxe.xoxb-old', refresh_token: 'xoxe-1-old' },
      { clientId: 'cid', clientSecret: 'secret' },
    );
    expect(refreshed).toMatchObject({ access_token: 'xoxe.xoxb-new', refresh_token: 'xoxe-1-new' });
    expect(new URLSearchParams(provider.requests.at(-1)?.body).get('grant_type')).toBe('refresh_token');
  });

  it('uses a client-credentials token whose answer says "Bearer" or "bot"', async () => {
    for (const tokenType of ['Bearer', 'bot']) {
      provider.route('POST /token', (_req, res) =>
        json(res, 200, { access_token: `cc-${tokenType}`, token_type: tokenType, expires_in: 3600 }),
      );
      provider.route('GET /v1/me', (req, res) => json(res, 200, { auth: req.headers.authorization }));
      const definition: IntegrationDefinition = {
        name: 'cc',
        label: 'CC',
        baseUrl: provider.url,
        authMethods: [
          {
            format: 'oauth2_client_credentials',
            label: 'Client credentials',
            oauth2: { grant: 'client_credentials', tokenUrl: `${provider.url}/token`, clientAuth: 'basic' },
            apply: { headers: { Authorization: 'Bearer {access_token}' } },
          },
        ],
      };
      const answer = await callProvider(
        {
          definition,
          method: definition.authMethods[0] as AuthMethodDefinition,
          credentials: { client_id: 'cid', client_secret: 'secret' },
          context: {},
        },
        { method: 'GET', path: '/v1/me' },
      );
      expect(answer.body).toEqual({ auth: `Bearer cc-${tokenType}` });
    }
  });
});
