import { describe, expect, it } from 'vitest';
import { trutoConnect } from './express.js';
import type { TrutoConnectOptions } from './options.js';

const valid = (): TrutoConnectOptions => ({
  baseUrl: 'https://connect.acme.test',
  apiToken: 'tc_api_x',
  externalId: () => 'user-1',
  onConnected: async () => undefined,
});

const attempt = (overrides: Record<string, unknown>) => () =>
  trutoConnect({ ...valid(), ...overrides } as TrutoConnectOptions);

describe('trutoConnect options, validated at creation', () => {
  it('accepts the documented options and returns a named middleware', () => {
    const middleware = trutoConnect({
      ...valid(),
      onEvent: async () => undefined,
      integrations: ['acmehr'],
      redirect: {
        success: '/settings?tab=1',
        failure: 'https://app.acme.test/oops',
        allowedOrigins: ['https://app.acme.test'],
      },
      publicUrl: 'https://app.acme.test',
      store: { claim: async () => true },
      tenantId: 'ten_1',
      onError: () => undefined,
    });
    expect(middleware.name).toBe('trutoConnectMiddleware');
  });

  it.each([
    [{ baseUrl: undefined }, /baseUrl/],
    [{ baseUrl: 'ftp://connect.acme.test' }, /baseUrl must be an absolute http\(s\) URL/],
    [{ baseUrl: 'connect.acme.test' }, /baseUrl/],
    [{ baseUrl: 'https://user:pw@connect.acme.test' }, /baseUrl/],
    [{ apiToken: '' }, /apiToken/],
    [{ apiToken: undefined }, /apiToken/],
    [{ externalId: undefined }, /externalId must be a function/],
    [{ externalId: 'user-1' }, /externalId must be a function/],
    [{ onConnected: undefined }, /onConnected must be a function/],
    [{ onEvent: true }, /onEvent must be a function/],
    [{ onError: 1 }, /onError must be a function/],
    [{ integrations: [] }, /integrations/],
    [{ integrations: 'acmehr' }, /integrations/],
    [{ publicUrl: 'javascript:alert(1)' }, /publicUrl/],
    [{ store: {} }, /store must be an object with a claim/],
    [{ store: { claim: async () => true, release: 'no' } }, /store.release/],
    [{ tenantId: '' }, /tenantId/],
    [{ redirect: { succes: '/x' } }, /unknown option "redirect.succes"/],
    [{ redirect: { success: '//evil.com' } }, /redirect.success must be a path on this app/],
    [{ redirect: { failure: '/\\evil.com' } }, /redirect.failure must not contain backslashes/],
    [{ redirect: { success: 'https://evil.com/' } }, /redirect.success is on https:\/\/evil.com/],
    [{ redirect: { success: 'javascript:alert(1)' } }, /redirect.success must be an http\(s\) URL/],
    [{ redirect: { success: '/ok\n/x' } }, /control characters/],
    [{ redirect: { success: 'settings' } }, /redirect.success must be a path/],
    [{ redirect: { allowedOrigins: ['https://app.test/path'] } }, /origins/],
    [{ apitoken: 'typo' }, /unknown option "apitoken"/],
  ])('%o -> TypeError naming the option', (overrides, message) => {
    expect(attempt(overrides)).toThrow(TypeError);
    expect(attempt(overrides)).toThrow(message);
  });

  it('allows an absolute redirect on the public URL or an allowed origin only', () => {
    expect(
      attempt({ publicUrl: 'https://app.acme.test', redirect: { success: 'https://app.acme.test/s' } }),
    ).not.toThrow();
    expect(
      attempt({
        publicUrl: 'https://app.acme.test',
        redirect: { success: 'https://app.acme.test.evil.com/s' },
      }),
    ).toThrow(TypeError);
  });
});
