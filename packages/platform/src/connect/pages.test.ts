import { describe, expect, it } from 'vitest';
import type { FieldDefinition, IntegrationDefinition } from '../integrations/definition.js';
import { translator } from './messages.js';
import { type ConnectPageInput, connectPage } from './pages.js';

const region: FieldDefinition = {
  name: 'region',
  label: 'Data centre',
  help: 'Where your account lives.',
  helpUrl: 'https://help.example.com/regions?a=1&b="2"',
  options: [
    { value: 'eu', label: 'Europe <EU>' },
    { value: 'us', label: 'United States' },
  ],
};
const apiKey: FieldDefinition = { name: 'api_key', label: 'API key', secret: true };

const def: IntegrationDefinition = {
  name: 'choice',
  label: 'Choice',
  baseUrl: 'https://api.example.com',
  authMethods: [
    {
      format: 'api_key',
      label: 'API key',
      fields: [region, apiKey],
      apply: { headers: { 'X-Key': '{api_key}' } },
    },
  ],
};

function page(overrides: Partial<ConnectPageInput> = {}, fields = [region, apiKey], helpUrl?: string) {
  return connectPage({
    t: translator('en'),
    locale: 'en',
    nonce: 'n0nce',
    def,
    methods: [
      {
        format: 'api_key',
        label: 'API key',
        help: 'Settings, then API.',
        ...(helpUrl === undefined ? {} : { helpUrl }),
        fields,
        oauth: false,
      },
    ],
    selected: 'api_key',
    flow: { link_token: 't', mode: 'redirect', nonce: '', origin: '', status: '', lang: 'en' },
    csrf: 'c',
    ...overrides,
  });
}

describe('the connect page', () => {
  it('renders a field with options as a labelled, required select that starts on "Choose…"', () => {
    const html = page();
    expect(html).toContain(
      '<label for="f-region">Data centre</label><p class="hint" id="f-region-help">Where your account lives.',
    );
    expect(html).toContain(
      '<select id="f-region" name="region" required aria-describedby="f-region-help"><option value="" selected>Choose…</option><option value="eu">Europe &lt;EU&gt;</option><option value="us">United States</option></select>',
    );
    expect(html).not.toMatch(/<input[^>]+name="region"/);
  });

  it('keeps the chosen value, or the default, selected; an optional select has no prompt', () => {
    expect(page({ values: { region: 'us' } })).toContain(
      '<option value="us" selected>United States</option>',
    );
    const optional = page({}, [{ ...region, required: false, default: 'eu' }, apiKey]);
    expect(optional).toContain('<option value="eu" selected>Europe &lt;EU&gt;</option>');
    expect(optional).not.toContain('Choose…');
    expect(optional).toContain('Data centre <span class="hint">(optional)</span>');
  });

  it('shows a select’s error inline, as for a text field', () => {
    const html = page({ fieldErrors: { region: 'Data centre is not in the expected format.' } });
    expect(html).toContain(
      '<select id="f-region" name="region" required aria-describedby="f-region-help f-region-err" aria-invalid="true">',
    );
    expect(html).toContain('<p class="err" id="f-region-err">Data centre is not in the expected format.</p>');
  });

  it('links a field’s and a method’s helpUrl, escaped, in a new tab without opener or referrer', () => {
    const html = page({}, [region, apiKey], 'https://help.example.com/api-keys');
    expect(html).toContain(
      '<a href="https://help.example.com/regions?a=1&amp;b=&quot;2&quot;" target="_blank" rel="noopener noreferrer">Where to find it<span class="vh"> (opens in a new tab)</span></a>',
    );
    expect(html).toContain(
      '<p class="hint">Settings, then API. <a href="https://help.example.com/api-keys" target="_blank" rel="noopener noreferrer">',
    );
  });

  it('links only https pages', () => {
    for (const url of ['javascript:alert(1)', 'http://help.example.com/', 'data:text/html,x', 'https://']) {
      const html = page({}, [{ ...region, helpUrl: url }, apiKey], url);
      expect(html, url).not.toContain('<a href=');
      expect(html, url).not.toContain('Where to find it');
    }
  });

  it('speaks German', () => {
    const html = page({ t: translator('de'), locale: 'de' }, [region, apiKey], 'https://help.example.com/');
    expect(html).toContain('>Bitte wählen…</option>');
    expect(html).toContain('Wo Sie das finden<span class="vh"> (öffnet in einem neuen Tab)</span>');
  });
});
