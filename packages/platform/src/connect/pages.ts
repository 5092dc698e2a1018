/**
 * The connect pages' HTML. Small on purpose: one inline stylesheet and, where needed, one
 * inline script, both carrying the response's CSP nonce; data for scripts goes in JSON islands.
 * @module
 */
import { type FlowMessage, MESSAGE_SOURCE } from '@truto-connect/widget/protocol';
import type { FieldDefinition, IntegrationDefinition } from '../integrations/definition.js';
import type { Locale, Translate } from './messages.js';

export const escapeHtml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

/** JSON safe inside a <script type="application/json"> element. */
const jsonIsland = (id: string, value: unknown) =>
  `<script type="application/json" id="${id}">${JSON.stringify(value).replace(/</g, '\\u003c')}</script>`;

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f4f4f5;color:#18181b}
main{max-width:28rem;margin:2rem auto;background:#fff;padding:1.75rem;border-radius:12px}
h1{font-size:1.35rem;margin:0 0 .5rem;overflow-wrap:anywhere}label{display:block;font-weight:600;margin-top:1rem}
.hint{color:#52525b;font-size:.9rem;margin:.15rem 0 .3rem;overflow-wrap:anywhere}.hint a{color:#3730a3}input,select{width:100%;box-sizing:border-box;padding:.55rem;font:inherit;border:1px solid #71717a;border-radius:6px;background:#fff;color:#18181b}
input[aria-invalid=true],select[aria-invalid=true]{border-color:#b91c1c}.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}.err{color:#b91c1c;font-weight:600}
.btn{display:inline-block;margin-top:1.25rem;padding:.65rem 1.2rem;border:0;border-radius:8px;background:#4338ca;color:#fff;font:inherit;font-weight:600;text-decoration:none;cursor:pointer}
nav ul{list-style:none;padding:0;display:flex;gap:.5rem;flex-wrap:wrap}nav a{color:#3730a3}nav a[aria-current=page]{font-weight:700;color:#18181b}
:focus-visible{outline:3px solid #1d4ed8;outline-offset:2px}
@media (prefers-color-scheme:dark){body{background:#18181b;color:#f4f4f5}main{background:#27272a}.hint{color:#d4d4d8}input,select{background:#18181b;color:#f4f4f5;border-color:#a1a1aa}.hint a{color:#c7d2fe}.err{color:#fca5a5}nav a{color:#c7d2fe}nav a[aria-current=page]{color:#f4f4f5}.btn{background:#c7d2fe;color:#18181b}}`;

function layout(locale: Locale, title: string, nonce: string, body: string, script = ''): string {
  return `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style nonce="${nonce}">${STYLE}</style></head><body><main>${body}</main>${script ? `<script nonce="${nonce}">${script}</script>` : ''}</body></html>`;
}

export interface FlowParams {
  link_token: string;
  mode: string;
  nonce: string;
  origin: string;
  /** The widget's status hash (`FLOW_PARAMS.statusHash`). */
  status: string;
  lang: string;
}

/** An auth method the connect page offers, with the fields it asks for. */
export interface OfferedMethod {
  format: string;
  label: string;
  help?: string;
  /** The provider's page about these credentials (https). */
  helpUrl?: string;
  fields: FieldDefinition[];
  oauth: boolean;
}

export interface ConnectPageInput {
  t: Translate;
  locale: Locale;
  nonce: string;
  def: IntegrationDefinition;
  /** Methods offered, by format, with the fields each needs. */
  methods: OfferedMethod[];
  selected: string;
  flow: FlowParams;
  csrf: string;
  oauthUrl?: string;
  /** An OAuth method's fields were checked: show the link to the provider, not the fields. */
  oauthReady?: boolean;
  /** Values to put back in the form (never secrets). */
  values?: Record<string, string>;
  fieldErrors?: Record<string, string>;
  formError?: string;
}

/**
 * The modal's frame opens the provider in a popup (providers refuse framing), relays that
 * popup's message to the widget, and tells the widget the flow is detached: if the provider cuts
 * the popup's opener, the widget reads the outcome from the status channel itself.
 */
const RELAY_SCRIPT = `const S=${JSON.stringify(MESSAGE_SOURCE)};const c=JSON.parse(document.getElementById('cfg').textContent);const a=document.getElementById('oauth');
if(a&&c.mode==='modal'){let w=null,done=false;const relay=(m)=>{if(done)return;done=true;window.parent.postMessage(m,c.origin)};
a.addEventListener('click',(e)=>{e.preventDefault();w=window.open(a.href,'truto-oauth','popup=yes,width=480,height=720');if(!w){const p=document.getElementById('blocked');p.textContent=c.blocked;p.hidden=false}else window.parent.postMessage({source:S,nonce:c.nonce,type:'detached'},c.origin)});
window.addEventListener('message',(e)=>{if(e.origin===location.origin&&e.source===w&&e.data&&e.data.source===S&&e.data.nonce===c.nonce)relay(e.data)})}`;

/**
 * "Where to find it": a link to the provider's own page, in a new tab (the flow stays put).
 * https only, whatever a definition says: the schema requires it, and a page must not carry a
 * `javascript:` or plain-http link if a definition ever slipped past it.
 */
function helpLink(url: string | undefined, t: Translate): string {
  if (!url || !/^https:\/\//i.test(url) || !URL.canParse(url)) return '';
  return ` <a href="${escapeHtml(url)}" target="_blank" rel="noopener noreferrer">${escapeHtml(t('whereToFind'))}<span class="vh"> ${escapeHtml(t('newTab'))}</span></a>`;
}

/**
 * One field: its label (and "optional"), its help with the provider's link, then a text or
 * password input, or a select when the field has `options`; an inline error when it has one.
 */
function fieldControl(field: FieldDefinition, input: ConnectPageInput): string {
  const { t } = input;
  const id = `f-${field.name}`;
  const error = input.fieldErrors?.[field.name];
  const required = field.required !== false && field.default === undefined;
  const hasHelp = Boolean(field.help || field.helpUrl);
  const describedBy = [hasHelp ? `${id}-help` : '', error ? `${id}-err` : ''].filter(Boolean).join(' ');
  const value = field.secret ? '' : (input.values?.[field.name] ?? '');
  const common = `id="${id}" name="${escapeHtml(field.name)}"${required ? ' required' : ''}${describedBy ? ` aria-describedby="${describedBy}"` : ''}${error ? ' aria-invalid="true"' : ''}`;
  let control: string;
  if (field.options) {
    // An entered value first, else the default; a required field without one starts on "Choose…".
    const chosen = value || field.default || '';
    const known = field.options.some((option) => option.value === chosen);
    const prompt = known ? '' : `<option value="" selected>${escapeHtml(t('choose'))}</option>`;
    const options = field.options
      .map(
        (option) =>
          `<option value="${escapeHtml(option.value)}"${option.value === chosen ? ' selected' : ''}>${escapeHtml(option.label)}</option>`,
      )
      .join('');
    control = `<select ${common}>${prompt}${options}</select>`;
  } else {
    control = `<input ${common} type="${field.secret ? 'password' : 'text'}" autocomplete="off"${field.pattern ? ` pattern="${escapeHtml(field.pattern.replace(/^\^|\$$/g, ''))}"` : ''}${field.placeholder ? ` placeholder="${escapeHtml(field.placeholder)}"` : ''}${value ? ` value="${escapeHtml(value)}"` : ''}>`;
  }
  const label = `<label for="${id}">${escapeHtml(field.label)}${required ? '' : ` <span class="hint">(${escapeHtml(t('optional'))})</span>`}</label>`;
  const help = hasHelp
    ? `<p class="hint" id="${id}-help">${escapeHtml(field.help ?? '')}${helpLink(field.helpUrl, t)}</p>`
    : '';
  return `${label}${help}${control}${error ? `<p class="err" id="${id}-err">${escapeHtml(error)}</p>` : ''}`;
}

export function connectPage(input: ConnectPageInput): string {
  const { t, def, flow } = input;
  const name = def.label;
  const method = input.methods.find((m) => m.format === input.selected) ?? input.methods[0];
  const hidden = Object.entries({ ...flow, authFormat: method?.format ?? '', csrf: input.csrf })
    .map(([k, v]) => `<input type="hidden" name="${k}" value="${escapeHtml(v)}">`)
    .join('');
  let nav = '';
  if (input.methods.length > 1) {
    const links = input.methods
      .map((m) => {
        const url = new URL('/link/connect', 'http://x');
        for (const [k, v] of Object.entries(flow)) if (v) url.searchParams.set(k, v);
        url.searchParams.set('authFormat', m.format);
        const current = m.format === method?.format ? ' aria-current="page"' : '';
        return `<li><a href="${escapeHtml(url.pathname + url.search)}"${current}>${escapeHtml(m.label)}</a></li>`;
      })
      .join('');
    nav = `<nav aria-label="${escapeHtml(t('chooseMethod'))}"><p>${escapeHtml(t('chooseMethod'))}</p><ul>${links}</ul></nav>`;
  }
  let form = '';
  const methodHelp =
    method?.help || method?.helpUrl
      ? `<p class="hint">${escapeHtml(method.help ?? '')}${helpLink(method.helpUrl, t)}</p>`
      : '';
  const fieldInputs = (fields: FieldDefinition[]) =>
    fields.map((field) => fieldControl(field, input)).join('');
  const fieldsForm = (fields: FieldDefinition[], submit: string) =>
    `<form method="post" action="/link/connect" novalidate>${hidden}${methodHelp}${fieldInputs(fields)}<button class="btn" type="submit">${escapeHtml(submit)}</button></form>`;
  const showOAuthLink = method?.oauth && input.oauthUrl && (method.fields.length === 0 || input.oauthReady);
  if (showOAuthLink && method) {
    // The fields an OAuth method needed (a company subdomain), as entered, before leaving.
    const entered = method.fields
      .filter((f) => !f.secret && input.values?.[f.name])
      .map((f) => `${escapeHtml(f.label)}: <strong>${escapeHtml(input.values?.[f.name] ?? '')}</strong>`)
      .join('<br>');
    form = `${entered ? `<p>${entered}</p>` : ''}${methodHelp}<p>${escapeHtml(t('oauthHint', { integration: name }))}</p><a class="btn" id="oauth" href="${escapeHtml(input.oauthUrl ?? '')}">${escapeHtml(t('continueWith', { integration: name }))}</a><p class="err" role="alert" id="blocked" hidden></p>`;
  } else if (method?.oauth) {
    // An OAuth method with fields: collect and check them here first, with inline errors.
    form = fieldsForm(method.fields, t('next'));
  } else if (method) {
    form = fieldsForm(method.fields, t('connect'));
  }
  const body = `<h1>${escapeHtml(t('title', { integration: name }))}</h1><p>${escapeHtml(t('intro', { integration: name }))}</p>${input.formError ? `<p class="err" role="alert" id="form-error">${escapeHtml(input.formError)}</p>` : ''}${nav}${form}${jsonIsland('cfg', { mode: flow.mode, nonce: flow.nonce, origin: flow.origin, blocked: t('popupBlocked') })}`;
  return layout(
    input.locale,
    t('title', { integration: name }),
    input.nonce,
    body,
    showOAuthLink ? RELAY_SCRIPT : '',
  );
}

export interface ResultPageInput {
  locale: Locale;
  nonce: string;
  title: string;
  text: string;
  alert: boolean;
  /** What to post to the widget, and where; none for a top-level visit. */
  message?: FlowMessage;
  targetOrigin?: string;
  closeWindow: boolean;
  backUrl?: string;
  backLabel?: string;
}

const RESULT_SCRIPT = `const m=JSON.parse(document.getElementById('result').textContent);
const t=window.opener||(window.parent!==window?window.parent:null);
if(t&&m.message&&m.targetOrigin){try{t.postMessage(m.message,m.targetOrigin)}catch(e){}}
if(m.closeWindow&&window.opener)setTimeout(()=>window.close(),300);`;

export function resultPage(input: ResultPageInput): string {
  const back = input.backUrl
    ? `<p><a href="${escapeHtml(input.backUrl)}">${escapeHtml(input.backLabel ?? '')}</a></p>`
    : '';
  const body = `<h1>${escapeHtml(input.title)}</h1><p${input.alert ? ' role="alert"' : ''}>${escapeHtml(input.text)}</p>${back}${jsonIsland(
    'result',
    {
      message: input.message ?? null,
      targetOrigin: input.targetOrigin ?? null,
      closeWindow: input.closeWindow,
    },
  )}`;
  return layout(input.locale, input.title, input.nonce, body, input.message ? RESULT_SCRIPT : '');
}
