import { waitUntil } from '@open-wc/testing';
import { sendMouse } from '@web/test-runner-commands';
import type { TrutoConnectElement } from '../src/truto-connect.component.js';

export const PLATFORM = (window as unknown as { __PLATFORM_URL__: string }).__PLATFORM_URL__;

let keys = 0;
/** A token-url on the fake platform with its own call counter. */
export function tokenUrl(query: Record<string, string> = {}): { url: string; key: string } {
  const key = `k${Date.now()}-${keys++}`;
  return { url: `${PLATFORM}/token?${new URLSearchParams({ key, ...query })}`, key };
}

export async function tokenCalls(key: string): Promise<number> {
  const res = await fetch(`${PLATFORM}/control/token-calls?key=${key}`);
  return ((await res.json()) as { calls: number }).calls;
}

export function part<T extends Element = HTMLElement>(el: TrutoConnectElement, name: string): T | null {
  return el.shadowRoot?.querySelector<T>(`[part="${name}"]`) ?? null;
}

/** A real click (with user activation), at the middle of an element, offset by a frame's position. */
export async function realClick(target: Element, offset = { x: 0, y: 0 }): Promise<void> {
  const r = target.getBoundingClientRect();
  await sendMouse({
    type: 'click',
    position: [Math.round(offset.x + r.x + r.width / 2), Math.round(offset.y + r.y + r.height / 2)],
  });
}

export async function clickConnect(el: TrutoConnectElement): Promise<void> {
  await realClick(part(el, 'button') as HTMLElement);
}

export function dialogOf(el: TrutoConnectElement): HTMLDialogElement | null {
  return part<HTMLDialogElement>(el, 'dialog');
}

export async function waitForDialog(el: TrutoConnectElement): Promise<HTMLDialogElement> {
  await waitUntil(() => dialogOf(el)?.open, 'the dialog did not open', { timeout: 5000 });
  return dialogOf(el) as HTMLDialogElement;
}

/** A complete-url on the fake platform with its own record of calls. */
export function completeUrl(query: Record<string, string> = {}): { url: string; key: string } {
  const key = `c${Date.now()}-${keys++}`;
  return { url: `${PLATFORM}/complete?${new URLSearchParams({ key, ...query })}`, key };
}

export async function completeCalls(key: string): Promise<Array<{ body: string; contentType: string }>> {
  const res = await fetch(`${PLATFORM}/control/complete-calls?key=${key}`);
  return ((await res.json()) as { calls: Array<{ body: string; contentType: string }> }).calls;
}

export async function releaseComplete(key: string): Promise<void> {
  await fetch(`${PLATFORM}/control/release?key=${key}`);
}
