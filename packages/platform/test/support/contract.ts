/**
 * Contract tests of integration definitions, with no network: what a definition sends for its
 * post-install steps and methods (URL, method, headers, body, through the same builder
 * `callProvider` uses), the authorization URL it starts with, the token request it makes (the
 * real exchange code, with the request recorded and a documented sample answer returned), the
 * context it keeps from documented sample answers, and the next page it reads from them.
 */
import { IntegrationCatalogue } from '../../src/integrations/catalogue.js';
import type {
  AuthFormat,
  AuthMethodDefinition,
  IntegrationDefinition,
  MethodDefinition,
  OAuth2Definition,
} from '../../src/integrations/definition.js';
import { exchangeAuthorizationCode, startAuthorization } from '../../src/provider/oauth-authorization.js';
import { nextPageFor } from '../../src/provider/pagination.js';
import { applyStepContext } from '../../src/provider/post-install.js';
import { clientCredentialsToken } from '../../src/provider/provider-client.js';
import { rateLimitPolicyOf, throttleDecision } from '../../src/provider/rate-limit.js';
import { accountValues, prepareProviderRequest } from '../../src/provider/request-builder.js';

const catalogue = IntegrationCatalogue.load();

/** A shipped definition by name (throws when the catalogue has none). */
export function shippedDefinition(name: string): IntegrationDefinition {
  return catalogue.require(name);
}

export function shippedNames(): string[] {
  return catalogue.names();
}

export interface ContractAccount {
  /** The auth method; the definition's first when left out. */
  format?: AuthFormat;
  /** Entered fields and tokens (`access_token`, token-response fields). */
  credentials: Record<string, string>;
  context?: Record<string, unknown>;
}

/** A request as the provider would receive it: header names lower-cased, the body parsed. */
export interface ContractRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: unknown;
}

