// The anchor for the helper's own cost: an Express app that does nothing but forward the same
// link-token request to the platform (kept-alive node:http) and relay its answer. Through it, a
// request makes the same hops as through the helper, so helper / forward is what the helper adds.
import { Agent, createServer, request } from 'node:http';
import express from 'express';

const [platformUrl, apiToken] = process.argv.slice(2);
const agent = new Agent({ keepAlive: true });
const body = JSON.stringify({
  integration: 'bamboohr',
  externalId: 'user-1',
  redirectUri: 'https://app.bench.test/truto/callback',
});
const app = express();
app.post('/truto/link-token', (req, res) => {
  req.resume();
  const upstream = request(
    `${platformUrl}/link-tokens`,
    {
      method: 'POST',
      agent,
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${apiToken}`,
        'content-length': Buffer.byteLength(body),
      },
    },
    (answer) => {
      const chunks = [];
      answer.on('data', (chunk) => chunks.push(chunk));
      answer.on('end', () => res.status(answer.statusCode).type('json').send(Buffer.concat(chunks)));
    },
  );
  upstream.on('error', () => res.status(502).end());
  upstream.end(body);
});
const server = createServer(app).listen(0, '127.0.0.1', () => {
  process.send?.({ port: server.address().port });
});
process.on('disconnect', () => server.close(() => process.exit(0)));
