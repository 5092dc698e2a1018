import { describe, expect, it } from 'vitest';
import { pickLocale, translator } from './messages.js';

describe('pickLocale', () => {
  it('takes own locales only: names of Object.prototype are not locales', () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'])
      expect(pickLocale(name, name)).toBe('en');
    expect(pickLocale(undefined, '__proto__, de;q=0.5')).toBe('de');
  });

  it('prefers lang, then the best Accept-Language match, then English', () => {
    expect(pickLocale('de', 'en')).toBe('de');
    expect(pickLocale(undefined, 'fr, de;q=0.8, en;q=0.5')).toBe('de');
    expect(pickLocale(undefined, undefined)).toBe('en');
  });
});

describe('translator', () => {
  it('fills own values only and leaves other placeholders as they are', () => {
    const t = translator('en');
    expect(t('title', { integration: 'Acme' })).toBe('Connect Acme');
    expect(t('title', Object.create({ integration: 'inherited' }) as Record<string, string>)).toBe(
      'Connect {integration}',
    );
  });
});
