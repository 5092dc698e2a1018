import express from 'express';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlatformError, ServiceUnavailableError } from '../errors.js';
import { errorHandler } from './error-handler.js';
import { operationsRouter } from './operations-router.js';

describe('the error boundary and /healthz', () => {
  let url: string;
  let close: () => void;
  beforeAll(async () => {
    const app = express();
    app.use(
      operationsRouter({
        ping: async () => false,
        spec: { openapi: '3.0.3', paths: {}, components: { schemas: {} } },
      }),
    );
    app.get('/items/:id', (req, res) => {
      res.json({ id: req.params.id });
    });
    app.get('/boom', () => {
      throw new Error('secret detail of a bug');
    });
    app.get('/platform-boom', () => {
      throw new PlatformError('the token could not be refreshed: connect ECONNREFUSED 10.0.0.7:5432', {
        cause: new Error('connect ECONNREFUSED 10.0.0.7:5432'),
      });
    });
    app.get('/unavailable', () => {
      throw new ServiceUnavailableError('pool exhausted at db-primary.internal');
    });
    app.use(errorHandler(pino({ level: 'silent' })));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    close = () => server.close();
  });
  afterAll(() => close());

  it('answers a malformed %-escape in a path with 400, not 500', async () => {
    const res = await fetch(`${url}/items/%E0%A4%A`);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: 'invalid_request',
      message: 'the request URL has a malformed %-escape',
    });
  });

  it('answers bugs with a 500 that reveals nothing', async () => {
    const res = await fetch(`${url}/boom`);
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: 'internal_error', message: 'an internal error occurred' });
  });

  it('never carries the message of a 5xx platform error or its cause to the client', async () => {
    const res = await fetch(`${url}/platform-boom`);
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toContain('ECONNREFUSED');
    expect(JSON.parse(text)).toEqual({ error: 'internal_error', message: 'an internal error occurred' });
    const unavailable = await fetch(`${url}/unavailable`);
    expect(unavailable.status).toBe(503);
    expect(await unavailable.json()).toEqual({
      error: 'service_unavailable',
      message: 'the service is unavailable; try again later',
    });
  });

  it('reports an unreachable database as 503 on /healthz', async () => {
    const res = await fetch(`${url}/healthz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: 'unavailable', database: 'unreachable' });
  });
});
