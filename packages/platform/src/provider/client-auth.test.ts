import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clientSecretBasic, formUrlEncode } from './client-auth.js';

const basicOf = (clientId: string, secret: string) => {
  const headers = new Headers();
  clientSecretBasic(secret)(
    { issuer: 'https://as.test' },
    { client_id: clientId },
    new URLSearchParams(),
    headers,
  );
  const value = headers.get('authorization') ?? '';
  expect(value.startsWith('Basic ')).toBe(true);
  return Buffer.from(value.slice(6), 'base64').toString('utf8');
};

describe('formUrlEncode (application/x-www-form-urlencoded, RFC 6749 2.3.1)', () => {
  it('leaves letters, digits and *-._ as they are', () => {
    expect(formUrlEncode('interop-client')).toBe('interop-client');
    expect(formUrlEncode('A.b_C-9*')).toBe('A.b_C-9*');
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9*\-._]*$/), (value) => formUrlEncode(value) === value),
    );
  });

  it('encodes everything else, a space as +, and decodes back to the original', () => {
    expect(formUrlEncode('a b:c/d~e!f%')).toBe('a+b%3Ac%2Fd%7Ee%21f%25');
    expect(formUrlEncode('ü')).toBe('%C3%BC');
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (value) => {
        const encoded = formUrlEncode(value);
        return (
          /^[A-Za-z0-9*\-._+%]*$/.test(encoded) && new URLSearchParams(`v=${encoded}`).get('v') === value
        );
      }),
    );
  });
});

describe('clientSecretBasic', () => {
  it('sends id and secret form-encoded, joined by a colon', () => {
    expect(basicOf('interop-client', 'interop-secret_v1.0*x')).toBe('interop-client:interop-secret_v1.0*x');
    expect(basicOf('id:with colon', 's/ecret')).toBe('id%3Awith+colon:s%2Fecret');
  });
});
