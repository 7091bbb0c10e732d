/** Child process: the embedded Cosmos DB-compatible server, alone in its process; tells the parent its endpoint. */
import { startEmbeddedCosmos } from '../bot/cosmos/embeddedServer.js';

const cosmos = await startEmbeddedCosmos(0);
process.send?.({ endpoint: cosmos.endpoint, key: cosmos.key, pid: process.pid });
const stop = async () => {
  await cosmos.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('disconnect', stop);
