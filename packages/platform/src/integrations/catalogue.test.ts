import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fieldPattern, IntegrationCatalogue, parseDefinition } from './catalogue.js';
import type { FieldDefinition } from './definition.js';

const minimal = {
  name: 'mini',
  label: 'Mini',
  baseUrl: 'https://api.mini.test',
  authMethods: [
    {
      format: 'api_key',
      label: 'Key',
      fields: [
        { name: 'api_key', label: 'Key', secret: true },
        { name: 'region', label: 'Region' },
      ],
      apply: { headers: { 'X-Key': '{api_key}' } },
    },
  ],
};

describe('the shipped catalogue', () => {
  it('has bamboohr, greenhouse and salesforce, all valid', () => {
    const catalogue = IntegrationCatalogue.load();
    // The whole folder is counted in shipped-definitions.test.ts; these three are the oldest.
    expect(catalogue.names()).toEqual(expect.arrayContaining(['bamboohr', 'greenhouse', 'salesforce']));
    expect(catalogue.get('bamboohr')?.authMethods.map((m) => m.format)).toEqual(['api_key', 'oauth2']);
    // Harvest v1/v2 are gone: Greenhouse is v3 with client credentials only.
    const greenhouse = catalogue.get('greenhouse');
    expect(greenhouse?.authMethods.map((m) => m.format)).toEqual(['oauth2_client_credentials']);
    expect(greenhouse?.authMethods[0]?.oauth2?.tokenUrl).toBe('https://auth.greenhouse.io/token');
    expect(greenhouse?.postInstall?.[0]?.request.path).toBe('/v3/users');
    expect(catalogue.get('salesforce')?.baseUrl).toBe('{instance_url}');
  });
});

describe('definitions', () => {
  it('are checked against the schema, naming the problem', () => {
    expect(() => parseDefinition({ ...minimal, name: 'Bad Name' }, 'x.json')).toThrow(
      expect.objectContaining({
        code: 'invalid_integration_definition',
        message: expect.stringContaining('/name'),
      }),
    );
    expect(() => parseDefinition({ ...minimal, authMethods: [] }, 'x.json')).toThrow(/authMethods/);
    const oauthWithoutSettings = { ...minimal, authMethods: [{ format: 'oauth2', label: 'o', apply: {} }] };
    expect(() => parseDefinition(oauthWithoutSettings, 'x.json')).toThrow(/oauth2/);
  });

  it('may not copy a secret field into context', () => {
    const leaky = {
      ...minimal,
      postInstall: [
        { id: 's', request: { method: 'GET', path: '/' }, context: { k: '$credentials.api_key' } },
      ],
    };
    expect(() => parseDefinition(leaky, 'x.json')).toThrow(/secret/);
    const fine = {
      ...minimal,
      postInstall: [
        { id: 's', request: { method: 'GET', path: '/' }, context: { r: '$credentials.region' } },
      ],
    };
    expect(parseDefinition(fine, 'x.json').name).toBe('mini');
  });

  it('refuses a backoff longer than the longest wait it may retry after', () => {
    expect(() => parseDefinition({ ...minimal, rateLimit: { backoffMs: 6000 } }, 'x.json')).toThrow(
      /rateLimit.backoffMs 6000 is over maxWaitMs/,
    );
    expect(() =>
      parseDefinition({ ...minimal, rateLimit: { backoffMs: 2000, maxWaitMs: 1000 } }, 'x.json'),
    ).toThrow(/over maxWaitMs/);
    expect(parseDefinition({ ...minimal, rateLimit: { backoffMs: 5000 } }, 'x.json').name).toBe('mini');
  });

  it('reads $selected only in a step that selects an item', () => {
    const step = {
      id: 's',
      request: { method: 'GET', path: '/sites' },
      context: { site_id: '$selected.id' },
    };
    expect(() => parseDefinition({ ...minimal, postInstall: [step] }, 'x.json')).toThrow(
      /maps context.site_id from \$selected.id but selects no item/,
    );
    const selecting = { ...step, select: { items: '$response.body.sites', where: { region: '{region}' } } };
    expect(parseDefinition({ ...minimal, postInstall: [selecting] }, 'x.json').name).toBe('mini');
    for (const where of [{ region: '{api_key}' }, { region: '{regoin}' }]) {
      const refused = { ...selecting, select: { items: '$response.body.sites', where } };
      expect(() => parseDefinition({ ...minimal, postInstall: [refused] }, 'x.json')).toThrow(
        /select.where.region uses \{(api_key|regoin)\}, which is neither a non-secret field nor a context key kept by an earlier step/,
      );
    }
    const earlier = {
      id: 'first',
      request: { method: 'GET', path: '/me' },
      context: { home: '$response.body.home' },
    };
    const byContext = { ...selecting, select: { items: '$response.body.sites', where: { url: '{home}' } } };
    expect(parseDefinition({ ...minimal, postInstall: [earlier, byContext] }, 'x.json').name).toBe('mini');
    expect(() => parseDefinition({ ...minimal, postInstall: [byContext, earlier] }, 'x.json')).toThrow(
      /\{home\}/,
    );
    const badPath = { ...selecting, select: { items: 'sites' } };
    expect(() => parseDefinition({ ...minimal, postInstall: [badPath] }, 'x.json')).toThrow(/select\/items/);
  });

  it('refuses a field pattern that is not a regular expression, and compiles each pattern once', () => {
    const withPattern = (pattern: string) => ({
      ...minimal,
      authMethods: [{ ...minimal.authMethods[0], fields: [{ name: 'region', label: 'Region', pattern }] }],
    });
    expect(() => parseDefinition(withPattern('^(eu'), 'x.json')).toThrow(/pattern/);
    const field = parseDefinition(withPattern('^(eu|us)$'), 'x.json').authMethods[0]?.fields?.[0];
    const compiled = fieldPattern(field as FieldDefinition);
    expect(compiled?.test('eu')).toBe(true);
    expect(fieldPattern(field as FieldDefinition)).toBe(compiled);
  });

  it('refuses duplicate methods', () => {
    const m = { name: 'a', description: 'a', request: { method: 'GET', path: '/' } };
    expect(() => parseDefinition({ ...minimal, methods: [m, m] }, 'x.json')).toThrow(/twice/);
  });

  it('load from extra folders, which can replace shipped ones', () => {
    const dir = mkdtempSync(join(tmpdir(), 'truto-defs-'));
    writeFileSync(join(dir, 'mini.json'), JSON.stringify(minimal));
    writeFileSync(
      join(dir, 'bamboohr.json'),
      JSON.stringify({ ...minimal, name: 'bamboohr', label: 'Custom' }),
    );
    const catalogue = IntegrationCatalogue.load([dir]);
    expect(catalogue.has('mini')).toBe(true);
    expect(catalogue.get('bamboohr')?.label).toBe('Custom');
    writeFileSync(join(dir, 'broken.json'), '{');
    expect(() => IntegrationCatalogue.load([dir])).toThrow(/broken.json: not valid JSON/);
    expect(() => IntegrationCatalogue.load([join(dir, 'missing')])).toThrow(/cannot read/);
  });
});
