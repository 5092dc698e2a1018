// `pnpm start`: the offline demo. The Acme HR sandbox, the platform (on an embedded SQLite file
// under .data/) and the example SaaS app, in one process; the page to open is printed first.
import { startDemoStack } from '../examples/express-app/demo/stack.js';

const port = (name, fallback) => {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    console.error(`${name} must be a port number (0-65535), not "${value}"`);
    process.exit(64);
  }
  return n;
};

// The platform's log lines from start-up (such as "generated a new credentials key") are held
// back until the address is printed, so that the address is the first thing on the screen.
// They are JSON (pino); the demo shows them as one readable line each.
const LEVELS = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warning', 50: 'error', 60: 'fatal' };
const readable = (line) => {
  try {
    const { level, msg, time, service, pid, hostname, ...rest } = JSON.parse(line);
    const extra = Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : '';
    return `[platform] ${LEVELS[level] ?? level}: ${msg}${extra}\n`;
  } catch {
    return line;
  }
};
const held = [];
let holding = true;
const logDestination = {
  write(line) {
    if (holding) held.push(readable(line));
    else process.stdout.write(readable(line));
  },
};

// Signals are taken before anything starts, so that one sent while starting (or right after the
// address is printed) still closes the stack cleanly.
let demo;
let stopping = false;
const closeAndExit = () =>
  demo.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
const stop = () => {
  // A second signal while still starting stops at once, as it would have without a handler.
  if (stopping && !demo) process.exit(1);
  if (stopping) return;
  stopping = true;
  if (demo) closeAndExit();
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

try {
  demo = await startDemoStack({
    port: port('PORT', 3000),
    platformPort: port('PLATFORM_PORT', 4000),
    sandboxPort: port('SANDBOX_PORT', 4100),
    ...(process.env.DEMO_API_TOKEN ? { apiToken: process.env.DEMO_API_TOKEN } : {}),
    ...(process.env.TRUTO_SECRET_KEY ? { secretKey: process.env.TRUTO_SECRET_KEY } : {}),
    ...(process.env.SANDBOX_API_KEY ? { sandboxApiKey: process.env.SANDBOX_API_KEY } : {}),
    ...(process.env.LOG_LEVEL ? { logLevel: process.env.LOG_LEVEL } : {}),
    logDestination,
  });
} catch (error) {
  for (const line of held) process.stderr.write(line);
  const busy = error?.code === 'EADDRINUSE';
  console.error(
    busy
      ? `A port is already in use (${error.message}). Stop the other program, or set PORT, PLATFORM_PORT or SANDBOX_PORT.`
      : `The demo could not start: ${error?.stack ?? error}`,
  );
  process.exit(1);
}

const token = process.env.DEMO_API_TOKEN ? '(DEMO_API_TOKEN)' : demo.apiToken;
// Asked to stop while starting: close without printing the address and the token.
if (stopping) await closeAndExit();
console.log(`${demo.appUrl}

truto-connect demo: open the address above, sign in with any name, and connect Acme HR
(sign in at Acme HR as demo / demo, or use the API key ${demo.sandboxApiKey}).

  Example app (Acme Payroll):  ${demo.appUrl}   (React version: ${demo.appUrl}/react/)
  Platform (Admin API):        ${demo.platformUrl}   spec: ${demo.platformUrl}/openapi.json
  Acme HR sandbox:             ${demo.sandboxUrl}
  Demo tenant:                 ${demo.tenantId}
  Admin API token:             ${token}
  Webhooks go to:              ${demo.appUrl}/truto/webhook

List the connected accounts through the Admin API:
  curl -s ${demo.platformUrl}/integrated-accounts -H "Authorization: Bearer ${process.env.DEMO_API_TOKEN ? '$DEMO_API_TOKEN' : demo.apiToken}"

Data lives in .data/ (delete it to start over). Stop with Ctrl+C.
`);
holding = false;
for (const line of held) process.stdout.write(line);
