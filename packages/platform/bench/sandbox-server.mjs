// The Acme HR sandbox in its own process for the MCP bench; sends its port back.
import { createSandbox } from '@truto-connect/sandbox';

const sandbox = createSandbox({ publicUrl: 'http://localhost:0', platformUrl: 'http://localhost:4000' });
const { server } = await sandbox.listen(0, '127.0.0.1');
process.send?.({ port: server.address().port });
process.on('disconnect', () => sandbox.close().then(() => process.exit(0)));
