import { describe, expect, it } from 'vitest';
import { InvalidHeaderError, parseHeader } from './stdio-bridge.js';

describe('parseHeader (mcp-stdio --header)', () => {
  it('splits at the first colon and trims', () => {
    expect(parseHeader('Authorization: Bearer tc_x')).toEqual(['Authorization', 'Bearer tc_x']);
    expect(parseHeader('X-Trace:a:b')).toEqual(['X-Trace', 'a:b']);
  });
  it('refuses what is not "Name: value"', () => {
    for (const bad of ['Authorization', ': x', 'Bad Name: x', 'X-Empty:', 'X-Split: a\r\nInjected: b']) {
      expect(() => parseHeader(bad), bad).toThrow(InvalidHeaderError);
    }
  });
});
