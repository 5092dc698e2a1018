// `pnpm bench`: what a whole API-key connect transfers from the platform — the connect page and
// the answer to the form (headers plus gzip'd bodies) — against the 20 KB target. The flow runs
// for real against the Acme HR sandbox.
import { createServer } from 'node:net';
import { gzipSync } from 'node:zlib';
import { pino } from 'pino';
import { createSandbox } from '../../sandbox/dist/index.js';
import { createPlatform } from '../dist/index.js';

const TARGET = 20 * 1024;
const freePort = () =>
  new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

const [platformPort, sandboxPort] = [await freePort(), await freePort()];
const platformUrl = `http://localhost:${platformPort}`;
const sandbox = createSandbox({ publicUrl: `http://localhost:${sandboxPort}`, platformUrl });
await sandbox.listen(sandboxPort, '127.0.0.1');
const platform = await createPlatform({
  database: 'sqlite::memory:',
  secretKey: Buffer.alloc(32, 3).toString('base64'),
  publicUrl: platformUrl,
  sandboxUrl: `http://localhost:${sandboxPort}`,
  logger: pino({ level: 'silent' }),
});
await platform.listen(platformPort, '127.0.0.1');
const { apiToken } = await platform.tenants.create({
  name: 'Bench',
  allowedOrigins: ['http://localhost:3000'],
});

const transfers = [];
async function measured(url, init) {
  const res = await fetch(url, {
    ...init,
    redirect: 'manual',
    headers: { 'accept-encoding': 'gzip', ...init?.headers },
  });
  const body = Buffer.from(await res.arrayBuffer());
  const headerBytes = [...res.headers].reduce((n, [k, v]) => n + k.length + v.length + 4, 17);
  transfers.push({
    url: new URL(url).pathname,
    status: res.status,
    bytes: headerBytes + gzipSync(body, { level: 6 }).length,
  });
  return { res, body: body.toString('utf8') };
}

try {
  const created = await fetch(`${platformUrl}/link-tokens`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ integration: 'acmehr', externalId: 'user-1' }),
  });
  const { linkUrl } = await created.json();
  const flow = `&mode=popup&nonce=bench-nonce-0123456789&status=${'s'.repeat(43)}&origin=${encodeURIComponent('http://localhost:3000')}`;
  const page = await measured(`${linkUrl}${flow}`);
  const hidden = Object.fromEntries(
    [...page.body.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [
      m[1],
      m[2].replace(/&amp;/g, '&'),
    ]),
  );
  const done = await measured(`${platformUrl}/link/connect`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...hidden, api_key: 'sandbox-demo-key' }),
  });
  if (done.res.status !== 200 || !done.body.includes('"type":"success"'))
    throw new Error(`the connect did not succeed: ${done.res.status}`);
  const total = transfers.reduce((n, t) => n + t.bytes, 0);
  console.log('API-key connect, bytes from the platform (headers + gzip bodies):');
  for (const t of transfers) console.log(`  ${t.status} ${t.url.padEnd(16)} ${t.bytes} B`);
  console.log(
    `  total ${(total / 1024).toFixed(2)} KiB vs target ${TARGET / 1024} KiB -> ratio ${(total / TARGET).toFixed(2)} (${total <= TARGET ? 'met' : 'NOT met'})`,
  );
} finally {
  await platform.close();
  await sandbox.close();
}
