/**
 * Ratepayers are served only in their one-to-one chat with the bot (POPIA: a card asking for an
 * account number, a mobile number or an ID number must never be posted where others read it).
 * In a team channel or a group chat every ratepayer route, card presses from old cards included,
 * gets one short message with a link that opens the personal chat. Supervisors' commands are
 * registered before this route and keep working there.
 */
import type { TurnContext } from 'botbuilder';
import type { BotApplication } from '../application.js';
import { isPersonal, localeOfContext } from '../context.js';
import { personalChatLink } from '../deepLinks.js';
import { markdownMessage } from '../textFormat.js';
import { t } from '../../../messages/index.js';

/** The one answer a ratepayer gets outside their personal chat. */
export async function answerOutsidePersonalChat(context: TurnContext): Promise<void> {
  const { recipient, conversation, channelData } = context.activity;
  const tenantId = conversation?.tenantId ?? (channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id;
  const locale = localeOfContext(context);
  const name = recipient?.name || t(locale, 'turn.personalOnlyMe');
  const link = personalChatLink(recipient?.id ?? '', tenantId);
  // The one message whose Markdown is meant: a link of ours to the personal chat.
  await context.sendActivity(markdownMessage(t(locale, 'turn.personalOnly', { name, link })));
}

/** Registers the route: after the supervisors' commands, before every ratepayer route. */
export function registerPersonalOnly(app: BotApplication): void {
  // Messages only (a function selector sees every type): the bot being added to a team says nothing.
  app.message(async (context) => context.activity.type === 'message' && !isPersonal(context), (context) => answerOutsidePersonalChat(context));
}
