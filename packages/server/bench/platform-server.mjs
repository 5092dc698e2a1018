// The platform for the helper's bench: the real platform on the SQLite file named by argv[2],
// with a tenant whose allowed origin is the bench app's public URL; sends its port and token back.
import { createLogger, createPlatform } from '@truto-connect/platform';

const platform = await createPlatform({
  database: process.argv[2],
  secretKey: Buffer.alloc(32, 1).toString('base64'),
  webhooks: false,
  logger: createLogger({ level: 'silent' }),
});
const { apiToken } = await platform.tenants.create({
  name: 'Bench',
  allowedOrigins: ['https://app.bench.test'],
});
const { server } = await platform.listen(0, '127.0.0.1');
process.send?.({ port: server.address().port, apiToken });
process.on('disconnect', () => platform.close().then(() => process.exit(0)));
