/**
 * Child process: one service instance (the real composition root, local mode) or the echo bot,
 * on a database of the embedded server that another process runs. Tells the parent its URL and
 * pid; stops cleanly on SIGINT (so `--cpu-prof` writes its profile).
 */
import { openCosmos } from '../bot/platform/cosmos/database.js';
import { startService } from '../bot/service.js';
import { definitionWithAgents, localSettings } from '../tests/support/tabApi.js';
import { startEchoBot } from './echoBot.js';
import type { ServiceChildConfig } from './lib.js';

const config = JSON.parse(process.argv[2] ?? '{}') as ServiceChildConfig;
let close: () => Promise<void>;
let url: string;
if (config.kind === 'echo') {
  ({ url, close } = await startEchoBot());
} else {
  const containers = await openCosmos({ endpoint: config.endpoint, key: config.key, auth: 'key', databaseId: config.databaseId });
  const service = await startService(localSettings, {
    containers,
    definition: definitionWithAgents(config.agents),
    ...(config.pollIntervalMs ? { liveEvents: { pollIntervalMs: config.pollIntervalMs } } : {}),
  });
  url = service.url;
  close = () => service.close();
}
process.send?.({ url, pid: process.pid });
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await Promise.race([close(), new Promise((resolve) => setTimeout(resolve, 3000))]);
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('disconnect', stop);
