/**
 * Fills `{name}` placeholders in definition templates from an account's values.
 * @module
 */
import { TemplateValueMissingError } from '../errors.js';

export { TemplateValueMissingError };

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

export type TemplateValues = Readonly<Record<string, unknown>>;

/** The placeholder names a template uses. */
export function placeholdersOf(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1] as string);
}

/**
 * @param options.encode URL-encode each value (for values put into a path).
 * @param options.optional return `undefined` instead of throwing when a value is missing.
 */
export function renderTemplate(
  template: string,
  values: TemplateValues,
  options: { encode?: boolean } = {},
): string {
  return template.replace(PLACEHOLDER, (_, name: string) => {
    // Own properties only: a placeholder named like an Object.prototype member is not a value.
    const value = Object.hasOwn(values, name) ? values[name] : undefined;
    if (value === undefined || value === null || value === '') {
      throw new TemplateValueMissingError(name, template);
    }
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    return options.encode ? encodeURIComponent(text) : text;
  });
}

/** Renders a template, or returns `undefined` when one of its values is missing. */
export function renderOptionalTemplate(template: string, values: TemplateValues): string | undefined {
  try {
    return renderTemplate(template, values);
  } catch (error) {
    if (error instanceof TemplateValueMissingError) return undefined;
    throw error;
  }
}

/**
 * Whether a URL template fixes its scheme and host itself (`https://api.bamboohr.com/{x}`),
 * as opposed to taking them from a value (`{instance_url}`, `https://{subdomain}.bamboohr.com`).
 * A URL whose origin depends on a value is tainted: requests to it go through the outbound guard.
 */
export function templateFixesOrigin(template: string): boolean {
  return /^https?:\/\/[^/?#{}\\]+(?:[/?#]|$)/i.test(template);
}