/** A provider answer as documented: status 200 and JSON unless said otherwise. */
export interface SampleAnswer {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export function authMethodOf(def: IntegrationDefinition, format?: AuthFormat): AuthMethodDefinition {
  const method = format === undefined ? def.authMethods[0] : def.authMethods.find((m) => m.format === format);
  if (!method) throw new Error(`${def.name} has no auth method ${format}`);
  return method;
}

export function methodOf(def: IntegrationDefinition, name: string): MethodDefinition {
  const method = def.methods?.find((m) => m.name === name);
  if (!method) throw new Error(`${def.name} has no method ${name}`);
  return method;
}

function asContract(prepared: ReturnType<typeof prepareProviderRequest>): ContractRequest {
  const headers: Record<string, string> = {};
  prepared.headers.forEach((value, name) => {
    headers[name] = value;
  });
  return {
    method: prepared.method,
    url: prepared.url.href,
    headers,
    ...(prepared.body === undefined ? {} : { body: JSON.parse(prepared.body) as unknown }),
  };
}

/** The request a method sends for these arguments. */
export function methodRequest(
  def: IntegrationDefinition,
  account: ContractAccount,
  methodName: string,
  args: Record<string, unknown> = {},
): ContractRequest {
  const method = methodOf(def, methodName);
  const values = accountValues(account.credentials, account.context ?? {});
  return asContract(
    prepareProviderRequest(def, authMethodOf(def, account.format), values, method.request, {
      input: args,
      ...(method.pagination === undefined ? {} : { pagination: method.pagination }),
    }),
  );
}

/** The request of one post-install step, given the context the steps before it kept. */
export function postInstallRequest(
  def: IntegrationDefinition,
  account: ContractAccount,
  stepId: string,
): ContractRequest {
  const step = def.postInstall?.find((s) => s.id === stepId);
  if (!step) throw new Error(`${def.name} has no post-install step ${stepId}`);
  const values = accountValues(account.credentials, account.context ?? {});
  return asContract(prepareProviderRequest(def, authMethodOf(def, account.format), values, step.request));
}

function answerOf(sample: SampleAnswer) {
  return {
    status: sample.status ?? 200,
    statusText: '',
    headers: new Headers(sample.headers ?? {}),
    body: sample.body,
  };
}

/**
 * Runs the post-install steps' context mapping over sample answers (one per step id, in order)
 * and answers each step's request and the context kept.
 */
export function postInstallRun(
  def: IntegrationDefinition,
  account: ContractAccount,
  answers: Record<string, SampleAnswer>,
): { requests: Record<string, ContractRequest>; context: Record<string, unknown> } {
  const method = authMethodOf(def, account.format);
  const context: Record<string, unknown> = { ...(account.context ?? {}) };
  const requests: Record<string, ContractRequest> = {};
  for (const step of def.postInstall ?? []) {
    const values = accountValues(account.credentials, context);
    requests[step.id] = asContract(prepareProviderRequest(def, method, values, step.request));
    const sample = answers[step.id];
    if (!sample) throw new Error(`no sample answer for post-install step ${step.id}`);
    applyStepContext(
      step,
      answerOf(sample),
      { definition: def, method, credentials: account.credentials, context },
      context,
    );
  }
  return { requests, context };
}

/** The next-page arguments a method's tool answer carries for a sample answer. */
export function nextPage(
  def: IntegrationDefinition,
  methodName: string,
  sample: SampleAnswer,
  args: Record<string, unknown> = {},
): Record<string, string | number> | undefined {
  const method = methodOf(def, methodName);
  if (!method.pagination) throw new Error(`${def.name}.${methodName} declares no pagination`);
  return nextPageFor(method.pagination, answerOf(sample), args);
}

function oauthSpecOf(def: IntegrationDefinition, format: AuthFormat = 'oauth2'): OAuth2Definition {
  const spec = authMethodOf(def, format).oauth2;
  if (!spec) throw new Error(`${def.name} ${format} has no oauth2 settings`);
  return spec;
}

/** The authorization URL the connect page sends a person to. */
export async function authorizeUrl(
  def: IntegrationDefinition,
  fields: Record<string, string> = {},
  client = { clientId: 'client-123', clientSecret: 'secret-456' },
  redirectUri = 'https://connect.example.com/link/oauth/callback',
): Promise<URL> {
  const spec = oauthSpecOf(def);
  if (!spec.authorizeUrl) throw new Error(`${def.name} has no authorizeUrl`);
  const started = await startAuthorization({ ...spec, authorizeUrl: spec.authorizeUrl }, client, {
    fields,
    scopes: undefined,
    redirectUri,
  });
  return new URL(started.url);
}

type RecordedTokenRequest = ContractRequest & { form: Record<string, string> };

/** A fetch that records the one request it gets and answers the sample. */
function recordingTransport(answer: SampleAnswer): {
  transport: typeof fetch;
  recorded: () => RecordedTokenRequest | undefined;
} {
  let recorded: RecordedTokenRequest | undefined;
  const transport = (async (input: string | URL | Request, init?: RequestInit) => {
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((value, name) => {
      headers[name] = value;
    });
    const text = init?.body instanceof URLSearchParams ? init.body.toString() : String(init?.body ?? '');
    recorded = {
      method: init?.method ?? 'GET',
      url: String(input instanceof Request ? input.url : input),
      headers,
      form: Object.fromEntries(new URLSearchParams(text)),
    };
    return new Response(JSON.stringify(answer.body ?? {}), {
      status: answer.status ?? 200,
      headers: { 'content-type': 'application/json', ...(answer.headers ?? {}) },
    });
  }) as typeof fetch;
  return { transport, recorded: () => recorded };
}

/**
 * The client-credentials token request, run by the platform's own code: the request it sends
 * (recorded, never sent) and the access token it takes from a documented sample answer.
 * @param fields the account's entered fields (client_id, client_secret, optional ones).
 */
export async function clientCredentialsExchange(
  def: IntegrationDefinition,
  answer: SampleAnswer,
  fields: Record<string, string>,
): Promise<{ request: RecordedTokenRequest; accessToken: string }> {
  const { transport, recorded } = recordingTransport(answer);
  const accessToken = await clientCredentialsToken(
    def,
    authMethodOf(def, 'oauth2_client_credentials'),
    fields,
    AbortSignal.timeout(5000),
    transport,
  );
  const request = recorded();
  if (!request) throw new Error('no token request was made');
  return { request, accessToken };
}

/**
 * The authorization-code exchange, run by the platform's own code: the token request it sends
 * (recorded, never sent) and the credentials it keeps from a documented sample token answer.
 */
export async function tokenExchange(
  def: IntegrationDefinition,
  answer: SampleAnswer,
  fields: Record<string, string> = {},
  client = { clientId: 'client-123', clientSecret: 'secret-456' },
  redirectUri = 'https://connect.example.com/link/oauth/callback',
): Promise<{
  request: ContractRequest & { form: Record<string, string> };
  credentials: Record<string, unknown>;
}> {
  const { transport, recorded } = recordingTransport(answer);
  const credentials = await exchangeAuthorizationCode(
    oauthSpecOf(def),
    client,
    { fields, callbackQuery: { code: 'code-789' }, redirectUri, codeVerifier: 'v'.repeat(43) },
    { transport },
  );
  const request = recorded();
  if (!request) throw new Error('no token request was made');
  return { request, credentials };
}

/**
 * What the platform does with a throttled sample answer under the definition's `rateLimit`: the
 * wait it reads and whether it would try again (first try, a minute left of the call's time).
 * `undefined` when the answer is not a throttle at all.
 */
export function throttleOf(def: IntegrationDefinition, sample: SampleAnswer, now = Date.now()) {
  const answer = {
    status: sample.status ?? 200,
    headers: new Headers(sample.headers ?? {}),
    body: sample.body,
  };
  return throttleDecision(rateLimitPolicyOf(def.rateLimit), answer, 0, 60_000, now);
}
