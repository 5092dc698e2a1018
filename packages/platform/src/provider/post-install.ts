/**
 * Runs an integration's post-install steps for one account and maps their output into the
 * account's `context`. Steps run in order, each bounded by its timeout; the first failure
 * stops the run with a {@link PostInstallError} that names the step.
 * @module
 */
import { PostInstallError } from '../errors.js';
import type { PostInstallStepDefinition } from '../integrations/definition.js';
import { readPath } from './answer-path.js';
import { bodyErrorOf } from './body-errors.js';
import { callProvider, type ProviderAccount, type ProviderResponse, shortText } from './provider-client.js';

function resolveSource(
  source: string,
  response: ProviderResponse,
  account: ProviderAccount,
  context: Record<string, unknown>,
): unknown {
  const [, root, rest = ''] =
    /^\$(response\.body|response\.headers|credentials|context)\.?(.*)$/.exec(source) ?? [];
  switch (root) {
    case 'response.body':
      return rest === '' ? response.body : readPath(response.body, rest);
    case 'response.headers':
      return response.headers.get(rest) ?? undefined;
    case 'credentials':
      return account.credentials[rest];
    case 'context':
      return readPath(context, rest);
    default:
      return undefined;
  }
}

/** A string field of a parsed object, own properties only. */
function stringField(value: unknown, key: string): string | undefined {
  if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return undefined;
  const field = (value as Record<string, unknown>)[key];
  return typeof field === 'string' && field.trim() !== '' ? field : undefined;
}

/**
 * What the provider said, short: the `message`, `error_description` or `error` of a JSON answer
 * (also `error.message` and Salesforce's `[{message}]`), else the HTTP status text. Never the raw
 * body: `statusReason` is read by the tenant, and an answer's body is not theirs to read.
 */
export function providerMessage(response: Pick<ProviderResponse, 'body' | 'statusText'>): string {
  const body = Array.isArray(response.body) ? response.body[0] : response.body;
  const said =
    stringField(body, 'message') ??
    stringField(body, 'error_description') ??
    stringField(body, 'error') ??
    (body !== null && typeof body === 'object' && Object.hasOwn(body, 'error')
      ? stringField((body as { error: unknown }).error, 'message')
      : undefined) ??
    stringField(response, 'statusText');
  return said === undefined ? '' : `: ${shortText(said)}`;
}

export async function runPostInstallActions(account: ProviderAccount): Promise<Record<string, unknown>> {
  const context: Record<string, unknown> = { ...account.context };
  const steps = account.definition.postInstall ?? [];
  for (const [index, step] of steps.entries()) {
    // The first step is the one that proves the credentials work.
    const firstStep = index === 0;
    let response: ProviderResponse;
    try {
      response = await callProvider({ ...account, context }, step.request, {
        ...(step.timeoutMs === undefined ? {} : { timeoutMs: step.timeoutMs }),
      });
    } catch (cause) {
      const providerStatus = (cause as { providerStatus?: number }).providerStatus;
      throw new PostInstallError(step.id, (cause as Error).message, { cause, providerStatus, firstStep });
    }
    if (response.status < 200 || response.status > 299) {
      throw new PostInstallError(
        step.id,
        `the provider answered ${response.status}${providerMessage(response)}`,
        {
          providerStatus: response.status,
          firstStep,
        },
      );
    }
    const bodyError = bodyErrorOf(account.definition.bodyErrors, response);
    if (bodyError !== undefined) {
      throw new PostInstallError(
        step.id,
        `the provider answered ${response.status} with an error: ${shortText(bodyError)}`,
        { providerStatus: response.status, firstStep },
      );
    }
    applyStepContext(step, response, account, context);
  }
  return context;
}

/** Maps one step's answer into `context` (in place), as its `context` sources say. */
export function applyStepContext(
  step: PostInstallStepDefinition,
  response: ProviderResponse,
  account: ProviderAccount,
  context: Record<string, unknown>,
): void {
  for (const [key, source] of Object.entries(step.context ?? {})) {
    const value = resolveSource(source, response, account, context);
    if (value !== undefined) context[key] = value;
  }
}
