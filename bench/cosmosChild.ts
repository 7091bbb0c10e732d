/**
 * Child process: the embedded Cosmos DB-compatible server, alone in its process; tells the parent
 * its endpoint, and answers GET on `statsUrl` with how many requests it has served (so a
 * benchmark can count the database calls a turn makes).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startEmbeddedCosmos } from '../bot/platform/cosmos/embeddedServer.js';

const cosmos = await startEmbeddedCosmos(0);
const stats = http.createServer((_req, res) => res.end(JSON.stringify({ requests: cosmos.requestsServed() })));
await new Promise<void>((resolve) => stats.listen(0, '127.0.0.1', resolve));
process.send?.({ endpoint: cosmos.endpoint, key: cosmos.key, pid: process.pid, statsUrl: `http://127.0.0.1:${(stats.address() as AddressInfo).port}` });
const stop = async () => {
  stats.close();
  await cosmos.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('disconnect', stop);
