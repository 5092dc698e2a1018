/**
 * The outbound guard: an undici `Agent` whose connector refuses, for every connection it opens
 * (the first request, each redirect hop, each new pooled socket), anything but https to a
 * global unicast address. Names are resolved inside the connection's own `lookup`, and every
 * resolved address must pass, so the address checked is the address connected to: a DNS answer
 * that changes between a check and the connect (rebinding) cannot slip through. IP literals
 * skip `lookup` in Node, so the connector judges them itself.
 *
 * Used only for requests whose host is tainted (came from credentials, context or a provider's
 * answer); hosts fixed by the operator (catalogue definitions, the sandbox, webhook URLs) use
 * the default dispatcher.
 *
 * @example
 * await undici.fetch(url, { dispatcher: createGuardedDispatcher() });
 * @module
 */
import { promises as dns, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { Agent, buildConnector } from 'undici';
import { OutboundRequestRefusedError } from '../errors.js';
import { type AddressVerdict, classifyAddress, isIpLiteral, stripBrackets } from './address-policy.js';

/** Resolves a host name to every address it has (the system resolver by default). */
export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

const systemResolver: Resolver = (hostname) => dns.lookup(hostname, { all: true, verbatim: true });

export function refusedAddress(hostname: string, verdict: AddressVerdict): OutboundRequestRefusedError {
  const where = stripBrackets(hostname) === verdict.address ? '' : ` (it resolves to ${verdict.address})`;
  return new OutboundRequestRefusedError(
    `refused to call ${hostname}${where}: a ${verdict.range} address, and provider hosts taken from credentials or provider answers must be public`,
  );
}

/**
 * A `net.connect` lookup that resolves, then refuses unless every address is allowed. Answers in
 * either shape Node asks for (`all: true` with autoSelectFamily, or one address).
 */
export function guardedLookup(resolve: Resolver = systemResolver): LookupFunction {
  return function lookupAllowedAddress(hostname, options, callback) {
    resolve(hostname).then(
      (found) => {
        const family = options.family === 4 || options.family === 6 ? options.family : undefined;
        const addresses = family ? found.filter((a) => a.family === family) : found;
        for (const { address } of addresses) {
          const verdict = classifyAddress(address);
          if (!verdict.allowed) return callback(refusedAddress(hostname, verdict), '', 0);
        }
        const [first] = addresses;
        if (!first) {
          const error = Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' });
          return callback(error, '', 0);
        }
        if (options.all) return (callback as (e: null, a: LookupAddress[]) => void)(null, addresses);
        return callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 0),
    );
  };
}

/** Refuses a URL up front when its scheme or IP-literal host cannot pass (a clearer error). */
export function assertOutboundUrl(url: URL): void {
  if (url.protocol !== 'https:') {
    throw new OutboundRequestRefusedError(
      `refused to call ${url.protocol}//${url.host}: provider hosts taken from credentials or provider answers must use https`,
    );
  }
  if (isIpLiteral(url.hostname)) {
    const verdict = classifyAddress(stripBrackets(url.hostname));
    if (!verdict.allowed) throw refusedAddress(url.hostname, verdict);
  }
}

export interface GuardedDispatcherOptions {
  /** Resolver for host names (tests inject one); the system's by default. */
  resolve?: Resolver;
  /** Connect timeout in ms (undici's default is 10 s). */
  connectTimeoutMs?: number;
}

export function createGuardedDispatcher(options: GuardedDispatcherOptions = {}): Agent {
  const connect = buildConnector({
    lookup: guardedLookup(options.resolve),
    ...(options.connectTimeoutMs === undefined ? {} : { timeout: options.connectTimeoutMs }),
  });
  return new Agent({
    connect: function connectGuarded(target, callback) {
      if (target.protocol !== 'https:') {
        callback(
          new OutboundRequestRefusedError(
            `refused to call ${target.protocol}//${target.hostname}: provider hosts taken from credentials or provider answers must use https`,
          ),
          null,
        );
        return;
      }
      if (isIpLiteral(target.hostname)) {
        const verdict = classifyAddress(stripBrackets(target.hostname));
        if (!verdict.allowed) {
          callback(refusedAddress(target.hostname, verdict), null);
          return;
        }
      }
      connect(target, callback);
    },
  });
}

let shared: Agent | undefined;

/** The process's guarded dispatcher (one connection pool for every tainted request). */
export function guardedDispatcher(): Agent {
  shared ??= createGuardedDispatcher();
  return shared;
}
