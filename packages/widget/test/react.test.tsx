/** @jsxRuntime classic */
/** @jsx React.createElement */
// React ships CommonJS; the test server converts it without named exports, hence default imports.
import { expect, oneEvent, waitUntil } from '@open-wc/testing';
import React from 'react';
import ReactDOMClient, { type Root } from 'react-dom/client';
import '../src/define.js';
import type { TrutoConnectSuccessEvent } from '../src/events.js';
import type { TrutoConnectElement, TrutoConnectStrings } from '../src/truto-connect.component.js';
import { clickConnect, tokenUrl } from './helpers.js';

// How a React 19 app types the element: attributes, a property, and `on<event-name>` listeners.
declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'truto-connect': React.DetailedHTMLProps<
        React.HTMLAttributes<TrutoConnectElement>,
        TrutoConnectElement
      > & {
        integration?: string;
        'token-url'?: string;
        mode?: 'popup' | 'modal' | 'redirect';
        strings?: Partial<TrutoConnectStrings>;
        'ontruto-connect-success'?: (event: TrutoConnectSuccessEvent) => void;
        'ontruto-connect-close'?: (event: Event) => void;
      };
    }
  }
}

const { act, useState } = React;

function ConnectHr({ url }: { url: string }) {
  const [connected, setConnected] = useState<string | null>(null);
  return (
    <div>
      <truto-connect
        integration="testhr"
        token-url={url}
        strings={{ cancel: 'Abbrechen' }}
        ontruto-connect-success={(event) => setConnected(event.detail.integratedAccountId)}
      >
        Connect Test HR
      </truto-connect>
      <p id="state">{connected ? `connected ${connected}` : 'not connected'}</p>
    </div>
  );
}

describe('<truto-connect> in React 19', () => {
  let container: HTMLDivElement;
  let root: Root;
  beforeEach(() => {
    container = document.createElement('div');
    document.body.append(container);
    root = ReactDOMClient.createRoot(container);
  });
  afterEach(() => {
    act(() => root.unmount());
    container.remove();
  });

  it('passes attributes and properties, and React state follows the success event', async () => {
    const { url } = tokenUrl();
    await act(async () => root.render(<ConnectHr url={url} />));
    const el = container.querySelector('truto-connect') as TrutoConnectElement;
    expect(el.integration).to.equal('testhr');
    expect(el.tokenUrl).to.equal(url);
    expect(el.strings).to.deep.equal({ cancel: 'Abbrechen' });
    const success = oneEvent(el, 'truto-connect-success');
    await clickConnect(el);
    await success;
    await waitUntil(
      () => container.querySelector('#state')?.textContent === 'connected acc_1',
      'React did not update',
    );
  });
});
