/**
 * `@truto-connect/widget`: the `<truto-connect>` element class, its events and errors, without
 * registering the tag (import `@truto-connect/widget/define` for that).
 *
 * @example
 * ```ts
 * import { TrutoConnectElement } from '@truto-connect/widget';
 * customElements.define('acme-connect', class extends TrutoConnectElement {});
 * ```
 * @module
 */

export type { FlowMode } from './connect-protocol.js';
export { TrutoConnectError, type TrutoConnectErrorCode } from './errors.js';
export * from './events.js';
export { TrutoConnectElement, type TrutoConnectStrings } from './truto-connect.component.js';
