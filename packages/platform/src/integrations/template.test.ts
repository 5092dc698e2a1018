import { describe, expect, it } from 'vitest';
import { placeholdersOf, renderOptionalTemplate, renderTemplate } from './template.js';

describe('renderTemplate', () => {
  it('fills placeholders, encoding when asked', () => {
    expect(renderTemplate('https://{sub}.x.test/{id}', { sub: 'acme', id: 'a/b' })).toBe(
      'https://acme.x.test/a/b',
    );
    expect(renderTemplate('/e/{id}', { id: 'a/b?c' }, { encode: true })).toBe('/e/a%2Fb%3Fc');
    expect(placeholdersOf('{a}/{b_2}')).toEqual(['a', 'b_2']);
  });

  it('throws a coded error for a missing value, or gives undefined when optional', () => {
    expect(() => renderTemplate('{nope}', {})).toThrow(
      expect.objectContaining({ code: 'missing_credential', status: 400, placeholder: 'nope' }),
    );
    expect(() => renderTemplate('https://{constructor}.example/{__proto__}', {})).toThrow(
      expect.objectContaining({ code: 'missing_credential', placeholder: 'constructor' }),
    );
    expect(renderOptionalTemplate('{sub}', {})).toBeUndefined();
    expect(renderOptionalTemplate('{sub}', { sub: '1' })).toBe('1');
  });
});
