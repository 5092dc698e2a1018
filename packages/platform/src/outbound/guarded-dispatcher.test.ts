import type { LookupAddress } from 'node:dns';
import { createServer, type Server } from 'node:net';
import { fetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboundRequestRefusedError } from '../errors.js';
import {
  assertOutboundUrl,
  createGuardedDispatcher,
  guardedLookup,
  type Resolver,
} from './guarded-dispatcher.js';

const answers =
  (...addresses: string[]): Resolver =>
  async () =>
    addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

function lookupWith(resolve: Resolver, hostname: string, options: { all?: boolean; family?: number }) {
  return new Promise<{ error: Error | null; result: unknown }>((done) => {
    guardedLookup(resolve)(hostname, options as never, (error, address, family) =>
      done({ error, result: options.all ? address : { address, family } }),
    );
  });
}

describe('guardedLookup: every resolved address must be public', () => {
  it('refuses a name that resolves to loopback, saying so', async () => {
    const { error } = await lookupWith(answers('127.0.0.1'), 'rebind.test', { all: true });
    expect(error).toBeInstanceOf(OutboundRequestRefusedError);
    expect(error?.message).toMatch(
      /refused to call rebind\.test \(it resolves to 127\.0\.0\.1\): a loopback/,
    );
  });

  it.each([
    ['169.254.169.254', 'linkLocal'],
    ['10.0.0.5', 'private'],
    ['::1', 'loopback'],
    ['fd00::5', 'uniqueLocal'],
    ['::ffff:192.168.1.1', 'private'],
  ])('refuses %s (%s)', async (address, range) => {
    const { error } = await lookupWith(answers(address), 'x.test', { all: true });
    expect((error as OutboundRequestRefusedError).code).toBe('outbound_request_refused');
    expect(error?.message).toContain(range);
  });

  it('refuses when any one of several answers is private', async () => {
    const { error } = await lookupWith(answers('93.184.216.34', '10.0.0.1'), 'mixed.test', { all: true });
    expect(error).toBeInstanceOf(OutboundRequestRefusedError);
  });

  it('hands public answers to the connection in the shape it asked for (nothing is connected here)', async () => {
    const both = answers('93.184.216.34', '2606:2800:220:1::1');
    const all = await lookupWith(both, 'ok.test', { all: true });
    expect(all.error).toBeNull();
    expect((all.result as LookupAddress[]).map((a) => a.address)).toEqual([
      '93.184.216.34',
      '2606:2800:220:1::1',
    ]);
    const one = await lookupWith(both, 'ok.test', { family: 6 });
    expect(one.result).toEqual({ address: '2606:2800:220:1::1', family: 6 });
  });
});

describe('assertOutboundUrl', () => {
  it('refuses plain http and private IP literals, and lets names through to the lookup', () => {
    expect(() => assertOutboundUrl(new URL('http://api.example.com'))).toThrow(/must use https/);
    expect(() => assertOutboundUrl(new URL('https://169.254.169.254/latest/meta-data'))).toThrow(/linkLocal/);
    expect(() => assertOutboundUrl(new URL('https://[::ffff:7f00:1]/'))).toThrow(/loopback/);
    expect(() => assertOutboundUrl(new URL('https://2130706433/'))).toThrow(/loopback/);
    expect(() => assertOutboundUrl(new URL('https://api.example.com/x'))).not.toThrow();
  });
});

describe('the guarded dispatcher refuses before connecting (loopback only)', () => {
  let server: Server;
  let port: number;
  let connections = 0;

  beforeAll(async () => {
    server = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const refusal = async (url: string, resolve?: Resolver) => {
    const dispatcher = createGuardedDispatcher(resolve ? { resolve } : {});
    try {
      await fetch(url, { dispatcher });
      return undefined;
    } catch (error) {
      return (error as { cause?: unknown }).cause;
    } finally {
      await dispatcher.close();
    }
  };

  it('a name the resolver points at 127.0.0.1 (as a rebinding DNS answer would)', async () => {
    const before = connections;
    const cause = await refusal(`https://rebind.test:${port}/`, answers('127.0.0.1'));
    expect(cause).toBeInstanceOf(OutboundRequestRefusedError);
    expect(connections).toBe(before);
  });

  it('localhost, through the system resolver', async () => {
    const before = connections;
    const cause = await refusal(`https://localhost:${port}/`);
    expect(cause).toBeInstanceOf(OutboundRequestRefusedError);
    expect((cause as Error).message).toMatch(/localhost .*loopback/);
    expect(connections).toBe(before);
  });

  it.each([`https://127.0.0.1:PORT/`, `https://[::ffff:127.0.0.1]:PORT/`])(
    'the IP literal %s (Node skips lookup for literals)',
    async (template) => {
      const before = connections;
      const cause = await refusal(template.replace('PORT', String(port)), answers('93.184.216.34'));
      expect(cause).toBeInstanceOf(OutboundRequestRefusedError);
      expect(connections).toBe(before);
    },
  );

  it('plain http, even to a name that would pass', async () => {
    const before = connections;
    const cause = await refusal(`http://127.0.0.1:${port}/`);
    expect((cause as Error).message).toMatch(/must use https/);
    expect(connections).toBe(before);
  });
});
