/**
 * @truto-connect/platform: the self-hostable Truto Admin API.
 *
 * @example
 * ```ts
 * import { createPlatform } from '@truto-connect/platform';
 * const platform = await createPlatform({ database: 'sqlite:.data/truto.sqlite' });
 * const { apiToken } = await platform.tenants.create({ name: 'Acme', allowedOrigins: ['https://app.acme.test'] });
 * await platform.listen(4000);
 * ```
 * @module
 */

export * from './errors.js';
export { IntegrationCatalogue, parseDefinition } from './integrations/catalogue.js';
export type { IntegrationDefinition } from './integrations/definition.js';
export { createLogger } from './logger.js';
export { createPlatform, type Platform, type PlatformOptions } from './platform.js';
export type * from './services/api-types.js';
export type { NewTenant, Tenant } from './store/tenants.js';
