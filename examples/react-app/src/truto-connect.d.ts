/**
 * How a React 19 app types the element: its attributes, and `on<event-name>` props, which React 19
 * turns into event listeners on custom elements.
 */
import type {
  TrutoConnectCloseEvent,
  TrutoConnectElement,
  TrutoConnectErrorEvent,
  TrutoConnectSuccessEvent,
} from '@truto-connect/widget';
import type { DetailedHTMLProps, HTMLAttributes } from 'react';

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'truto-connect': DetailedHTMLProps<HTMLAttributes<TrutoConnectElement>, TrutoConnectElement> & {
        integration?: string;
        'token-url'?: string;
        'complete-url'?: string;
        'integrated-account-id'?: string;
        mode?: 'popup' | 'modal' | 'redirect';
        'ontruto-connect-success'?: (event: TrutoConnectSuccessEvent) => void;
        'ontruto-connect-error'?: (event: TrutoConnectErrorEvent) => void;
        'ontruto-connect-close'?: (event: TrutoConnectCloseEvent) => void;
      };
    }
  }
}
