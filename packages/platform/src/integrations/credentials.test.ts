import { describe, expect, it } from 'vitest';
import { IntegrationCatalogue } from './catalogue.js';
import {
  checkEnteredFields,
  expiryAfter,
  fitsField,
  MAX_TOKEN_LIFETIME_SECONDS,
  resolveCredentials,
} from './credentials.js';
import type { FieldDefinition } from './definition.js';

const catalogue = IntegrationCatalogue.load();
const def = (name: string) => {
  const d = catalogue.get(name);
  if (!d) throw new Error(name);
  return d;
};

describe('resolveCredentials', () => {
  it('picks the method whose fields are all present', () => {
    expect(resolveCredentials(def('bamboohr'), { subdomain: 'acme', api_key: 'k' }).method.format).toBe(
      'api_key',
    );
    expect(resolveCredentials(def('bamboohr'), { subdomain: 'acme', access_token: 't' }).method.format).toBe(
      'oauth2',
    );
  });

  it('names what is missing for the closest method', () => {
    expect(() => resolveCredentials(def('bamboohr'), { api_key: 'k' })).toThrow(
      expect.objectContaining({
        code: 'missing_credential',
        message: expect.stringContaining('"subdomain"'),
      }),
    );
    expect(() => resolveCredentials(def('greenhouse'), { client_id: 'c' })).toThrow(/"client_secret"/);
    expect(() => resolveCredentials(def('salesforce'), { access_token: 't' })).toThrow(/"instance_url"/);
  });

  it('follows an explicit authFormat', () => {
    expect(() => resolveCredentials(def('bamboohr'), { subdomain: 'a', api_key: 'k' }, 'oauth2')).toThrow(
      /"access_token"/,
    );
    expect(() => resolveCredentials(def('bamboohr'), {}, 'saml')).toThrow(
      expect.objectContaining({
        code: 'invalid_request',
        message: expect.stringContaining('api_key, oauth2'),
      }),
    );
  });

  it('checks patterns and types, fills defaults and turns expires_in into expires_at', () => {
    expect(() => resolveCredentials(def('bamboohr'), { subdomain: 'a.b', api_key: 'k' })).toThrow(
      expect.objectContaining({ code: 'invalid_credential' }),
    );
    expect(() => resolveCredentials(def('bamboohr'), { subdomain: 'a', api_key: 5 })).toThrow(
      /must be a string/,
    );
    const sf = resolveCredentials(def('salesforce'), {
      access_token: 't',
      instance_url: 'https://acme.my.salesforce.com',
      expires_in: 3600,
    });
    expect(sf.credentials.hostname).toBe('login.salesforce.com');
    expect(Date.parse(sf.credentials.expires_at as string)).toBeGreaterThan(Date.now() + 3_500_000);
    expect(() =>
      resolveCredentials(def('salesforce'), { access_token: 't', instance_url: 'http://evil.test' }),
    ).toThrow(/instance_url/);
    expect(() =>
      resolveCredentials(def('greenhouse'), { client_id: 'c', client_secret: 's', sub: 'me' }),
    ).toThrow(/sub/);
  });

  it('refuses token lifetimes no date can hold, with a 400 code instead of a RangeError', () => {
    const oauth = { subdomain: 'acme', access_token: 't' };
    for (const expires_in of [1e300, MAX_TOKEN_LIFETIME_SECONDS + 1, '1e300', Number.MAX_VALUE]) {
      expect(
        () => resolveCredentials(def('bamboohr'), { ...oauth, expires_in }, 'oauth2'),
        String(expires_in),
      ).toThrow(expect.objectContaining({ code: 'invalid_credential' }));
    }
    expect(() =>
      resolveCredentials(def('bamboohr'), { ...oauth, expires_at: '+999999-01-01T00:00:00Z' }, 'oauth2'),
    ).toThrow(expect.objectContaining({ code: 'invalid_credential' }));
  });
});

