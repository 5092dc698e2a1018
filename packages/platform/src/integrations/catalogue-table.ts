/**
 * The README's catalogue table, made from the definitions so it cannot drift from them: one
 * row per integration with its category, auth methods, MCP tools, and what it was verified
 * against and when (`verification`). `pnpm catalogue:table` writes it between the
 * `<!-- catalogue:start -->` and `<!-- catalogue:end -->` markers; a test fails when the README's
 * copy is out of date.
 * @module
 */
import { toolsOf } from '../mcp/tools.js';
import type { AuthFormat, IntegrationDefinition } from './definition.js';

export const TABLE_START = '<!-- catalogue:start -->';
export const TABLE_END = '<!-- catalogue:end -->';

const CATEGORY_ORDER = ['hris', 'ats', 'crm', 'ticketing', 'dev', 'communication', 'files', 'other'];
const CATEGORY_LABEL: Record<string, string> = {
  hris: 'HRIS',
  ats: 'ATS',
  crm: 'CRM',
  ticketing: 'Ticketing',
  dev: 'Dev',
  communication: 'Communication',
  files: 'Files',
  other: 'Other',
};
const FORMAT_LABEL: Record<AuthFormat, string> = {
  api_key: 'API key',
  basic: 'Basic',
  oauth2: 'OAuth 2.0',
  oauth2_client_credentials: 'OAuth 2.0 client credentials',
};

/** Text safe in one Markdown table cell: no pipes or line breaks to end it early. */
function cell(text: string): string {
  return text
    .replace(/\r?\n+/g, ' ')
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .trim();
}

/** A link's text: the page's host and path, short. */
function linkText(url: string): string {
  try {
    const parsed = new URL(url);
    const path = parsed.pathname.replace(/\/$/, '');
    const short = `${parsed.host}${path}`;
    return short.length > 60 ? `${short.slice(0, 57)}…` : short;
  } catch {
    return url;
  }
}

const link = (text: string, url: string) =>
  `[${cell(text).replace(/[[\]]/g, '\\$&')}](${url.replace(/[()\s|]/g, encodeURIComponent)})`;

function row(def: IntegrationDefinition): string {
  const provider = def.docsUrl ? link(def.label, def.docsUrl) : cell(def.label);
  const category = def.category ? (CATEGORY_LABEL[def.category] ?? def.category) : '—';
  const auth = def.authMethods.map((m) => FORMAT_LABEL[m.format] ?? m.format).join(', ');
  const tools = toolsOf(def)
    .map((tool) => `\`${tool.name}\``)
    .join(', ');
  const verification = def.verification;
  const sources = verification
    ? verification.sources.map((url) => link(linkText(url), url)).join('<br>')
    : 'not yet verified';
  const checked = verification?.checked ?? '—';
  const notes = verification?.notes ? cell(verification.notes) : '';
  return `| ${provider} (\`${def.name}\`) | ${category} | ${auth} | ${tools || '—'} | ${sources} | ${checked} | ${notes} |`;
}

/** The table, by category (in the schema's order) and then name. */
export function catalogueTable(definitions: Iterable<IntegrationDefinition>): string {
  const rank = (def: IntegrationDefinition) => {
    const index = CATEGORY_ORDER.indexOf(def.category ?? 'other');
    return index === -1 ? CATEGORY_ORDER.length : index;
  };
  const sorted = [...definitions].sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
  return [
    '| Provider | Category | Auth methods | Tools | Verified against | Checked | Notes |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...sorted.map(row),
  ].join('\n');
}

/** The README with the text between the markers replaced by `table`; throws without markers. */
export function withCatalogueTable(readme: string, table: string): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start === -1 || end === -1 || end < start) {
    throw new Error(`the README needs ${TABLE_START} and ${TABLE_END} markers, in that order`);
  }
  return `${readme.slice(0, start + TABLE_START.length)}\n${table}\n${readme.slice(end)}`;
}
