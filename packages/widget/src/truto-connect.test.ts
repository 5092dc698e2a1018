import { aTimeout, expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { emulateMedia, sendKeys } from '@web/test-runner-commands';
import {
  clickConnect,
  completeCalls,
  completeUrl,
  dialogOf,
  PLATFORM,
  part,
  releaseComplete,
  tokenCalls,
  tokenUrl,
  waitForDialog,
} from '../test/helpers.js';
import './define.js';
import { TrutoConnectError } from './errors.js';
import type { TrutoConnectErrorEvent, TrutoConnectSuccessEvent } from './events.js';
import { TrutoConnectElement } from './truto-connect.component.js';

async function connect(attrs: { tokens?: string; mode?: string; query?: Record<string, string> } = {}) {
  const t = tokenUrl({ tokens: attrs.tokens ?? 'lt_success', ...attrs.query });
  const el = await fixture<TrutoConnectElement>(
    html`<truto-connect integration="testhr" token-url=${t.url} mode=${attrs.mode ?? 'popup'}>Connect Test HR</truto-connect>`,
  );
  return { el, key: t.key };
}

/** The nonce the element put on the iframe (modal mode). */
function frameNonce(el: TrutoConnectElement): string {
  const frame = part<HTMLIFrameElement>(el, 'frame');
  return new URL(frame?.src ?? '').searchParams.get('nonce') ?? '';
}

describe('<truto-connect>', () => {
  describe('rendering', () => {
    it('is registered and renders a button with the slotted label', async () => {
      const el = await fixture<TrutoConnectElement>(
        html`<truto-connect integration="bamboohr">Connect BambooHR</truto-connect>`,
      );
      expect(el).to.be.instanceOf(TrutoConnectElement);
      expect(customElements.get('truto-connect')).to.equal(TrutoConnectElement);
      const button = part(el, 'button') as HTMLButtonElement;
      expect(button.tagName).to.equal('BUTTON');
      expect(button.type).to.equal('button');
      expect(el.textContent?.trim()).to.equal('Connect BambooHR');
      expect(el.mode).to.equal('popup');
    });

    it('shows "Connect" when no label is slotted, and reflects attributes to properties', async () => {
      const el = await fixture<TrutoConnectElement>(
        html`<truto-connect integration="greenhouse" mode="modal" token-url="/t" platform-url="https://p.test" link-token="lt" integrated-account-id="acc_9" popup-fallback="none"></truto-connect>`,
      );
      const slot = el.shadowRoot?.querySelector('slot');
      expect(slot?.textContent?.trim()).to.equal('Connect');
      expect([
        el.integration,
        el.mode,
        el.tokenUrl,
        el.platformUrl,
        el.linkToken,
        el.integratedAccountId,
        el.popupFallback,
      ]).to.deep.equal(['greenhouse', 'modal', '/t', 'https://p.test', 'lt', 'acc_9', 'none']);
      el.mode = 'redirect';
      await el.updateComplete;
      expect(el.getAttribute('mode')).to.equal('redirect');
    });

    it('disables the button, and a disabled button opens nothing', async () => {
      const { el, key } = await connect();
      el.disabled = true;
      await el.updateComplete;
      expect((part(el, 'button') as HTMLButtonElement).disabled).to.equal(true);
      expect(el.hasAttribute('disabled')).to.equal(true);
      let events = 0;
      el.addEventListener('truto-connect-error', () => events++);
      el.addEventListener('truto-connect-success', () => events++);
      await clickConnect(el);
      await aTimeout(200);
      expect(events).to.equal(0);
      expect(await tokenCalls(key)).to.equal(0);
    });

    it('is accessible (axe), idle and with the dialog open', async () => {
      const { el } = await connect({ tokens: 'lt_wait', mode: 'modal' });
      await expect(el).to.be.accessible();
      await clickConnect(el);
      await waitForDialog(el);
      await expect(el).to.be.accessible();
      el.close();
    });

    it('follows a dark color scheme', async () => {
      await emulateMedia({ colorScheme: 'dark' });
      try {
        const el = await fixture<TrutoConnectElement>(html`<truto-connect>Go</truto-connect>`);
        expect(getComputedStyle(part(el, 'button') as HTMLElement).backgroundColor).to.equal(
          'rgb(165, 180, 252)',
        );
        await expect(el).to.be.accessible();
      } finally {
        await emulateMedia({ colorScheme: 'light' });
      }
    });

    it('is themed through parts and custom properties', async () => {
      const el = await fixture<TrutoConnectElement>(
        html`<truto-connect style="--truto-connect-accent: rgb(1, 2, 3); --truto-connect-radius: 3px">Go</truto-connect>`,
      );
      const style = getComputedStyle(part(el, 'button') as HTMLElement);
      expect(style.backgroundColor).to.equal('rgb(1, 2, 3)');
      expect(style.borderTopLeftRadius).to.equal('3px');
    });
  });

  describe('popup mode', () => {
    it('opens on click, reports success as a bubbling, composed event and resolves open()', async () => {
      const { el, key } = await connect();
      const onDocument = oneEvent(document, 'truto-connect-success') as Promise<TrutoConnectSuccessEvent>;
      await clickConnect(el);
      const promise = el.open(); // the running flow's promise
      const event = await onDocument;
      expect(event.detail).to.deep.equal({
        integratedAccountId: 'acc_1',
        integration: 'testhr',
        result: 'header.payload.signature',
      });
      expect(event.bubbles && event.composed).to.equal(true);
      expect(await promise).to.deep.equal(event.detail);
      expect(await tokenCalls(key)).to.equal(1);
      expect(part(el, 'button')?.getAttribute('aria-busy')).to.equal('false');
    });

    it('reports a provider error with its code, and open() rejects with the same coded error', async () => {
      const { el } = await connect({ tokens: 'lt_error' });
      const errorEvent = oneEvent(el, 'truto-connect-error') as Promise<TrutoConnectErrorEvent>;
      await clickConnect(el);
      const rejected = el.open().catch((e: unknown) => e);
      expect((await errorEvent).detail).to.deep.equal({
        code: 'connection_error',
        message: 'the provider refused',
      });
      const error = (await rejected) as TrutoConnectError;
      expect(error).to.be.instanceOf(TrutoConnectError);
      expect(error.code).to.equal('connection_error');
    });

    it('ignores a message with the wrong nonce from the platform', async () => {
      const { el } = await connect({ tokens: 'lt_spoof' });
      let successes = 0;
      el.addEventListener('truto-connect-success', () => successes++);
      const errorEvent = oneEvent(el, 'truto-connect-error') as Promise<TrutoConnectErrorEvent>;
      await clickConnect(el);
      expect((await errorEvent).detail.code).to.equal('post_install_error');
      expect(successes).to.equal(0);
    });

    it('calls a popup the user closed closed, and only then', async () => {
      const { el } = await connect({ tokens: 'lt_user_closes' });
      let errors = 0;
      el.addEventListener('truto-connect-error', () => errors++);
      const closed = oneEvent(el, 'truto-connect-close');
      await clickConnect(el);
      const rejected = el.open().catch((e: unknown) => e);
      expect((await closed).detail).to.deep.equal({ reason: 'user' });
      expect(((await rejected) as TrutoConnectError).code).to.equal('closed');
      expect(errors).to.equal(0);
    });

    it('finishes through the status channel when COOP cuts the opener, without a false "closed"', async () => {
      const { el } = await connect({ tokens: 'lt_coop' });
      let closes = 0;
      el.addEventListener('truto-connect-close', () => closes++);
      const success = oneEvent(el, 'truto-connect-success') as Promise<TrutoConnectSuccessEvent>;
      await clickConnect(el);
      await waitUntil(() => part(el, 'status') !== null, 'the element did not show that it waits', {
        timeout: 5000,
      });
      expect(part(el, 'status')?.getAttribute('role')).to.equal('status');
      expect((await success).detail.integratedAccountId).to.equal('acc_coop');
      expect(closes).to.equal(0);
      expect(part(el, 'status')).to.equal(null);
    });

    it('focuses the open popup instead of opening a second flow', async () => {
      const { el, key } = await connect({ tokens: 'lt_wait' });
      await clickConnect(el);
      const first = el.open();
      expect(el.open()).to.equal(first);
      await aTimeout(100);
      expect(await tokenCalls(key)).to.equal(1);
      const closed = oneEvent(el, 'truto-connect-close');
      el.close();
      expect((await closed).detail).to.deep.equal({ reason: 'api' });
      await first.catch(() => undefined);
    });
  });

  describe('a blocked popup', () => {
    // open() outside a user gesture: Chromium blocks the popup.
    it('falls back to the modal by itself', async () => {
      const { el } = await connect({ tokens: 'lt_success' });
      const success = oneEvent(el, 'truto-connect-success');
      const result = await el.open();
      expect(result.integratedAccountId).to.equal('acc_1');
      await success;
      expect(dialogOf(el)).to.equal(null);
    });

    it('fails with popup_blocked when the fallback is none', async () => {
      const { el } = await connect({ tokens: 'lt_success' });
      el.popupFallback = 'none';
      const error = (await el.open().catch((e: unknown) => e)) as TrutoConnectError;
      expect(error.code).to.equal('popup_blocked');
    });
  });

  describe('modal mode', () => {
    it('shows a dialog with the flow in an iframe, and closes it on success', async () => {
      const { el } = await connect({ mode: 'modal' });
      const success = oneEvent(el, 'truto-connect-success');
      await clickConnect(el);
      const dialog = await waitForDialog(el);
      expect(dialog.getAttribute('aria-modal')).to.equal('true');
      expect(dialog.getAttribute('aria-label')).to.equal('Connect testhr');
      const src = new URL(part<HTMLIFrameElement>(el, 'frame')?.src ?? '');
      expect(src.origin).to.equal(PLATFORM);
      expect(src.searchParams.get('mode')).to.equal('modal');
      expect(src.searchParams.get('origin')).to.equal(window.location.origin);
      await success;
      expect(dialogOf(el)).to.equal(null);
    });

    it('ignores messages from another origin or window, even with the right nonce', async () => {
      const { el } = await connect({ tokens: 'lt_wait', mode: 'modal' });
      let successes = 0;
      el.addEventListener('truto-connect-success', () => successes++);
      await clickConnect(el);
      await waitForDialog(el);
      const nonce = frameNonce(el);
      window.postMessage(
        {
          source: 'truto-connect',
          nonce,
          type: 'success',
          integratedAccountId: 'acc_x',
          integration: 'testhr',
          result: 'forged',
        },
        '*',
      );
      await aTimeout(200);
      expect(successes).to.equal(0);
      expect(dialogOf(el)?.open).to.equal(true);
      el.close();
    });

    it("ignores a message with the right nonce from the flow's own window on another origin (origin check)", async () => {
      // The frame goes to another origin, posts a success with the flow's nonce, comes back and fails.
      const { el } = await connect({ tokens: 'lt_elsewhere', mode: 'modal' });
      let successes = 0;
      el.addEventListener('truto-connect-success', () => successes++);
      const errorEvent = oneEvent(el, 'truto-connect-error') as Promise<TrutoConnectErrorEvent>;
      await clickConnect(el);
      expect((await errorEvent).detail.code).to.equal('connection_error');
      expect(successes).to.equal(0);
    });

    it('ignores a message with the right nonce from another window on the platform origin (source check)', async () => {
      const { el } = await connect({ tokens: 'lt_error_on_go', mode: 'modal' });
      let successes = 0;
      el.addEventListener('truto-connect-success', () => successes++);
      const errorEvent = oneEvent(el, 'truto-connect-error') as Promise<TrutoConnectErrorEvent>;
      await clickConnect(el);
      await waitForDialog(el);
      const forger = document.createElement('iframe');
      const loaded = oneEvent(forger, 'load');
      forger.src = `${PLATFORM}/forge?nonce=${encodeURIComponent(frameNonce(el))}`;
      document.body.append(forger);
      await loaded;
      // The forged message was posted while the forger loaded; now the flow's real answer (asked
      // for until it comes: the frame may still be loading).
      const go = setInterval(
        () => part<HTMLIFrameElement>(el, 'frame')?.contentWindow?.postMessage('go', '*'),
        100,
      );
      const error = await errorEvent;
      clearInterval(go);
      expect(error.detail.code).to.equal('connection_error');
      expect(successes).to.equal(0);
      forger.remove();
    });

    it('works by keyboard: Enter opens, focus stays in the dialog, Escape closes and focus returns', async function () {
      // About one full-file run in ten, this test times out in CI (never when run alone, 0 of 40):
      // tried twice more before it counts as failed, until the cause is found.
      this.retries(2);
      const wrapper = await fixture<HTMLDivElement>(html`<div><button id="before">before</button>
        <truto-connect integration="testhr" mode="modal" token-url=${tokenUrl({ tokens: 'lt_wait' }).url}>Connect</truto-connect></div>`);
      const el = wrapper.querySelector('truto-connect') as TrutoConnectElement;
      (wrapper.querySelector('#before') as HTMLButtonElement).focus();
      await sendKeys({ press: 'Tab' });
      expect(el.shadowRoot?.activeElement).to.equal(part(el, 'button'));
      await sendKeys({ press: 'Enter' });
      await waitForDialog(el);
      for (let i = 0; i < 4; i++) {
        await sendKeys({ press: 'Tab' });
        expect(document.activeElement?.id).not.to.equal('before');
      }
      const closed = oneEvent(el, 'truto-connect-close');
      await sendKeys({ press: 'Escape' });
      expect((await closed).detail).to.deep.equal({ reason: 'user' });
      expect(dialogOf(el)).to.equal(null);
      expect(document.activeElement).to.equal(el);
      expect(el.shadowRoot?.activeElement).to.equal(part(el, 'button'));
    });

    it('closes from its close button', async () => {
      const { el } = await connect({ tokens: 'lt_wait', mode: 'modal' });
      await clickConnect(el);
      await waitForDialog(el);
      const closed = oneEvent(el, 'truto-connect-close');
      (part(el, 'close-button') as HTMLButtonElement).click();
      expect((await closed).detail.reason).to.equal('user');
    });

    it('ends the flow when the connect page says close', async () => {
      const { el } = await connect({ tokens: 'lt_close_message', mode: 'modal' });
      const closed = oneEvent(el, 'truto-connect-close');
      await clickConnect(el);
      await closed;
    });
  });

  describe('tokens', () => {
    it('fetches a token that expired before use again, once', async () => {
      const { el, key } = await connect({ query: { expired: '1' } });
      const success = oneEvent(el, 'truto-connect-success');
      await clickConnect(el);
      await success;
      expect(await tokenCalls(key)).to.equal(2);
    });

    it('fetches a new token when the connect page says the token expired, once', async () => {
      const { el, key } = await connect({ tokens: 'lt_expired,lt_success' });
      const success = oneEvent(el, 'truto-connect-success');
      await clickConnect(el);
      await success;
      expect(await tokenCalls(key)).to.equal(2);

      const again = await connect({ tokens: 'lt_expired,lt_expired,lt_success' });
      const failed = oneEvent(again.el, 'truto-connect-error') as Promise<TrutoConnectErrorEvent>;
      await clickConnect(again.el);
      expect((await failed).detail.code).to.equal('invalid_token');
      expect(await tokenCalls(again.key)).to.equal(2);
    });

    it('fetches the token while the pointer approaches, and uses it on click', async () => {
      const { el, key } = await connect();
      el.dispatchEvent(new PointerEvent('pointerenter'));
      await waitUntil(async () => (await tokenCalls(key)) === 1, 'no prefetch');
      const success = oneEvent(el, 'truto-connect-success');
      await clickConnect(el);
      await success;
      expect(await tokenCalls(key)).to.equal(1);
    });

    it('uses a link-token with platform-url', async () => {
      const el = await fixture<TrutoConnectElement>(
        html`<truto-connect link-token="lt_success" platform-url=${PLATFORM}>Go</truto-connect>`,
      );
      const success = oneEvent(el, 'truto-connect-success');
      await clickConnect(el);
      await success;
    });

    it('answers missing configuration with validation_error', async () => {
      for (const template of [
        html`<truto-connect link-token="lt_success">Go</truto-connect>`,
        html`<truto-connect integration="testhr">Go</truto-connect>`,
        html`<truto-connect token-url="/token">Go</truto-connect>`,
        html`<truto-connect integration="testhr" token-url="/token" mode="sideways">Go</truto-connect>`,
      ]) {
        const el = await fixture<TrutoConnectElement>(template);
        const errorEvent = oneEvent(el, 'truto-connect-error') as Promise<TrutoConnectErrorEvent>;
        const rejected = el.open().catch((e: unknown) => e);
        expect((await errorEvent).detail.code).to.equal('validation_error');
        expect(((await rejected) as TrutoConnectError).code).to.equal('validation_error');
      }
    });

    it('answers a failing or unreachable token-url with network_error', async () => {
      const { el } = await connect({ query: { fail: '1' } });
      expect(((await el.open().catch((e: unknown) => e)) as TrutoConnectError).code).to.equal(
        'network_error',
      );
      el.tokenUrl = 'http://127.0.0.1:9/token';
      expect(((await el.open().catch((e: unknown) => e)) as TrutoConnectError).code).to.equal(
        'network_error',
      );
    });

    it('refuses a linkUrl that is not on platform-url', async () => {
      const { el } = await connect();
      el.platformUrl = 'https://elsewhere.test';
      const error = (await el.open().catch((e: unknown) => e)) as TrutoConnectError;
      expect(error.code).to.equal('invalid_token');
    });
  });

  describe('complete-url', () => {
    async function completing(query: Record<string, string> = {}, mode = 'popup') {
      const t = tokenUrl({ tokens: 'lt_success' });
      const c = completeUrl(query);
      const el = await fixture<TrutoConnectElement>(
        html`<truto-connect integration="testhr" token-url=${t.url} complete-url=${c.url} mode=${mode}>Go</truto-connect>`,
      );
      return { el, key: c.key };
    }

    it('POSTs {result} as JSON and reports success only after the 2xx, with the connection', async () => {
      const { el, key } = await completing({ hold: '1' });
      const events: string[] = [];
      el.addEventListener('truto-connect-success', () => events.push('success'));
      el.addEventListener('truto-connect-error', () => events.push('error'));
      const success = oneEvent(el, 'truto-connect-success') as Promise<TrutoConnectSuccessEvent>;
      await clickConnect(el);
      const promise = el.open();
      await waitUntil(async () => (await completeCalls(key)).length === 1, 'nothing was POSTed', {
        timeout: 5000,
      });
      const [call] = await completeCalls(key);
      expect(JSON.parse(call?.body ?? '')).to.deep.equal({ result: 'header.payload.signature' });
      expect(call?.contentType).to.equal('application/json');
      // The popup is done, but the server has not answered: no success yet, still busy.
      await aTimeout(300);
      expect(events).to.deep.equal([]);
      expect(part(el, 'button')?.getAttribute('aria-busy')).to.equal('true');
      await releaseComplete(key);
      const event = await success;
      expect(event.detail).to.deep.equal({
        integratedAccountId: 'acc_1',
        integration: 'testhr',
        result: 'header.payload.signature',
        connection: {
          integratedAccountId: 'acc_1',
          integration: 'testhr',
          externalId: 'u1',
          status: 'active',
          context: { result: 'header.payload.signature' },
        },
      });
      expect(await promise).to.deep.equal(event.detail);
      expect(events).to.deep.equal(['success']);
      expect(part(el, 'button')?.getAttribute('aria-busy')).to.equal('false');
    });

    it('completes a result from the modal too', async () => {
      const { el, key } = await completing({}, 'modal');
      const success = oneEvent(el, 'truto-connect-success') as Promise<TrutoConnectSuccessEvent>;
      await clickConnect(el);
      expect((await success).detail.connection?.status).to.equal('active');
      expect(await completeCalls(key)).to.have.length(1);
    });

    it('turns a refusal into verification_failed, with the server message, and no success', async () => {
      const { el } = await completing({ status: '403' });
      let successes = 0;
      el.addEventListener('truto-connect-success', () => successes++);
      const failed = oneEvent(el, 'truto-connect-error') as Promise<TrutoConnectErrorEvent>;
      await clickConnect(el);
      const rejected = el.open().catch((e: unknown) => e);
      const { detail } = await failed;
      expect(detail.code).to.equal('verification_failed');
      expect(detail.message).to.contain('the result is not valid');
      expect(((await rejected) as TrutoConnectError).code).to.equal('verification_failed');
      expect(successes).to.equal(0);
    });

    it('turns an unreachable complete-url into verification_failed', async () => {
      const { el } = await completing();
      el.completeUrl = 'http://127.0.0.1:9/complete';
      const failed = oneEvent(el, 'truto-connect-error') as Promise<TrutoConnectErrorEvent>;
      await clickConnect(el);
      expect((await failed).detail.code).to.equal('verification_failed');
    });

    it('is not called without complete-url, nor when the flow fails', async () => {
      const { el } = await connect();
      const success = oneEvent(el, 'truto-connect-success') as Promise<TrutoConnectSuccessEvent>;
      await clickConnect(el);
      expect('connection' in (await success).detail).to.equal(false);

      const c = completeUrl();
      const failing = await fixture<TrutoConnectElement>(
        html`<truto-connect integration="testhr" token-url=${tokenUrl({ tokens: 'lt_error' }).url} complete-url=${c.url}>Go</truto-connect>`,
      );
      const failed = oneEvent(failing, 'truto-connect-error') as Promise<TrutoConnectErrorEvent>;
      await clickConnect(failing);
      expect((await failed).detail.code).to.equal('connection_error');
      expect(await completeCalls(c.key)).to.deep.equal([]);
    });
  });

  it('ends a running flow when removed from the page', async () => {
    const { el } = await connect({ tokens: 'lt_wait', mode: 'modal' });
    await clickConnect(el);
    await waitForDialog(el);
    const closed = oneEvent(el, 'truto-connect-close');
    el.remove();
    expect((await closed).detail.reason).to.equal('api');
  });
});
