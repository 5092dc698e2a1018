/**
 * A loopback HTTP server that listens on port 0 (the system picks a free port, no race with
 * parallel workers) before the app it will serve exists, so apps that must know their own URL
 * up front (the sandbox's issuer, the platform's public URL) get it from the bound port.
 */
import { createServer, type RequestListener, type Server } from 'node:http';

export interface LoopbackPort {
  port: number;
  /** `http://localhost:<port>` */
  url: string;
  server: Server;
  /** Attaches the app; until then requests get 503. */
  serve(handler: RequestListener): void;
  close(): Promise<void>;
}

export async function listenOnLoopback(host = '127.0.0.1'): Promise<LoopbackPort> {
  let handler: RequestListener | undefined;
  const server = createServer((req, res) => {
    if (handler) return handler(req, res);
    res.writeHead(503).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as { port: number };
  return {
    port,
    url: `http://localhost:${port}`,
    server,
    serve(next) {
      handler = next;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
