// A reference for the MCP bench, not a measurement of the platform: the least any process in
// front of the sandbox can cost. It takes a JSON-RPC POST, makes the same sandbox request with
// undici (no SDK, no database, no checks) and answers a tools/call-shaped result.
import { createServer } from 'node:http';
import { request } from 'undici';

const [sandboxUrl] = process.argv.slice(2);
const server = createServer(async (req, res) => {
  let text = '';
  for await (const chunk of req) text += chunk;
  const message = JSON.parse(text);
  const answer = await request(`${sandboxUrl}/api/company`, {
    headers: { 'x-api-key': 'sandbox-demo-key', accept: 'application/json' },
  });
  const structured = { status: answer.statusCode, data: await answer.body.json() };
  const body = JSON.stringify({
    jsonrpc: '2.0',
    id: message.id,
    result: { content: [{ type: 'text', text: JSON.stringify(structured) }], structuredContent: structured },
  });
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
server.listen(0, '127.0.0.1', () => process.send?.({ url: `http://127.0.0.1:${server.address().port}/` }));
process.on('disconnect', () => server.close(() => process.exit(0)));
