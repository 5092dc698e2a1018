// `pnpm bench` for the helper: POST /truto/link-token through the helper against POST
// /link-tokens straight to the same platform, one request at a time, interleaved, and the
// median latency (p50) of each printed as a ratio (target at most 1.25). Two anchors are
// measured in the same run: a bare Express app that only forwards the request (the same hops,
// so helper / forward is the helper's own cost), and two floors: node:http with undici passing
// the request on (the least any HTTP app in front of the platform costs in Node) and a TCP
// relay that copies bytes without parsing anything (the least any process in front costs).
// All sides share one kept-alive client; each round rotates the order, so no side always
// follows another; every process is warmed until V8 has optimized its HTTP code (a few
// thousand requests) before anything is counted. Loopback only; bounded loops; nothing
// asserts a wall-clock time.
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2000);
// Node's HTTP code runs unoptimized for the first ~2,000-3,000 requests of a process; the
// platform also serves every side, so it warms several times faster than the apps in front.
const WARMUP = Number(process.env.BENCH_WARMUP ?? 3000);

function startChild(script, args = []) {
  const child = fork(new URL(script, import.meta.url), args, {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (info) => resolve({ child, ...info }));
    child.once('exit', (code) => reject(new Error(`${script} exited ${code}`)));
  });
}

const agent = new (await import('node:http')).Agent({ keepAlive: true, maxSockets: 1 });

/** One POST on a kept-alive connection; resolves to [status, milliseconds]. */
function post(port, path, headers, body) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve([res.statusCode, Number(process.hrtime.bigint() - started) / 1e6]));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};

const dir = mkdtempSync(join(tmpdir(), 'truto-server-bench-'));
const platform = await startChild('./platform-server.mjs', [`sqlite:${join(dir, 'bench.sqlite')}`]);
const helper = await startChild('./helper-app.mjs', [`http://127.0.0.1:${platform.port}`, platform.apiToken]);
const forward = await startChild('./forward-app.mjs', [
  `http://127.0.0.1:${platform.port}`,
  platform.apiToken,
]);
const httpRelay = await startChild('./http-relay.mjs', [`http://127.0.0.1:${platform.port}`]);
const relay = await startChild('./tcp-relay.mjs', [`http://127.0.0.1:${platform.port}`]);
const json = { 'content-type': 'application/json' };
const direct = {
  headers: { ...json, authorization: `Bearer ${platform.apiToken}` },
  // What the helper sends for its user: the same work on the platform's side.
  body: JSON.stringify({
    integration: 'bamboohr',
    externalId: 'user-1',
    redirectUri: 'https://app.bench.test/truto/callback',
  }),
};
const viaHelper = {
  headers: { ...json, 'sec-fetch-site': 'same-origin', 'x-user': 'user-1' },
  body: JSON.stringify({ integration: 'bamboohr' }),
};
const sides = {
  direct: [platform.port, '/link-tokens', direct.headers, direct.body],
  helper: [helper.port, '/truto/link-token', viaHelper.headers, viaHelper.body],
  forward: [forward.port, '/truto/link-token', viaHelper.headers, viaHelper.body],
  // The relays pass the direct request on unchanged: the same request reaches the platform.
  httpRelay: [httpRelay.port, '/link-tokens', direct.headers, direct.body],
  relay: [relay.port, '/link-tokens', direct.headers, direct.body],
};
const names = Object.keys(sides);
const samples = Object.fromEntries(names.map((name) => [name, []]));
try {
  for (let round = -WARMUP; round < ROUNDS; round++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(k + round + WARMUP) % names.length];
      const [status, ms] = await post(...sides[name]);
      if (status !== 201) throw new Error(`unexpected answer from the ${name} side: ${status}`);
      if (round >= 0) samples[name].push(ms);
    }
  }
} finally {
  agent.destroy();
  for (const side of [platform, helper, forward, httpRelay, relay]) side.child.disconnect();
  rmSync(dir, { recursive: true, force: true });
}
const p50 = Object.fromEntries(names.map((name) => [name, percentile(samples[name], 50)]));
const p99 = { direct: percentile(samples.direct, 99), helper: percentile(samples.helper, 99) };
console.log(
  `POST /truto/link-token through the helper vs POST /link-tokens direct (SQLite, ${ROUNDS} sequential requests each after ${WARMUP} warm-up rounds, interleaved): ` +
    `p50 ${p50.helper.toFixed(2)} ms vs ${p50.direct.toFixed(2)} ms -> ratio ${(p50.helper / p50.direct).toFixed(2)} (target <= 1.25); ` +
    `p99 ${p99.helper.toFixed(2)} ms vs ${p99.direct.toFixed(2)} ms`,
);
console.log(
  `  the same through a bare forwarding Express app (same hops, no helper): p50 ${p50.forward.toFixed(2)} ms -> ` +
    `helper / forward ${(p50.helper / p50.forward).toFixed(2)}, forward / direct ${(p50.forward / p50.direct).toFixed(2)}`,
);
console.log(
  `  floors, the direct request passed on by one more process: node:http + undici, no Express: p50 ${p50.httpRelay.toFixed(2)} ms -> ` +
    `${(p50.httpRelay / p50.direct).toFixed(2)} x direct; a TCP relay, no HTTP parsing: p50 ${p50.relay.toFixed(2)} ms -> ` +
    `${(p50.relay / p50.direct).toFixed(2)} x direct`,
);
