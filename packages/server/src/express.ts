/**
 * The Express adapter (Express 4.21+ and 5): `trutoConnect(options)` validates the options once
 * and returns a named middleware that answers the helper's four paths below its mount point and
 * calls `next()` for everything else. It reads the body itself, so the webhook's signature is
 * checked against the exact bytes; mount it before `express.json()` (or leave the body parser
 * off its paths). Nothing here imports Express: it uses only what both majors provide.
 *
 * @example
 * ```ts
 * app.use('/truto', trutoConnect({ baseUrl, apiToken, externalId: (req) => req.user?.id, onConnected }));
 * ```
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
// Types only: Express itself is never imported, so either major (or none) can be installed.
import type { Request as ExpressRequest } from 'express';
import { createAdminClient } from './admin-client.js';
import { ConnectCore } from './connect-core.js';
import { TrutoConnectError } from './errors.js';
import { keepAliveTransport } from './keep-alive-transport.js';
import { resolveOptions, type TrutoConnectOptions } from './options.js';
import { platformKeys } from './platform-keys.js';
import { createRoutes, errorResponse, type HelperRequest, type HelperResponse } from './routes.js';
import { TenantBinding } from './tenant-binding.js';

/** What the adapter reads of Express's request (4 and 5 alike). */
export interface ExpressLikeRequest extends IncomingMessage {
  baseUrl?: string;
  protocol?: string;
  body?: unknown;
  /** A raw body kept by an earlier parser (`express.json({ verify })` conventions). */
  rawBody?: unknown;
}

export type TrutoConnectMiddleware<Req> = (
  req: Req,
  res: ServerResponse,
  next: (error?: unknown) => void,
) => void;

/** Reads the request body up to `limit` bytes. */
function readBody(req: ExpressLikeRequest, limit: number, raw: boolean): Promise<Uint8Array> {
  const withinLimit = (bytes: Buffer) =>
    bytes.length > limit
      ? Promise.reject(new TrutoConnectError('payload_too_large', `the body is over ${limit} bytes`))
      : Promise.resolve(bytes);
  if (Buffer.isBuffer(req.rawBody)) return withinLimit(req.rawBody);
  if (req.readableEnded || (req as { _body?: boolean })._body === true) {
    // A body parser ran first and consumed the stream: its exact bytes are gone.
    if (Buffer.isBuffer(req.body)) return withinLimit(req.body);
    if (!raw && typeof req.body === 'object' && req.body !== null) {
      return withinLimit(Buffer.from(JSON.stringify(req.body)));
    }
    return Promise.reject(
      new TrutoConnectError(
        'raw_body_unavailable',
        'a body parser read this request before the helper; mount trutoConnect before express.json()',
      ),
    );
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    return Promise.reject(new TrutoConnectError('payload_too_large', `the body is over ${limit} bytes`));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        req.resume();
        reject(new TrutoConnectError('payload_too_large', `the body is over ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', (cause) =>
      reject(new TrutoConnectError('invalid_request', 'the body could not be read', { cause })),
    );
  });
}

function send(res: ServerResponse, answer: HelperResponse): void {
  res.statusCode = answer.status;
  for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
  res.end(answer.body);
}

/** Builds a {@link HelperRequest} from Express's request. */
export function helperRequestOf<Req extends ExpressLikeRequest>(
  req: Req,
  publicUrl: string | undefined,
): HelperRequest<Req> {
  const url = new URL(req.url ?? '/', 'http://path.invalid');
  const header = (name: string) => {
    const value = req.headers[name.toLowerCase()];
    return Array.isArray(value) ? value.join(', ') : value;
  };
  const origin = publicUrl ?? `${req.protocol ?? 'http'}://${header('host') ?? 'localhost'}`;
  return {
    method: req.method ?? 'GET',
    path: url.pathname,
    query: url.searchParams,
    header,
    mountUrl: `${origin}${req.baseUrl ?? ''}`,
    body: (limit, { raw }) => readBody(req, limit, raw),
    native: req,
  };
}

/**
 * Mount with `app.use('/truto', trutoConnect({...}))`. Options are checked here, once: a
 * mistake throws a `TypeError` naming the option.
 */
export function trutoConnect<Req extends ExpressLikeRequest = ExpressRequest>(
  options: TrutoConnectOptions<Req>,
): TrutoConnectMiddleware<Req> {
  const resolved = resolveOptions(options);
  const admin = createAdminClient({
    baseUrl: resolved.baseUrl,
    apiToken: resolved.apiToken,
    ...keepAliveTransport(),
  });
  const core = new ConnectCore<Req>({
    options: resolved,
    admin,
    keys: platformKeys(resolved.baseUrl),
    tenant: new TenantBinding(admin, resolved.tenantId),
  });
  const route = createRoutes(core, resolved);

  return function trutoConnectMiddleware(req, res, next) {
    route(helperRequestOf(req, resolved.publicUrl)).then(
      (answer) => {
        if (answer) send(res, answer);
        else next();
      },
      (error: unknown) => {
        // route() answers its own errors; this is a bug or a closed socket.
        if (res.headersSent) return next(error);
        send(
          res,
          errorResponse(
            new TrutoConnectError('internal_error', 'the request could not be handled', { cause: error }),
          ),
        );
      },
    );
  };
}
