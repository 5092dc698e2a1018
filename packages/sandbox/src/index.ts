/**
 * @truto-connect/sandbox: Acme HR, a real stand-in third-party app for offline development.
 *
 * @example
 * ```ts
 * import { createSandbox } from '@truto-connect/sandbox';
 * const sandbox = createSandbox({ publicUrl: 'http://localhost:4100', platformUrl: 'http://localhost:4000' });
 * await sandbox.listen(4100);
 * ```
 * @module
 */

export { API_SCOPES, DEMO_ACCOUNT } from './authorization-server.js';
export type { Company, Employee } from './directory.js';
export {
  createSandbox,
  DEFAULT_API_KEY,
  DEFAULT_CLIENT_ID,
  DEFAULT_CLIENT_SECRET,
  PLATFORM_CALLBACK_PATH,
  type Sandbox,
  type SandboxOptions,
} from './sandbox.js';
