import { describe, expect, it } from 'vitest';
import { checkRedirectTarget, redirectWithOutcome } from './redirect-target.js';

describe('redirect targets', () => {
  it.each([
    '//evil.com',
    '/\\evil.com',
    '\\\\evil.com',
    '/ok\t/x',
    'https://evil.com',
    'evil.com',
    'javascript:x',
  ])('refuses %s', (target) => {
    expect(() => checkRedirectTarget(target, 'redirect.success', ['https://app.test'])).toThrow(TypeError);
  });

  it('accepts paths and allow-listed origins', () => {
    expect(checkRedirectTarget('/settings', 'x', [])).toBe('/settings');
    expect(checkRedirectTarget('https://app.test/s', 'x', ['https://app.test'])).toBe('https://app.test/s');
  });

  it('adds the outcome to the query, keeping what is there and staying relative', () => {
    expect(redirectWithOutcome('/settings?tab=2#x', { truto: 'connected' })).toBe(
      '/settings?tab=2&truto=connected#x',
    );
    expect(redirectWithOutcome('https://app.test/s', { error: 'a b' })).toBe('https://app.test/s?error=a+b');
  });
});
