/**
 * A definition may put a value into the host of a URL (`https://{subdomain}.bamboohr.com`,
 * `{instance_url}`) only from a credential field with a pattern, so a tenant cannot point the
 * platform at any host by typing one: the pattern keeps it on the provider's own domains. The
 * outbound guard still checks where such a host resolves; this check makes a definition say
 * which hosts it means. Checked when definitions load.
 * @module
 */
import { credentialFieldsOf } from './catalogue.js';
import type { AuthMethodDefinition, IntegrationDefinition } from './definition.js';
import { placeholdersOf } from './template.js';

/** The placeholders in a URL template's scheme and host (before the first `/`, `?`, `#`). */
export function originPlaceholders(template: string): string[] {
  const afterScheme = template.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  const end = afterScheme.search(/[/?#]/);
  return placeholdersOf(end === -1 ? afterScheme : afterScheme.slice(0, end));
}

/** What is wrong, one line each; empty when every host placeholder is a patterned field. */
export function hostPlaceholderProblems(definition: IntegrationDefinition): string[] {
  const problems: string[] = [];
  const check = (where: string, template: string, methods: readonly AuthMethodDefinition[]) => {
    for (const name of originPlaceholders(template)) {
      for (const method of methods) {
        const field = credentialFieldsOf(method).find((f) => f.name === name);
        if (!field?.pattern) {
          problems.push(
            `${where} takes its host from {${name}}, which is not a credential field with a pattern of auth method "${method.format}"`,
          );
        }
      }
    }
  };
  const all = definition.authMethods;
  check('baseUrl', definition.baseUrl, all);
  for (const step of definition.postInstall ?? []) check(`post-install "${step.id}"`, step.request.path, all);
  for (const method of definition.methods ?? []) check(`method "${method.name}"`, method.request.path, all);
  for (const method of all) {
    const spec = method.oauth2;
    if (spec?.authorizeUrl) check(`${method.format} authorizeUrl`, spec.authorizeUrl, [method]);
    if (spec) check(`${method.format} tokenUrl`, spec.tokenUrl, [method]);
  }
  return problems;
}