describe('expiryAfter', () => {
  it('clamps a provider lifetime to the bound, and nonsense to now', () => {
    const now = Date.UTC(2026, 0, 1);
    expect(expiryAfter(60, now)).toBe('2026-01-01T00:01:00.000Z');
    expect(expiryAfter(1e300, now)).toBe(new Date(now + MAX_TOKEN_LIFETIME_SECONDS * 1000).toISOString());
    expect(expiryAfter(Number.NaN, now)).toBe(new Date(now).toISOString());
    expect(expiryAfter(-5, now)).toBe(new Date(now).toISOString());
  });
});

describe('checkEnteredFields', () => {
  const fields: FieldDefinition[] = [
    { name: 'subdomain', label: 'Subdomain', pattern: '^[a-z0-9-]+$' },
    { name: 'api_key', label: 'API key', secret: true },
    { name: 'region', label: 'Region', required: false },
    { name: 'host', label: 'Host', default: 'login.example.com' },
  ];

  it('trims, takes strings of the given fields only, and never hands secrets back', () => {
    const checked = checkEnteredFields(fields, {
      subdomain: ' acme ',
      api_key: 'k',
      other: 'x',
      region: ['eu'],
    });
    expect(checked).toEqual({
      input: { subdomain: 'acme', api_key: 'k' },
      values: { subdomain: 'acme' },
      problems: {},
    });
  });

  it('names each missing or invalid field; optional and defaulted fields may be empty', () => {
    expect(checkEnteredFields(fields, { subdomain: 'Not Valid!', api_key: '   ' }).problems).toEqual({
      subdomain: 'invalid',
      api_key: 'missing',
    });
  });

  it('reads own properties only', () => {
    const inherited = Object.create({ subdomain: 'acme', api_key: 'k' }) as Record<string, unknown>;
    expect(checkEnteredFields(fields, inherited).problems).toEqual({
      subdomain: 'missing',
      api_key: 'missing',
    });
  });

  it('refuses a value outside a field’s options, as invalid, like a pattern mismatch', () => {
    const withChoice: FieldDefinition[] = [
      {
        name: 'region',
        label: 'Region',
        options: [
          { value: 'eu', label: 'Europe' },
          { value: 'us', label: 'United States' },
        ],
      },
    ];
    expect(checkEnteredFields(withChoice, { region: 'us' }).problems).toEqual({});
    for (const region of ['ap', 'EU', 'eu ', 'Europe', 'constructor']) {
      // ' eu ' is trimmed to a valid choice; 'eu ' likewise; the rest are not choices.
      const expected = region.trim() === 'eu' ? {} : { region: 'invalid' };
      expect(checkEnteredFields(withChoice, { region }).problems, region).toEqual(expected);
    }
  });
});

describe('fitsField', () => {
  const region: FieldDefinition = {
    name: 'region',
    label: 'Region',
    pattern: '^[a-z]+$',
    options: [{ value: 'eu', label: 'Europe' }],
  };

  it('takes only one of the options, and still the pattern', () => {
    expect(fitsField(region, 'eu')).toBe(true);
    expect(fitsField(region, 'us')).toBe(false);
    expect(fitsField({ ...region, options: [{ value: 'EU', label: 'Europe' }] }, 'EU')).toBe(false);
    expect(fitsField({ name: 'x', label: 'X' }, 'anything')).toBe(true);
  });

  it('makes resolveCredentials refuse a value outside the options with invalid_credential', () => {
    const def = {
      name: 'choice',
      label: 'Choice',
      baseUrl: 'https://api.example.com',
      authMethods: [
        {
          format: 'api_key' as const,
          label: 'Key',
          fields: [region, { name: 'api_key', label: 'Key', secret: true }],
          apply: { headers: { 'X-Key': '{api_key}' } },
        },
      ],
    };
    expect(resolveCredentials(def, { region: 'eu', api_key: 'k' }).credentials).toEqual({
      region: 'eu',
      api_key: 'k',
    });
    expect(() => resolveCredentials(def, { region: 'us', api_key: 'k' })).toThrow(
      expect.objectContaining({
        code: 'invalid_credential',
        message: 'credential "region" must be one of "eu"',
      }),
    );
  });
});
