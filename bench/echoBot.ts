/**
 * The framework's floor: a bare Teams AI Application that echoes every message, on the same
 * adapter as the service (`createAdapter`: Teams AI's TeamsAdapter, no authentication in local
 * mode) behind the same restify server (`createHttpServer`), replying to the same local
 * connector. No store, no cards: what is left is what botbuilder, Teams AI and restify cost.
 * (The one Teams AI import outside bot/platform/teams: it is the baseline, not part of the product.)
 */
import type { AddressInfo } from 'node:net';
import { Application, TurnState } from '@microsoft/teams-ai';
import { createHttpServer } from '../bot/platform/http/server.js';
import { createAdapter } from '../bot/platform/teams/adapter.js';

/** Starts the echo bot on a free loopback port. */
export async function startEchoBot(): Promise<{ url: string; close(): Promise<void> }> {
  const adapter = createAdapter({ kind: 'none' });
  const app = new Application<TurnState>({ adapter, startTypingTimer: false, removeRecipientMention: true, longRunningMessages: false });
  app.activity('message', async (context) => {
    const text = context.activity.text;
    await context.sendActivity(text ? `You said: ${text}` : 'Received your card.');
  });
  const server = createHttpServer({
    mode: 'local',
    processActivity: (req, res) => adapter.process(req, res, (context) => app.run(context).then(() => undefined)),
    health: async () => ({ ok: true }),
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
