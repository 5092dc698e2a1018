import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createPlatform } from './platform.js';
import { checkPlatformOptions } from './platform-options.js';

describe('checkPlatformOptions', () => {
  it('accepts what the documentation shows', () => {
    expect(() =>
      checkPlatformOptions({
        database: 'sqlite::memory:',
        webhooks: { pollMs: 100, maxAttempts: 3 },
        oauthClients: { acmehr: { clientId: 'c', clientSecret: 's' } },
        integrations: [],
        migrate: true,
        logger: pino({ level: 'silent' }),
      }),
    ).not.toThrow();
    expect(() => checkPlatformOptions({ webhooks: false })).not.toThrow();
    expect(() => checkPlatformOptions(undefined)).not.toThrow();
  });

  it('names an unknown option, at the top and inside webhooks and oauthClients', () => {
    expect(() => checkPlatformOptions({ databse: 'x' })).toThrow(TypeError);
    expect(() => checkPlatformOptions({ databse: 'x' })).toThrow(/unknown option "databse"/);
    expect(() => checkPlatformOptions({ webhooks: { pollMS: 5 } })).toThrow(
      /webhooks: unknown option "pollMS"/,
    );
    expect(() =>
      checkPlatformOptions({ oauthClients: { acmehr: { clientId: 'c', clientSecret: 's', secret: 'x' } } }),
    ).toThrow(/oauthClients\.acmehr: unknown option "secret"/);
  });

  it('names a malformed value', () => {
    expect(() => checkPlatformOptions({ webhooks: { timeoutMs: -1 } })).toThrow(
      new TypeError('webhooks.timeoutMs must be a positive integer'),
    );
    expect(() => checkPlatformOptions({ webhooks: true })).toThrow(/webhooks must be false or an object/);
    expect(() => checkPlatformOptions({ oauthClients: { acmehr: { clientId: 'c' } } })).toThrow(
      new TypeError('oauthClients.acmehr.clientSecret must be a non-empty string'),
    );
    expect(() => checkPlatformOptions({ oauthClients: { acmehr: 'c:s' } })).toThrow(TypeError);
    expect(() => checkPlatformOptions({ integrations: 'defs' })).toThrow(/integrations must be an array/);
    expect(() => checkPlatformOptions({ linkTokenTtlSeconds: 1.5 })).toThrow(/linkTokenTtlSeconds/);
    expect(() => checkPlatformOptions({ migrate: 'yes' })).toThrow(/migrate must be a boolean/);
  });

  it('is where createPlatform starts: nothing is opened for bad options', async () => {
    await expect(createPlatform({ webhooks: { pollMs: 0 } })).rejects.toThrow(TypeError);
    // @ts-expect-error an unknown option, as JavaScript callers can pass
    await expect(createPlatform({ oauthClient: {} })).rejects.toThrow(/unknown option "oauthClient"/);
  });
});
