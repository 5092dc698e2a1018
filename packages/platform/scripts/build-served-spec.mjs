// Builds openapi/admin-api.yaml (the served spec) from the seed and the documented additions.
// Run by `pnpm generate:types`; a test checks the committed file matches this merge.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { mergeSpec } from './merge-spec.mjs';

const dir = fileURLToPath(new URL('../openapi/', import.meta.url));
const seed = YAML.parse(readFileSync(`${dir}seed.yaml`, 'utf8'));
const additions = YAML.parse(readFileSync(`${dir}additions.yaml`, 'utf8'));
const header = '# GENERATED from seed.yaml + additions.yaml by scripts/build-served-spec.mjs; do not edit.\n';
writeFileSync(`${dir}admin-api.yaml`, header + YAML.stringify(mergeSpec(seed, additions)));
