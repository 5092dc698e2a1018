// The measured server: the real platform, as `truto-platform serve` builds it, on the database
// named by argv[2], with a tenant whose token is sent back to the bench. With `--seed N` the
// tenant first gets N accounts, written through the store so that the page buckets are kept
// exactly as in use.
import { pino } from 'pino';
import { createPlatform } from '../dist/index.js';

const [database, flag, count] = process.argv.slice(2);
const seed = flag === '--seed' ? Number(count) : 0;
const platform = await createPlatform({
  database,
  secretKey: Buffer.alloc(32, 1).toString('base64'),
  // Request logging stays on, as in `serve`; the lines go to /dev/null.
  logger: pino({ level: 'info' }),
});
const { tenant, apiToken } = await platform.tenants.create({
  name: 'Bench',
  allowedOrigins: ['https://app.bench.test'],
});
const started = Date.now();
for (let i = 0; i < seed; i++) {
  await platform.stores.accounts.insert({
    id: `acc_${i.toString(16).padStart(24, '0')}`,
    tenantId: tenant.id,
    integration: i % 3 === 0 ? 'greenhouse' : 'bamboohr',
    authFormat: 'api_key',
    name: `Account ${i}`,
    status: i % 10 === 0 ? 'error' : 'active',
    statusReason: i % 10 === 0 ? 'post-install step "verify_fields" failed' : null,
    externalId: `user-${i}`,
    context: { subdomain: `company${i}`, fieldCount: 120 },
    metadata: {},
    sealedCredentials: 'v1.bench.not-a-real-ciphertext',
  });
}
const { server } = await platform.listen(0, '127.0.0.1');
process.send?.({ port: server.address().port, apiToken, seededMs: Date.now() - started });
process.on('disconnect', () => platform.close().then(() => process.exit(0)));
