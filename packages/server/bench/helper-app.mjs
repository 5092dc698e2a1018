// The SaaS app for the helper's bench: Express with trutoConnect at /truto (the built package),
// for the platform at argv[2] with the token argv[3]; sends its port back.
import { createServer } from 'node:http';
import express from 'express';
import { trutoConnect } from '../dist/index.js';

const app = express();
app.use(
  '/truto',
  trutoConnect({
    baseUrl: process.argv[2],
    apiToken: process.argv[3],
    publicUrl: 'https://app.bench.test',
    externalId: (req) => req.get('x-user'),
    onConnected: async () => undefined,
  }),
);
const server = createServer(app).listen(0, '127.0.0.1', () => {
  process.send?.({ port: server.address().port });
});
process.on('disconnect', () => server.close(() => process.exit(0)));
