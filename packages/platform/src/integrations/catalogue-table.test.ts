import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { IntegrationCatalogue } from './catalogue.js';
import { catalogueTable, TABLE_END, TABLE_START, withCatalogueTable } from './catalogue-table.js';
import type { IntegrationDefinition } from './definition.js';

const README = new URL('../../README.md', import.meta.url);

const sample: IntegrationDefinition = {
  name: 'pipes',
  label: 'Pipes | Co',
  category: 'crm',
  docsUrl: 'https://docs.pipes.example/api',
  baseUrl: 'https://api.pipes.example',
  authMethods: [
    { format: 'api_key', label: 'Key', apply: { headers: { 'X-Key': '{api_key}' } } },
    {
      format: 'oauth2',
      label: 'Sign in',
      oauth2: { grant: 'authorization_code', authorizeUrl: 'https://x/a', tokenUrl: 'https://x/t' },
      apply: { headers: { Authorization: 'Bearer {access_token}' } },
    },
  ],
  methods: [
    { name: 'list_deals', description: 'List.', request: { method: 'GET', path: '/deals' } },
    { name: 'create_deal', description: 'Create.', request: { method: 'POST', path: '/deals' } },
  ],
  verification: {
    checked: '2026-11-29',
    sources: ['https://docs.pipes.example/api/auth', 'https://docs.pipes.example/api/paging'],
    notes: 'Scopes differ | see docs.\nSecond line.',
  },
};

describe('the catalogue table', () => {
  it('has one row per integration: provider link, category, auth, tools, sources, date, notes', () => {
    expect(catalogueTable([sample]).split('\n')).toEqual([
      '| Provider | Category | Auth methods | Tools | Verified against | Checked | Notes |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      '| [Pipes \\| Co](https://docs.pipes.example/api) (`pipes`) | CRM | API key, OAuth 2.0 | `list_deals`, `create_deal` | [docs.pipes.example/api/auth](https://docs.pipes.example/api/auth)<br>[docs.pipes.example/api/paging](https://docs.pipes.example/api/paging) | 2026-11-29 | Scopes differ \\| see docs. Second line. |',
    ]);
  });

  it('sorts by category, then name, and says when a definition is not verified', () => {
    const hris: IntegrationDefinition = { ...sample, name: 'zhr', label: 'ZHR', category: 'hris' };
    const unverified: IntegrationDefinition = { ...sample, name: 'acrm', label: 'ACRM' };
    delete unverified.verification;
    const rows = catalogueTable([sample, unverified, hris]).split('\n').slice(2);
    expect(rows.map((r) => /\(`([^`]+)`\)/.exec(r)?.[1])).toEqual(['zhr', 'acrm', 'pipes']);
    expect(rows[1]).toContain('| not yet verified | — |  |');
  });

  it('replaces only what is between the markers', () => {
    const readme = `# X\n\nbefore\n${TABLE_START}\nold\n${TABLE_END}\nafter\n`;
    expect(withCatalogueTable(readme, '| t |')).toBe(
      `# X\n\nbefore\n${TABLE_START}\n| t |\n${TABLE_END}\nafter\n`,
    );
    expect(() => withCatalogueTable('# no markers', '| t |')).toThrow(/markers/);
  });

  it('is up to date in the README (run `pnpm -C packages/platform catalogue:table`)', () => {
    const catalogue = IntegrationCatalogue.load();
    const table = catalogueTable(catalogue.names().map((name) => catalogue.require(name)));
    const readme = readFileSync(README, 'utf8');
    expect(readme, 'the README catalogue table is stale: run pnpm -C packages/platform catalogue:table').toBe(
      withCatalogueTable(readme, table),
    );
  });
});
