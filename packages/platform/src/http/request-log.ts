/**
 * One log line per request: method, URL with secrets cut out, status and duration.
 * @module
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { redactUrl } from '../logger.js';

export function requestLog(logger: Logger): RequestHandler {
  return function requestLogMiddleware(req: Request, res: Response, next: NextFunction) {
    if (!logger.isLevelEnabled('info')) {
      next();
      return;
    }
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      logger.info(
        {
          method: req.method,
          url: redactUrl(req.originalUrl),
          status: res.statusCode,
          ms: Number(process.hrtime.bigint() - started) / 1e6,
        },
        'request',
      );
    });
    next();
  };
}
