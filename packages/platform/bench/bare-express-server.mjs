// The anchor: a bare Express endpoint that returns a fixed body of the same size class as a
// link token response, with express.json() parsing the same request body.
import express from 'express';

const body = {
  token: 'tc_link_0000000000000000000000000000000000000000000',
  linkUrl: 'http://localhost/link/connect?link_token=tc_link_0000000000000000000000000000000000000000000',
  expiresAt: '2026-01-01T00:00:00.000Z',
};
const app = express();
app.post('/link-tokens', express.json(), (_req, res) => {
  res.status(201).json(body);
});
const server = app.listen(0, '127.0.0.1', () => {
  process.send?.({ port: server.address().port });
});
process.on('disconnect', () => process.exit(0));
