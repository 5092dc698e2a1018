// `pnpm start`: the offline demo. Today it starts the platform on an embedded SQLite file
// under .data/ with a demo tenant; the sandbox ("Acme HR") and the example SaaS app join it
// as they are built (see the README's status table).
import { createPlatform } from '../packages/platform/dist/index.js';

const platformPort = Number(process.env.PLATFORM_PORT ?? 4000);
const saasPort = Number(process.env.PORT ?? 3000);
const saasOrigin = `http://localhost:${saasPort}`;

const platform = await createPlatform({
  database: process.env.DATABASE_URL ?? 'sqlite:.data/demo.sqlite',
  ...(process.env.PUBLIC_URL ? { publicUrl: process.env.PUBLIC_URL } : {}),
  ...(process.env.TRUTO_SECRET_KEY ? { secretKey: process.env.TRUTO_SECRET_KEY } : {}),
});

// One demo tenant, kept across restarts; its token is DEMO_API_TOKEN or a fresh one.
let tenant = await platform.tenants.findByName('Demo');
let apiToken = process.env.DEMO_API_TOKEN;
if (!tenant) {
  const created = await platform.tenants.create({
    name: 'Demo',
    allowedOrigins: [saasOrigin],
    ...(apiToken ? { apiToken } : {}),
  });
  tenant = created.tenant;
  apiToken = created.apiToken;
} else if (!apiToken || (await platform.tenants.findByApiToken(apiToken))?.id !== tenant.id) {
  apiToken = await platform.tenants.replaceApiToken(tenant.id, apiToken);
}

const { url } = await platform.listen(platformPort);
const token = process.env.DEMO_API_TOKEN ? '(DEMO_API_TOKEN)' : apiToken;
console.log(`
truto-connect demo
  Platform (Admin API):  ${url}   spec: ${url}/openapi.json
  Demo tenant:           ${tenant.id}
  Admin API token:       ${token}
  Allowed origin:        ${saasOrigin}

Try it:
  curl -s -X POST ${url}/link-tokens \\
    -H "Authorization: Bearer ${process.env.DEMO_API_TOKEN ? '$DEMO_API_TOKEN' : apiToken}" \\
    -H "Content-Type: application/json" \\
    -d '{"integration":"bamboohr","externalId":"user-1"}'

Not yet part of the demo: the Acme HR sandbox and the example SaaS app (see README).
Stop with Ctrl+C.`);

const stop = () => platform.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
