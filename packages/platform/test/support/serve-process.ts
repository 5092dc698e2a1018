/**
 * `truto-platform serve --port 0` as its own process, as an operator runs it: the tests of
 * several processes on one database start two of these. Port 0, so the system picks a free
 * port and the URL is read back from the "listening" log line.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

export function serveProcess(env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--host', '127.0.0.1'], {
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const listening = /truto-platform listening on (http:\/\/\S+?)"/.exec(out);
      if (listening?.[1]) resolve({ child, url: listening[1] });
    });
    child.once('exit', (code) => reject(new Error(`serve exited ${code}`)));
  });
}
