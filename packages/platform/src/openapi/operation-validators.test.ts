import { describe, expect, it } from 'vitest';
import { compileOperationValidators, compileResponseValidator } from './operation-validators.js';
import { loadOpenApiDocument } from './spec.js';

const doc = loadOpenApiDocument();
const validators = compileOperationValidators(doc);

describe('operation validators compiled from the spec', () => {
  it('cover every operation', () => {
    expect([...validators.keys()].sort()).toEqual([
      'createIntegratedAccount',
      'createLinkToken',
      'createMcpServer',
      'deleteIntegratedAccount',
      'getHealth',
      'getIntegratedAccount',
      'getJwks',
      'getOpenApiSpec',
      'listIntegratedAccounts',
      'listIntegrations',
      'listMcpServers',
      'listMcpToolCalls',
      'revokeMcpServer',
      'runPostInstallActions',
    ]);
  });

  it('coerce query values and apply defaults', () => {
    const list = validators.get('listIntegratedAccounts');
    expect(list?.query({ page: '3' })).toEqual({ ok: true, value: { page: 3, limit: 20 } });
    const bad = list?.query({ limit: '500', status: 'x' });
    expect(bad?.ok).toBe(false);
  });

  it('check bodies and say where the problem is', () => {
    const link = validators.get('createLinkToken');
    expect(link?.bodyRequired).toBe(true);
    expect(link?.body({ integration: 'a', scopes: ['x', 1] })).toEqual([
      { location: 'body.scopes[1]', message: 'must be string' },
    ]);
    expect(link?.body({ integration: 'a', redirectUri: 'https://x.test/cb' })).toEqual([]);
    expect(validators.get('createMcpServer')?.bodyRequired).toBe(false);
  });

  it('check responses: undeclared statuses and wrong shapes are flagged', () => {
    const validate = compileResponseValidator(doc);
    expect(validate('getIntegratedAccount', 418, {})[0]?.message).toMatch(/not a declared response/);
    expect(validate('getIntegratedAccount', 200, { id: 1 })).toHaveLength(1);
    expect(validate('deleteIntegratedAccount', 204, undefined)).toEqual([]);
  });
});
