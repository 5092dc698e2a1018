import { expect, oneEvent, waitUntil } from '@open-wc/testing';
import { createApp, nextTick, ref } from 'vue/dist/vue.esm-bundler.js';
import '../src/define.js';
import type { TrutoConnectSuccessEvent } from '../src/events.js';
import type { TrutoConnectElement } from '../src/truto-connect.component.js';
import { clickConnect, tokenUrl } from './helpers.js';

describe('<truto-connect> in Vue 3', () => {
  it('binds attributes and listens with @truto-connect-success', async () => {
    const { url } = tokenUrl();
    const host = document.createElement('div');
    document.body.append(host);
    const app = createApp({
      template: `<div>
        <truto-connect integration="testhr" :token-url="url" mode="popup" @truto-connect-success="onSuccess">Connect Test HR</truto-connect>
        <p id="state">{{ connected ?? 'not connected' }}</p>
      </div>`,
      setup() {
        const connected = ref<string | null>(null);
        return {
          url,
          connected,
          onSuccess: (event: TrutoConnectSuccessEvent) => {
            connected.value = event.detail.integratedAccountId;
          },
        };
      },
    });
    // Tell Vue's template compiler that the tag is a custom element.
    app.config.compilerOptions.isCustomElement = (tag: string) => tag === 'truto-connect';
    app.mount(host);
    await nextTick();
    const el = host.querySelector('truto-connect') as TrutoConnectElement;
    expect(el.tokenUrl).to.equal(url);
    const success = oneEvent(el, 'truto-connect-success');
    await clickConnect(el);
    await success;
    await waitUntil(() => host.querySelector('#state')?.textContent === 'acc_1', 'Vue did not update');
    app.unmount();
    host.remove();
  });
});
