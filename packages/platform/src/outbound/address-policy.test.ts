import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyAddress, isIpLiteral } from './address-policy.js';

const v4 = (a: number, b: number, c: number, d: number) => `${a}.${b}.${c}.${d}`;
const octet = fc.integer({ min: 0, max: 255 });
const hextet = fc.integer({ min: 0, max: 0xffff }).map((n) => n.toString(16));

/** IPv4 addresses inside `first.second/prefix`-style blocks, generated. */
function inBlock(base: [number, number, number, number], prefix: number) {
  const baseNumber = ((base[0] << 24) | (base[1] << 16) | (base[2] << 8) | base[3]) >>> 0;
  const size = 2 ** (32 - prefix);
  return fc.integer({ min: 0, max: size - 1 }).map((offset) => {
    const n = (baseNumber + offset) >>> 0;
    return v4(n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255);
  });
}

const refusedV4Blocks: Array<[string, [number, number, number, number], number]> = [
  ['unspecified', [0, 0, 0, 0], 8],
  ['private', [10, 0, 0, 0], 8],
  ['private', [172, 16, 0, 0], 12],
  ['private', [192, 168, 0, 0], 16],
  ['carrierGradeNat', [100, 64, 0, 0], 10],
  ['linkLocal', [169, 254, 0, 0], 16],
  ['loopback', [127, 0, 0, 0], 8],
  ['multicast', [224, 0, 0, 0], 4],
  ['reserved', [240, 0, 0, 0], 4],
];

describe('classifyAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['0.0.0.0', 'unspecified'],
    ['169.254.169.254', 'linkLocal'],
    ['10.1.2.3', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.0.1', 'private'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['255.255.255.255', 'broadcast'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fc00::1', 'uniqueLocal'],
    ['fd12:3456::1', 'uniqueLocal'],
    ['fe80::1', 'linkLocal'],
    ['febf::1', 'linkLocal'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:169.254.169.254', 'linkLocal'],
    ['::ffff:a9fe:a9fe', 'linkLocal'],
    ['64:ff9b::a9fe:a9fe', 'rfc6052'],
    ['2002:7f00:1::', '6to4'],
    ['::7f00:1', 'ipv4Compatible'],
    ['not-an-ip', 'invalid'],
  ])('refuses %s (%s)', (address, range) => {
    expect(classifyAddress(address)).toMatchObject({ range, allowed: false });
  });

  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700::1111', '::ffff:8.8.8.8'])(
    'allows the global address %s',
    (address) => {
      expect(classifyAddress(address)).toMatchObject({ range: 'unicast', allowed: true });
    },
  );

  for (const [range, base, prefix] of refusedV4Blocks) {
    it(`refuses every address of ${base.join('.')}/${prefix}, also written as IPv4-mapped IPv6`, () => {
      fc.assert(
        fc.property(inBlock(base, prefix), (address) => {
          // 255.255.255.255 sits in 240.0.0.0/4 but has a range name of its own.
          const expected = address === '255.255.255.255' ? 'broadcast' : range;
          expect(classifyAddress(address)).toMatchObject({ range: expected, allowed: false });
          expect(classifyAddress(`::ffff:${address}`)).toMatchObject({
            address,
            range: expected,
            allowed: false,
          });
        }),
      );
    });
  }

  it('refuses every address of fc00::/7, fe80::/10 and ff00::/8', () => {
    const ula = fc
      .tuple(fc.integer({ min: 0xfc00, max: 0xfdff }), fc.array(hextet, { minLength: 7, maxLength: 7 }))
      .map(([first, rest]) => [first.toString(16), ...rest].join(':'));
    const linkLocal = fc
      .tuple(fc.integer({ min: 0xfe80, max: 0xfebf }), fc.array(hextet, { minLength: 7, maxLength: 7 }))
      .map(([first, rest]) => [first.toString(16), ...rest].join(':'));
    const multicast = fc
      .tuple(fc.integer({ min: 0xff00, max: 0xffff }), fc.array(hextet, { minLength: 7, maxLength: 7 }))
      .map(([first, rest]) => [first.toString(16), ...rest].join(':'));
    fc.assert(
      fc.property(fc.oneof(ula, linkLocal, multicast), (address) => !classifyAddress(address).allowed),
    );
  });

  it('allows an address only if ipaddr.js calls it unicast, and never a refused block', () => {
    fc.assert(
      fc.property(octet, octet, octet, octet, (a, b, c, d) => {
        const verdict = classifyAddress(v4(a, b, c, d));
        const inRefused =
          a === 0 ||
          a === 10 ||
          a === 127 ||
          a >= 224 ||
          (a === 172 && b >= 16 && b <= 31) ||
          (a === 192 && b === 168) ||
          (a === 169 && b === 254) ||
          (a === 100 && b >= 64 && b <= 127);
        if (inRefused) expect(verdict.allowed).toBe(false);
        return verdict.allowed === (verdict.range === 'unicast');
      }),
    );
  });
});

describe('isIpLiteral', () => {
  it('tells IP literals (bracketed IPv6 too) from names', () => {
    expect(isIpLiteral('127.0.0.1')).toBe(true);
    expect(isIpLiteral('[::1]')).toBe(true);
    expect(isIpLiteral('localhost')).toBe(false);
    expect(isIpLiteral('acme.my.salesforce.com')).toBe(false);
  });
});
