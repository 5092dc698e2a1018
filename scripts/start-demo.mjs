// `pnpm start`: the offline demo. It starts the Acme HR sandbox and the platform (on an
// embedded SQLite file under .data/, with a demo tenant and the sandbox's `acmehr` integration).
// The example SaaS app joins them when it is built (see the README's status table).
import { createPlatform } from '../packages/platform/dist/index.js';
import { createSandbox, DEFAULT_API_KEY } from '../packages/sandbox/dist/index.js';

const platformPort = Number(process.env.PLATFORM_PORT ?? 4000);
const sandboxPort = Number(process.env.SANDBOX_PORT ?? 4100);
const saasPort = Number(process.env.PORT ?? 3000);
const saasOrigin = `http://localhost:${saasPort}`;
const platformUrl = process.env.PUBLIC_URL ?? `http://localhost:${platformPort}`;
const sandboxUrl = `http://localhost:${sandboxPort}`;

const sandbox = createSandbox({
  publicUrl: sandboxUrl,
  platformUrl,
  apiKey: process.env.SANDBOX_API_KEY ?? DEFAULT_API_KEY,
});
await sandbox.listen(sandboxPort);

const platform = await createPlatform({
  database: process.env.DATABASE_URL ?? 'sqlite:.data/demo.sqlite',
  sandboxUrl,
  publicUrl: platformUrl,
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
  Acme HR sandbox:       ${sandboxUrl}   (OAuth sign-in demo / demo; API key ${process.env.SANDBOX_API_KEY ?? DEFAULT_API_KEY})
  Demo tenant:           ${tenant.id}
  Admin API token:       ${token}
  Allowed origin:        ${saasOrigin}

Try it (connect an Acme HR account with its API key):
  curl -s -X POST ${url}/integrated-accounts \\
    -H "Authorization: Bearer ${process.env.DEMO_API_TOKEN ? '$DEMO_API_TOKEN' : apiToken}" \\
    -H "Content-Type: application/json" \\
    -d '{"integration":"acmehr","credentials":{"api_key":"${process.env.SANDBOX_API_KEY ?? DEFAULT_API_KEY}"}}'

Or connect the way an end user does: mint a link token, then open its linkUrl in a browser
(API key ${process.env.SANDBOX_API_KEY ?? DEFAULT_API_KEY}, or "Sign in with Acme HR" as demo / demo):
  curl -s -X POST ${url}/link-tokens \\
    -H "Authorization: Bearer ${process.env.DEMO_API_TOKEN ? '$DEMO_API_TOKEN' : apiToken}" \\
    -H "Content-Type: application/json" \\
    -d '{"integration":"acmehr","externalId":"user-1"}'

Not yet part of the demo: the example SaaS app with <truto-connect> (see README).
Stop with Ctrl+C.`);

const stop = () => Promise.all([platform.close(), sandbox.close()]).then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
