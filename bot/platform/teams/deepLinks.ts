/**
 * Category links: Teams deep links that open the bot's chat with the category typed into the
 * compose box, so a ratepayer only presses Send. Teams needs the ratepayer signed in and the
 * app available to them: a bot cannot open a chat with an anonymous user.
 */
import type { Category, ServiceDefinition } from '../../domain/serviceDefinition.js';

/** One category's link. */
export interface CategoryLink {
  category: Category;
  /** The text the link puts in the compose box; the bot recognises it as the category. */
  message: string;
  url: string;
}

/** Bot ids are GUIDs (Entra app or managed identity client ids). */
const BOT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Builds the chat deep link for every category of the programme. */
export function categoryLinks(def: ServiceDefinition, botId: string, tenantId?: string): CategoryLink[] {
  if (!BOT_ID.test(botId)) throw new Error(`"${botId}" is not a bot id: expected the bot's app id, a GUID such as 00000000-0000-0000-0000-000000000000`);
  return def.categories.map((category) => {
    const params = new URLSearchParams();
    if (tenantId) params.set('tenantId', tenantId);
    params.set('users', `28:${botId}`);
    params.set('message', category.name);
    return {
      category,
      message: category.name,
      url: `https://teams.microsoft.com/l/chat/0/0?${params.toString().replace(/\+/g, '%20')}`,
    };
  });
}

/**
 * The link that opens the person's one-to-one chat with the bot (Teams deep link to a chat with
 * the bot as the only other member). `botId` is the bot's id as an activity's recipient carries
 * it ("28:<app id>") or the bare app id. Nothing personal goes into the link.
 */
export function personalChatLink(botId: string, tenantId?: string): string {
  const params = new URLSearchParams();
  if (tenantId) params.set('tenantId', tenantId);
  params.set('users', botId.startsWith('28:') ? botId : `28:${botId}`);
  return `https://teams.microsoft.com/l/chat/0/0?${params.toString()}`;
}
