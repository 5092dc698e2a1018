// The floor for any HTTP app in front of the platform: node:http's server (no Express) passing
// each request on with undici's dispatcher (the fastest Node client measured here, the same one
// the helper uses) and the answer back, parsing nothing but HTTP itself.
import { createServer } from 'node:http';
import { Pool } from 'undici';

const pool = new Pool(process.argv[2]);
const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const answer = { status: 502, headers: {}, chunks: [] };
    pool.dispatch(
      {
        path: req.url,
        method: req.method,
        headers: { 'content-type': req.headers['content-type'], authorization: req.headers.authorization },
        body: Buffer.concat(chunks),
      },
      {
        onRequestStart() {},
        onResponseStart(_controller, status, headers) {
          answer.status = status;
          answer.headers = headers;
        },
        onResponseData(_controller, chunk) {
          answer.chunks.push(chunk);
        },
        onResponseEnd() {
          res.writeHead(answer.status, { 'content-type': answer.headers['content-type'] });
          res.end(Buffer.concat(answer.chunks));
        },
        onResponseError() {
          res.writeHead(502).end();
        },
      },
    );
  });
}).listen(0, '127.0.0.1', () => {
  process.send?.({ port: server.address().port });
});
process.on('disconnect', () => server.close(() => process.exit(0)));
