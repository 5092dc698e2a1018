// The platform for the MCP bench: SQLite at argv[2], the sandbox at argv[3] as `acmehr`, a
// tenant, an API-key account and an MCP server whose URL is sent back.
import { createLogger, createPlatform } from '../dist/index.js';

const [database, sandboxUrl] = process.argv.slice(2);
const platform = await createPlatform({
  database,
  sandboxUrl,
  secretKey: Buffer.alloc(32, 1).toString('base64'),
  // Request logging stays on, with the logger `serve` uses; the lines go to /dev/null.
  logger: createLogger({ level: 'info' }),
  webhooks: false,
  // The bench measures latency, not the limiter.
  mcp: { rateLimit: { limit: 1_000_000, windowMs: 60_000 } },
});
const { url } = await platform.listen(0, '127.0.0.1');
const { tenant } = await platform.tenants.create({ name: 'Bench' });
const account = await platform.accounts.create(tenant, {
  integration: 'acmehr',
  credentials: { api_key: 'sandbox-demo-key' },
});
const server = await platform.mcpServers.create(tenant, account.id, {});
process.send?.({ url, mcpUrl: server.mcpUrl });
process.on('disconnect', () => platform.close().then(() => process.exit(0)));
