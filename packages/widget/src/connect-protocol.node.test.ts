/**
 * The message check in isolation, so each of its conditions is pinned by one case (the Chromium
 * tests prove the same with real windows; this file is what mutation testing can run).
 */
import { describe, expect, it } from 'vitest';
import { isFlowMessage } from './connect-protocol.js';
import { MESSAGE_SOURCE } from './protocol.js';

const PLATFORM = 'https://connect.example.com';
const flowWindow = { name: 'the flow window' };
const NONCE = 'n0nce';

function message(overrides: { origin?: string; source?: unknown; data?: unknown } = {}): MessageEvent {
  return {
    origin: overrides.origin ?? PLATFORM,
    source: 'source' in overrides ? overrides.source : flowWindow,
    data: 'data' in overrides ? overrides.data : { source: MESSAGE_SOURCE, nonce: NONCE, type: 'close' },
  } as unknown as MessageEvent;
}

describe('isFlowMessage', () => {
  it('accepts the flow window’s message from the platform’s exact origin with the flow’s nonce', () => {
    expect(isFlowMessage(message(), PLATFORM, flowWindow, NONCE)).toBe(true);
  });

  it('refuses another origin, even one that only differs in port or scheme', () => {
    expect(isFlowMessage(message({ origin: 'https://evil.example' }), PLATFORM, flowWindow, NONCE)).toBe(
      false,
    );
    expect(isFlowMessage(message({ origin: `${PLATFORM}:8443` }), PLATFORM, flowWindow, NONCE)).toBe(false);
    expect(
      isFlowMessage(message({ origin: 'http://connect.example.com' }), PLATFORM, flowWindow, NONCE),
    ).toBe(false);
  });

  it('refuses a message from another window of the right origin', () => {
    expect(isFlowMessage(message({ source: { name: 'another' } }), PLATFORM, flowWindow, NONCE)).toBe(false);
    expect(isFlowMessage(message({ source: null }), PLATFORM, flowWindow, NONCE)).toBe(false);
  });

  it('refuses data that is not a flow message of this flow', () => {
    for (const data of [
      null,
      'truto-connect',
      42,
      { nonce: NONCE, type: 'close' },
      { source: 'someone-else', nonce: NONCE, type: 'close' },
      { source: MESSAGE_SOURCE, type: 'close' },
      { source: MESSAGE_SOURCE, nonce: 'another flow', type: 'close' },
    ]) {
      expect(isFlowMessage(message({ data }), PLATFORM, flowWindow, NONCE), JSON.stringify(data)).toBe(false);
    }
  });
});
