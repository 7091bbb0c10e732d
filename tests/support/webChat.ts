/**
 * Test support for the public web chat without a browser: the service with the web chat on, its
 * Direct Line channel the local stand-in (devTools/directLine.ts: the documented REST contract on
 * both sides), and a ratepayer's web conversation through it, as the page opens one.
 */
import { LOCAL_DEFINITION, type Settings } from '../../bot/platform/config/settings.js';
import { loadDefinition } from '../../bot/platform/config/definition.js';
import type { CosmosContainers } from '../../bot/platform/cosmos/database.js';
import { startService, type RunningService, type ServiceOptions } from '../../bot/service.js';
import { startLocalDirectLine, type LocalDirectLine } from '../../devTools/directLine.js';
import { localSettings } from './tabApi.js';

export interface WebChatDesk {
  service: RunningService;
  directLine: LocalDirectLine;
  /** Stops the service, then the Direct Line stand-in. */
  close(): Promise<void>;
}

/**
 * Starts the Direct Line stand-in with `secret`, then the service in local mode on `containers`
 * with the web chat pointed at it (the local definition, the scheduler not started, and `sms` and
 * `liveEvents` when given), and points the stand-in at the service's /api/messages.
 */
export async function startWebChatDesk(
  containers: CosmosContainers,
  options: { secret: string; sms?: ServiceOptions['sms']; liveEvents?: ServiceOptions['liveEvents'] },
): Promise<WebChatDesk> {
  const directLine = await startLocalDirectLine({ secret: options.secret });
  const settings: Settings = { ...localSettings, webChat: { secret: options.secret, endpoint: directLine.domain } };
  const service = await startService(settings, { containers, definition: loadDefinition(LOCAL_DEFINITION), scheduler: { start: false }, ...(options.sms ? { sms: options.sms } : {}), ...(options.liveEvents ? { liveEvents: options.liveEvents } : {}) });
  directLine.pointAt(`${service.url}/api/messages`);
  return {
    service,
    directLine,
    close: async () => {
      await service.close();
      await directLine.close();
    },
  };
}

/** A ratepayer's web conversation: its Direct Line token, conversation and user id, and a way to send. */
export interface WebConversation {
  token: string;
  conversationId: string;
  userId: string;
  /** POSTs a message activity (`type` and `from` filled in) to the conversation as its user; the stand-in's response. */
  send(activity: Record<string, unknown>): Promise<Response>;
}

/**
 * Opens a web conversation as the page does: a token from the service's POST /api/webchat/token
 * (with `body`, e.g. `{ locale: 'zu-ZA' }`), then the conversation started at the stand-in.
 */
export async function openWebConversation(desk: Pick<WebChatDesk, 'service' | 'directLine'>, body: Record<string, unknown> = {}): Promise<WebConversation> {
  const { service, directLine } = desk;
  const token = (await (await fetch(`${service.url}/api/webchat/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json()) as { token: string; conversationId: string; userId: string };
  await fetch(`${directLine.domain}/conversations`, { method: 'POST', headers: { authorization: `Bearer ${token.token}` } });
  const send = (activity: Record<string, unknown>) =>
    fetch(`${directLine.domain}/conversations/${token.conversationId}/activities`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'message', from: { id: token.userId }, ...activity }),
    });
  return { token: token.token, conversationId: token.conversationId, userId: token.userId, send };
}
