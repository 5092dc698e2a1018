import { describe, expect, it } from 'vitest';
import { IntegrationCatalogue } from './catalogue.js';
import { listIntegrations } from './catalogue-listing.js';
import type { IntegrationDefinition } from './definition.js';

const def = (name: string, category?: string): IntegrationDefinition => ({
  name,
  label: name.toUpperCase(),
  ...(category === undefined ? {} : { category }),
  baseUrl: 'https://api.example.com',
  authMethods: [
    {
      format: 'oauth2',
      label: 'Sign in',
      oauth2: {
        grant: 'authorization_code',
        authorizeUrl: 'https://a.example/a',
        tokenUrl: 'https://a.example/t',
      },
      apply: { headers: { Authorization: 'Bearer {access_token}' } },
    },
    {
      format: 'oauth2_client_credentials',
      label: 'Client credentials',
      fields: [
        { name: 'client_id', label: 'Client ID' },
        { name: 'client_secret', label: 'Client secret', secret: true },
      ],
      oauth2: { grant: 'client_credentials', tokenUrl: 'https://a.example/t' },
      apply: { headers: { Authorization: 'Bearer {access_token}' } },
    },
  ],
});

describe('listIntegrations', () => {
  const catalogue = new IntegrationCatalogue([def('zeta', 'crm'), def('alpha', 'hris'), def('plain')]);
  const none = () => false;

  it('lists by name; a category with nothing in it is an empty list', () => {
    expect(listIntegrations(catalogue, { hasOAuthClient: none }).data.map((i) => i.name)).toEqual([
      'alpha',
      'plain',
      'zeta',
    ]);
    expect(
      listIntegrations(catalogue, { category: 'crm', hasOAuthClient: none }).data.map((i) => i.name),
    ).toEqual(['zeta']);
    expect(listIntegrations(catalogue, { category: 'files', hasOAuthClient: none })).toEqual({ data: [] });
  });

  it('says whether an OAuth app is configured only on the sign-in method, per integration', () => {
    const listed = listIntegrations(catalogue, { hasOAuthClient: (name) => name === 'alpha' }).data;
    expect(listed.map((i) => i.authMethods.map((m) => m.oauthClientConfigured))).toEqual([
      [true, undefined],
      [false, undefined],
      [false, undefined],
    ]);
    // A client-credentials method's client id and secret are fields a person enters, listed as such.
    expect(listed[0]?.authMethods[1]?.fields).toEqual([
      { name: 'client_id', label: 'Client ID', required: true, secret: false },
      { name: 'client_secret', label: 'Client secret', required: true, secret: true },
    ]);
  });
});
