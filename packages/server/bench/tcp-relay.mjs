// The floor for any process in front of the platform: a relay that copies bytes between each
// client connection and its own connection to the platform, with no HTTP parsing, no Express and
// no work. Through it a request pays only the extra process hop (one more process woken, two more
// loopback writes); any HTTP helper pays that and more, so if relay / direct is above the target,
// no helper in another process can meet it on this machine.
import { connect, createServer } from 'node:net';

const platform = new URL(process.argv[2]);
const server = createServer({ noDelay: true }, (client) => {
  const upstream = connect({ host: platform.hostname, port: Number(platform.port), noDelay: true });
  client.pipe(upstream).on('error', () => client.destroy());
  upstream.pipe(client).on('error', () => upstream.destroy());
  client.on('error', () => upstream.destroy());
  upstream.on('error', () => client.destroy());
  client.on('close', () => upstream.destroy());
  upstream.on('close', () => client.destroy());
}).listen(0, '127.0.0.1', () => {
  process.send?.({ port: server.address().port });
});
process.on('disconnect', () => process.exit(0));
