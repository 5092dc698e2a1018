import { describe, expect, it } from 'vitest';
import { IntegrationDefinitionError } from '../errors.js';
import { IntegrationCatalogue, parseDefinition } from './catalogue.js';
import type { IntegrationDefinition } from './definition.js';
import { originPlaceholders } from './host-placeholders.js';
import { sandboxIntegration } from './sandbox-integration.js';
import { templateFixesOrigin } from './template.js';

const catalogue = IntegrationCatalogue.load();
const fieldPattern = (integration: string, format: string, field: string): RegExp => {
  const method = catalogue.get(integration)?.authMethods.find((m) => m.format === format);
  const all = [...(method?.fields ?? []), ...(method?.oauth2?.tokenResponseFields ?? [])];
  const pattern = all.find((f) => f.name === field)?.pattern;
  if (!pattern) throw new Error(`${integration} ${format} ${field} has no pattern`);
  return new RegExp(pattern);
};

describe('originPlaceholders', () => {
  it('finds the placeholders in the scheme and host only', () => {
    expect(originPlaceholders('{instance_url}')).toEqual(['instance_url']);
    expect(originPlaceholders('{instance_url}/services/x')).toEqual(['instance_url']);
    expect(originPlaceholders('https://{subdomain}.bamboohr.com/token.php?request=token')).toEqual([
      'subdomain',
    ]);
    expect(originPlaceholders('https://api.bamboohr.com/api/gateway.php/{subdomain}')).toEqual([]);
    expect(originPlaceholders('/v1/employees/{id}')).toEqual([]);
  });
});

describe('templateFixesOrigin: which URLs take their host from a value (and are guarded)', () => {
  it.each([
    'https://api.bamboohr.com/api/gateway.php/{subdomain}',
    'https://harvest.greenhouse.io',
    'http://127.0.0.1:4100/api',
    'https://auth.greenhouse.io/token?x={y}',
  ])('%s is fixed by the definition', (template) => {
    expect(templateFixesOrigin(template)).toBe(true);
  });

  it.each([
    '{instance_url}',
    '{instance_url}/services/data',
    'https://{subdomain}.bamboohr.com/token.php',
    'https://{hostname}/services/oauth2/token',
    'https://api.example.com{path}',
    'https://api.example.com:{port}/x',
    'https://{user}@api.example.com/',
    'https://api.example.com\\{x}',
    '//api.example.com/{x}',
  ])('%s takes its host from a value', (template) => {
    expect(templateFixesOrigin(template)).toBe(false);
  });
});

describe('host fields of the shipped definitions stay on the provider’s domains', () => {
  const salesforceHost = fieldPattern('salesforce', 'oauth2', 'hostname');
  const instanceUrl = fieldPattern('salesforce', 'oauth2', 'instance_url');

  it.each([
    'login.salesforce.com',
    'test.salesforce.com',
    'acme.my.salesforce.com',
    'acme--uat.sandbox.my.salesforce.com',
    'Acme.my.salesforce.com',
    'acme.lightning.force.com',
    'acme.my.salesforce.mil',
  ])('Salesforce login host %s is accepted', (host) => {
    expect(salesforceHost.test(host)).toBe(true);
  });

  it.each([
    'localhost',
    '127.0.0.1',
    '169.254.169.254',
    'salesforce.com.evil.example',
    'evilsalesforce.com',
    'acme.my.salesforce.com:8443',
    'acme.my.salesforce.com/x',
    'acme.my.salesforce.com@evil.example',
    '.salesforce.com',
    '-x.salesforce.com',
    'x..salesforce.com',
  ])('Salesforce login host %s is refused', (host) => {
    expect(salesforceHost.test(host)).toBe(false);
  });

  it.each(['https://acme.my.salesforce.com', 'https://na30.salesforce.com', 'https://usa77.salesforce.com'])(
    'Salesforce instance_url %s is accepted',
    (url) => {
      expect(instanceUrl.test(url)).toBe(true);
    },
  );

  it.each([
    'https://127.0.0.1',
    'https://localhost',
    'https://169.254.169.254',
    'http://acme.my.salesforce.com',
    'https://acme.my.salesforce.com.evil.example',
    'https://acme.my.salesforce.com:444',
    'https://acme.my.salesforce.com/path',
    'https://user@acme.my.salesforce.com',
    'https://metadata.google.internal',
  ])('Salesforce instance_url %s is refused', (url) => {
    expect(instanceUrl.test(url)).toBe(false);
  });

  it.each(['api_key', 'oauth2'])('BambooHR (%s) subdomain is one hostname label', (format) => {
    const subdomain = fieldPattern('bamboohr', format, 'subdomain');
    for (const ok of ['acme', 'acme-corp', 'a1']) expect(subdomain.test(ok)).toBe(true);
    for (const bad of [
      '',
      'acme.evil.example',
      'evil.example#',
      'acme/..',
      '-acme',
      'acme_',
      'a'.repeat(64),
    ]) {
      expect(subdomain.test(bad), bad).toBe(false);
    }
  });

  it('every shipped definition and the sandbox integration load with their host checks', () => {
    for (const name of catalogue.names()) expect(catalogue.get(name)).toBeDefined();
    expect(sandboxIntegration('http://localhost:4100').baseUrl).toBe('http://localhost:4100/api');
  });
});

describe('definitions whose hosts come from values', () => {
  const base = (patch: Partial<IntegrationDefinition>): unknown => ({
    name: 'hosty',
    label: 'Hosty',
    baseUrl: 'https://{host}',
    authMethods: [
      {
        format: 'api_key',
        label: 'API key',
        fields: [{ name: 'host', label: 'Host' }],
        apply: { headers: { 'X-Key': '{host}' } },
      },
    ],
    ...patch,
  });

  it('are refused when the host value is a field without a pattern', () => {
    expect(() => parseDefinition(base({}), 'test')).toThrow(IntegrationDefinitionError);
    expect(() => parseDefinition(base({}), 'test')).toThrow(/baseUrl takes its host from \{host\}/);
  });

  it('are refused when the host value comes from context (a provider answer)', () => {
    expect(() => parseDefinition(base({ baseUrl: '{api_host}/v1' }), 'test')).toThrow(
      /takes its host from \{api_host\}/,
    );
  });

  it('load when the field has a pattern', () => {
    const patterned = base({
      authMethods: [
        {
          format: 'api_key',
          label: 'API key',
          fields: [{ name: 'host', label: 'Host', pattern: '^[a-z]+\\.example\\.com$' }],
          apply: { headers: { 'X-Key': '{host}' } },
        },
      ],
    });
    expect(parseDefinition(patterned, 'test').name).toBe('hosty');
  });
});
