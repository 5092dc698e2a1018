import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AuthMethodDefinition } from '../integrations/definition.js';
import { authorizationCodeMethod, startAuthorization } from './oauth-authorization.js';

const client = { clientId: 'cid', clientSecret: 'secret' };
const spec = {
  grant: 'authorization_code' as const,
  authorizeUrl: 'https://{subdomain}.provider.test/authorize',
  tokenUrl: 'https://{subdomain}.provider.test/token',
  scopes: ['read', 'write'],
  scopeSeparator: ',',
  authorizeParams: { prompt: 'consent', login_hint: '{hint}' },
};

describe('startAuthorization', () => {
  it('builds the authorization URL with the fields, state and an S256 PKCE challenge', async () => {
    const started = await startAuthorization(spec, client, {
      fields: { subdomain: 'acme' },
      scopes: undefined,
      redirectUri: 'https://platform.test/link/oauth/callback',
    });
    const url = new URL(started.url);
    expect(url.origin + url.pathname).toBe('https://acme.provider.test/authorize');
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      client_id: 'cid',
      redirect_uri: 'https://platform.test/link/oauth/callback',
      response_type: 'code',
      state: started.state,
      scope: 'read,write',
      code_challenge_method: 'S256',
      prompt: 'consent',
    });
    // An optional parameter whose field is absent is left out, not sent empty.
    expect(url.searchParams.has('login_hint')).toBe(false);
    expect(url.searchParams.get('code_challenge')).toBe(
      createHash('sha256').update(started.codeVerifier).digest('base64url'),
    );
    expect(url.searchParams.has('client_secret')).toBe(false);
  });

  it("takes the link token's scopes over the definition's, and fresh state each time", async () => {
    const request = { fields: { subdomain: 'acme' }, scopes: ['only'], redirectUri: 'https://p.test/cb' };
    const [a, b] = await Promise.all([
      startAuthorization(spec, client, request),
      startAuthorization(spec, client, request),
    ]);
    expect(new URL(a.url).searchParams.get('scope')).toBe('only');
    expect(a.state).not.toBe(b.state);
    expect(a.codeVerifier).not.toBe(b.codeVerifier);
  });
});

describe('authorizationCodeMethod', () => {
  it('finds an authorization-code method with an authorize URL, and nothing else', () => {
    const apply = { headers: {} };
    const methods: AuthMethodDefinition[] = [
      { format: 'api_key', label: 'Key', apply },
      {
        format: 'oauth2',
        label: 'OAuth',
        oauth2: { ...spec, authorizeUrl: undefined },
        apply,
      } as AuthMethodDefinition,
    ];
    expect(authorizationCodeMethod(methods)).toBeUndefined();
    const oauthMethod: AuthMethodDefinition = { format: 'oauth2', label: 'OAuth', oauth2: spec, apply };
    expect(authorizationCodeMethod([methods[0] as AuthMethodDefinition, oauthMethod])).toBe(oauthMethod);
  });
});
