/**
 * The widget's side of the protocol with the platform's connect pages (the wire shapes are in
 * `protocol.ts`): building the flow URL, checking and reading messages, asking the status channel.
 * @module
 */
import { TrutoConnectError, toErrorCode } from './errors.js';
import type { TrutoConnectResult } from './events.js';
import { FLOW_PARAMS, type FlowMode, MESSAGE_SOURCE, STATUS_PATH, STATUS_SECRET_HEADER } from './protocol.js';

export type { FlowMode } from './protocol.js';

export type FlowOutcome =
  | { type: 'success'; result: TrutoConnectResult }
  | { type: 'error'; error: TrutoConnectError; expiredToken: boolean }
  | { type: 'close' };

/** Where the flow stands, as the widget reads the status channel. */
export type FlowProgress = 'pending' | 'provider' | 'done';

const base64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

/** 128 random bits, base64url. */
export function createNonce(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(16)));
}

/** The status secret: 256 random bits, base64url. It only ever travels in a request header. */
export function createStatusSecret(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

/** What the flow URL carries instead of the secret: its SHA-256, base64url. */
export async function statusHashOf(secret: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(secret));
  return base64url(new Uint8Array(digest));
}

export function flowUrl(
  linkUrl: string,
  mode: FlowMode,
  nonce: string,
  origin: string,
  statusHash: string,
): string {
  const url = new URL(linkUrl);
  url.searchParams.set(FLOW_PARAMS.mode, mode);
  url.searchParams.set(FLOW_PARAMS.nonce, nonce);
  url.searchParams.set(FLOW_PARAMS.origin, origin);
  url.searchParams.set(FLOW_PARAMS.statusHash, statusHash);
  return url.href;
}

/** Reads an outcome out of a message or status body; undefined when it is not one. */
export function readOutcome(data: unknown): FlowOutcome | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const d = data as Record<string, unknown>;
  const type = d.type ?? d.state;
  if (type === 'success') {
    const { integratedAccountId, integration, result } = d;
    if (
      typeof integratedAccountId !== 'string' ||
      typeof integration !== 'string' ||
      typeof result !== 'string'
    ) {
      return {
        type: 'error',
        error: new TrutoConnectError('connection_error', 'the connect pages sent an incomplete result'),
        expiredToken: false,
      };
    }
    return { type: 'success', result: { integratedAccountId, integration, result } };
  }
  if (type === 'error') {
    const message = typeof d.message === 'string' ? d.message : 'the connection failed';
    return {
      type: 'error',
      error: new TrutoConnectError(toErrorCode(d.code), message),
      expiredToken: d.code === 'invalid_token' && d.reason === 'expired',
    };
  }
  if (type === 'close') return { type: 'close' };
  return undefined;
}

/** A message is ours only from the platform's exact origin, the flow's window, with its nonce. */
export function isFlowMessage(
  event: MessageEvent,
  platformOrigin: string,
  source: unknown,
  nonce: string,
): boolean {
  const data = event.data as { source?: unknown; nonce?: unknown } | null;
  return (
    event.origin === platformOrigin &&
    event.source === source &&
    typeof data === 'object' &&
    data !== null &&
    data.source === MESSAGE_SOURCE &&
    data.nonce === nonce
  );
}

/** Asks the status channel where the flow stands; a failure to ask counts as `pending`. */
export async function readStatus(
  platformOrigin: string,
  secret: string,
): Promise<{ state: FlowProgress; outcome?: FlowOutcome }> {
  try {
    const response = await fetch(`${platformOrigin}${STATUS_PATH}`, {
      headers: { [STATUS_SECRET_HEADER]: secret },
      credentials: 'omit',
      cache: 'no-store',
    });
    if (!response.ok) return { state: 'pending' };
    const body = (await response.json()) as { state?: unknown };
    const outcome = readOutcome(body);
    if (outcome) return { state: 'done', outcome };
    return { state: body.state === 'provider' ? 'provider' : 'pending' };
  } catch {
    return { state: 'pending' };
  }
}
