// `pnpm bench` for the platform. Each figure is printed beside an anchor measured in the same
// run, as a ratio; nothing here asserts a wall-clock time.
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';

const DURATION_S = Number(process.env.BENCH_DURATION ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = 32;
const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 100_000);

function startChild(script, args = []) {
  const child = fork(new URL(script, import.meta.url), args, {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (info) => resolve({ child, ...info }));
    child.once('exit', (code) => reject(new Error(`${script} exited ${code}`)));
  });
}

function load(url, headers, body) {
  return new Promise((resolve, reject) => {
    autocannon(
      { url, method: 'POST', headers, body, connections: CONNECTIONS, duration: DURATION_S },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function throughput() {
  const dir = mkdtempSync(join(tmpdir(), 'truto-bench-'));
  const bare = await startChild('./bare-express-server.mjs');
  const platform = await startChild('./platform-server.mjs', [`sqlite:${join(dir, 'bench.sqlite')}`]);
  const body = JSON.stringify({
    integration: 'bamboohr',
    externalId: 'user-1',
    redirectUri: 'https://app.bench.test/done',
  });
  const json = { 'content-type': 'application/json' };
  const auth = { ...json, authorization: `Bearer ${platform.apiToken}` };
  const runs = { anchor: [], platform: [] };
  let invalid = 0;
  try {
    // Warm both up; then alternate, so drift in the machine's speed hits both alike.
    await load(`http://127.0.0.1:${bare.port}/link-tokens`, json, body);
    await load(`http://127.0.0.1:${platform.port}/link-tokens`, auth, body);
    for (let round = 0; round < ROUNDS; round++) {
      runs.anchor.push(
        (await load(`http://127.0.0.1:${bare.port}/link-tokens`, json, body)).requests.average,
      );
      const measured = await load(`http://127.0.0.1:${platform.port}/link-tokens`, auth, body);
      if (measured.non2xx > 0 || measured.errors > 0) invalid++;
      runs.platform.push(measured.requests.average);
    }
  } finally {
    bare.child.disconnect();
    platform.child.disconnect();
  }
  const anchor = median(runs.anchor);
  const measured = median(runs.platform);
  console.log(
    `POST /link-tokens (SQLite, ${CONNECTIONS} connections, median of ${ROUNDS} x ${DURATION_S} s): ` +
      `${Math.round(measured)} req/s vs bare Express ${Math.round(anchor)} req/s -> ratio ${(measured / anchor).toFixed(2)} (target >= 0.5)` +
      (invalid ? ` [${invalid} rounds had non-2xx answers: result invalid]` : ''),
  );
  rmSync(dir, { recursive: true, force: true });
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function listLatency() {
  const dir = mkdtempSync(join(tmpdir(), 'truto-bench-'));
  const server = await startChild('./platform-server.mjs', [
    `sqlite:${join(dir, 'list.sqlite')}`,
    '--seed',
    String(ACCOUNTS),
  ]);
  const { apiToken } = server;
  const seededIn = (server.seededMs / 1000).toFixed(1);

  const limit = 20;
  const lastPage = Math.ceil(ACCOUNTS / limit);
  const pages = { first: 1, middle: Math.ceil(lastPage / 2), last: lastPage };
  const filtered = Math.ceil((ACCOUNTS * 0.6) / limit);
  const targets = {
    'page 1': `?page=1&limit=${limit}`,
    [`page ${pages.middle}`]: `?page=${pages.middle}&limit=${limit}`,
    [`page ${pages.last} (last)`]: `?page=${pages.last}&limit=${limit}`,
    'integration=bamboohr&status=active page 1': `?integration=bamboohr&status=active&page=1&limit=${limit}`,
    [`integration=bamboohr&status=active page ${filtered} (last)`]: `?integration=bamboohr&status=active&page=${filtered}&limit=${limit}`,
  };
  const samples = Object.fromEntries(Object.keys(targets).map((k) => [k, []]));
  const headers = { authorization: `Bearer ${apiToken}` };
  const ROUNDS = Number(process.env.BENCH_LIST_ROUNDS ?? 2000);
  try {
    // Interleave the targets so drift in the machine's speed hits them all alike.
    for (let round = -200; round < ROUNDS; round++) {
      for (const [name, query] of Object.entries(targets)) {
        const started = process.hrtime.bigint();
        const res = await fetch(`http://127.0.0.1:${server.port}/integrated-accounts${query}`, { headers });
        const body = await res.json();
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        if (res.status !== 200 || body.data.length === 0)
          throw new Error(`${name}: ${res.status} ${JSON.stringify(body).slice(0, 200)}`);
        if (round >= 0) samples[name].push(ms);
      }
    }
  } finally {
    server.child.disconnect();
  }
  const stats = Object.fromEntries(
    Object.entries(samples).map(([name, values]) => {
      values.sort((a, b) => a - b);
      return [name, { p50: percentile(values, 50), p99: percentile(values, 99) }];
    }),
  );
  console.log(
    `GET /integrated-accounts at ${ACCOUNTS} accounts (SQLite, seeded in ${seededIn} s, ${ROUNDS} requests each):`,
  );
  for (const [name, s] of Object.entries(stats)) {
    console.log(`  ${name.padEnd(52)} p50 ${s.p50.toFixed(2)} ms  p99 ${s.p99.toFixed(2)} ms`);
  }
  const first = stats['page 1'].p99;
  const last = stats[`page ${pages.last} (last)`].p99;
  const filteredFirst = stats['integration=bamboohr&status=active page 1'].p99;
  const filteredLast = stats[`integration=bamboohr&status=active page ${filtered} (last)`].p99;
  console.log(`  deep page p99 / page 1 p99: ${(last / first).toFixed(2)} (target <= 2)`);
  console.log(
    `  filtered deep page p99 / filtered page 1 p99: ${(filteredLast / filteredFirst).toFixed(2)} (target <= 2)`,
  );
  rmSync(dir, { recursive: true, force: true });
}

await throughput();
await listLatency();
