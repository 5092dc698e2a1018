import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { TrutoConnectElement } from '../src/truto-connect.component.js';
import { PLATFORM, realClick, tokenUrl } from './helpers.js';

/** The page a plain-HTML user writes, loaded in a frame with the built dist/truto-connect.js. */
async function plainPage() {
  const frame = await fixture<HTMLIFrameElement>(
    html`<iframe title="plain page" src="/test/plain-page.html" style="width:500px;height:300px"></iframe>`,
  );
  await waitUntil(
    () => frame.contentDocument?.querySelector('truto-connect')?.shadowRoot,
    'the page did not load',
    {
      timeout: 5000,
    },
  );
  const doc = frame.contentDocument as Document;
  const el = (id: string) => doc.getElementById(id) as TrutoConnectElement;
  const click = async (id: string) => {
    const r = frame.getBoundingClientRect();
    await realClick(el(id).shadowRoot?.querySelector('[part="button"]') as Element, { x: r.x, y: r.y });
  };
  return { frame, doc, el, click };
}

function redirected(): Promise<MessageEvent> {
  return new Promise((resolve) => {
    window.addEventListener('message', function onMessage(e) {
      if ((e.data as { redirected?: boolean }).redirected) {
        window.removeEventListener('message', onMessage);
        resolve(e);
      }
    });
  });
}

describe('<truto-connect> on a plain HTML page (dist/truto-connect.js)', () => {
  it('connects in a popup and reports through document events', async () => {
    const page = await plainPage();
    page.el('popup').tokenUrl = tokenUrl().url;
    await page.click('popup');
    await waitUntil(
      () => page.doc.getElementById('log')?.textContent === 'success acc_1',
      'no success on the page',
      {
        timeout: 5000,
      },
    );
  });

  it('navigates the window in redirect mode, with mode, nonce and origin', async () => {
    const page = await plainPage();
    const el = page.el('popup');
    el.mode = 'redirect';
    el.tokenUrl = tokenUrl({ tokens: 'lt_redirected' }).url;
    const landed = redirected();
    await page.click('popup');
    const event = await landed;
    expect(event.origin).to.equal(PLATFORM);
    expect(event.data.token).to.equal('lt_redirected');
    expect(event.data.origin).to.equal(window.location.origin);
    expect(event.data.nonce).to.match(/^[A-Za-z0-9_-]{22}$/);
  });

  it('falls back to redirect when configured and the popup is blocked', async () => {
    const page = await plainPage();
    const el = page.el('fallback');
    el.tokenUrl = tokenUrl({ tokens: 'lt_fallback' }).url;
    const landed = redirected();
    // No user gesture: Chromium blocks the popup.
    el.open().catch(() => undefined);
    const event = await landed;
    expect(event.data.token).to.equal('lt_fallback');
  });
});
