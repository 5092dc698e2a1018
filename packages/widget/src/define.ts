/**
 * Registers `<truto-connect>`. Import this module (or load `dist/truto-connect.js`) once.
 * @module
 */
import { TrutoConnectElement } from './truto-connect.component.js';

export { TrutoConnectElement };

if (!customElements.get('truto-connect')) customElements.define('truto-connect', TrutoConnectElement);

declare global {
  interface HTMLElementTagNameMap {
    'truto-connect': TrutoConnectElement;
  }
}
