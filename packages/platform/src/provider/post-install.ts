/**
 * Runs an integration's post-install steps for one account and maps their output into the
 * account's `context`. Steps run in order, each bounded by its timeout; the first failure
 * stops the run with a {@link PostInstallError} that names the step.
 * @module
 */
import { PostInstallError } from '../errors.js';
import type { PostInstallStepDefinition } from '../integrations/definition.js';
import { renderOptionalTemplate } from '../integrations/template.js';
import { readAnswer, readPath } from './answer-path.js';
import { bodyErrorOf } from './body-errors.js';
import { callProvider, type ProviderAccount, type ProviderResponse, shortText } from './provider-client.js';
import { accountValues } from './request-builder.js';

function resolveSource(
  source: string,
  response: ProviderResponse,
  account: ProviderAccount,
  context: Record<string, unknown>,
  selected: unknown,
): unknown {
  const [, root, rest = ''] =
    /^\$(response\.body|response\.headers|credentials|context|selected)\.?(.*)$/.exec(source) ?? [];
  switch (root) {
    case 'selected':
      return rest === '' ? selected : readPath(selected, rest);
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
    if (response.throttled) {
      // A 403 that is a throttle (Google's) says nothing about the credentials.
      const wait =
        response.retryAfterMs === undefined
          ? 'later'
          : `in ${Math.max(1, Math.ceil(response.retryAfterMs / 1000))} s`;
      throw new PostInstallError(
        step.id,
        `the provider is rate limiting (it answered ${response.status}); try again ${wait}`,
        { providerStatus: response.status, firstStep, throttled: true },
      );
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

/** A value as it is compared and shown: strings as they are, numbers and booleans as text. */
function comparable(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/**
 * The item a step's `select` picks from its answer: the first whose values at the `where` paths
 * equal the rendered templates (case-insensitively). A template naming a value the account does
 * not have (an optional field left empty) drops its condition.
 * @throws PostInstallError when the answer lists nothing, or nothing matches.
 */
export function selectItem(
  step: PostInstallStepDefinition & { select: NonNullable<PostInstallStepDefinition['select']> },
  response: ProviderResponse,
  account: ProviderAccount,
  context: Record<string, unknown>,
): unknown {
  const items = readAnswer(step.select.items, response);
  if (!Array.isArray(items) || items.length === 0) {
    throw new PostInstallError(step.id, 'the provider listed nothing to choose from', {
      providerStatus: response.status,
      unmatched: true,
    });
  }
  const values = accountValues(account.credentials, context);
  const wanted: [string, string][] = [];
  for (const [path, template] of Object.entries(step.select.where ?? {})) {
    const value = renderOptionalTemplate(template, values);
    if (value !== undefined) wanted.push([path, value]);
  }
  const matches = (item: unknown) =>
    wanted.every(([path, value]) => comparable(readPath(item, path))?.toLowerCase() === value.toLowerCase());
  const found = items.find(matches);
  if (found !== undefined) return found;
  // Says what there was to choose from, so the person can correct the value they entered.
  const [path, value] = wanted[0] as [string, string];
  const seen = items
    .map((item) => comparable(readPath(item, path)))
    .filter((v): v is string => v !== undefined)
    .slice(0, 5)
    .map((v) => shortText(v));
  const listed = seen.length > 0 ? ` (listed: ${seen.join(', ')})` : '';
  throw new PostInstallError(
    step.id,
    `none of the ${items.length} items listed has ${path} "${shortText(value)}"${listed}`,
    { providerStatus: response.status, unmatched: true },
  );
}

/** Maps one step's answer into `context` (in place), as its `context` sources say. */
export function applyStepContext(
  step: PostInstallStepDefinition,
  response: ProviderResponse,
  account: ProviderAccount,
  context: Record<string, unknown>,
): void {
  const selected = step.select
    ? selectItem({ ...step, select: step.select }, response, account, context)
    : undefined;
  for (const [key, source] of Object.entries(step.context ?? {})) {
    const value = resolveSource(source, response, account, context, selected);
    if (value !== undefined) context[key] = value;
  }
}
