// Rewrites the catalogue table in README.md (between <!-- catalogue:start --> and
// <!-- catalogue:end -->) from the shipped definitions. Run by `pnpm catalogue:table`, which
// builds first: the table code is src/integrations/catalogue-table.ts, run from dist/.
// A test (src/integrations/catalogue-table.test.ts) fails when the README's table is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { IntegrationCatalogue } from '../dist/integrations/catalogue.js';
import { catalogueTable, withCatalogueTable } from '../dist/integrations/catalogue-table.js';

const readmePath = fileURLToPath(new URL('../README.md', import.meta.url));
const catalogue = IntegrationCatalogue.load();
const table = catalogueTable(catalogue.names().map((name) => catalogue.require(name)));
const before = readFileSync(readmePath, 'utf8');
const after = withCatalogueTable(before, table);
if (after === before) {
  console.log(`README.md: the catalogue table is up to date (${catalogue.names().length} integrations)`);
} else {
  writeFileSync(readmePath, after);
  console.log(`README.md: rewrote the catalogue table (${catalogue.names().length} integrations)`);
}
