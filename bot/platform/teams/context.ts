/** Reading who and where a turn comes from (the core's Turn), and sending the core's replies. */
import { CardFactory, TurnContext, type Activity } from 'botbuilder';
import { removeInvisibles } from '../../domain/validation.js';
import type { StoredConversation } from '../ports/conversationStore.js';
import type { Reply } from '../../ratepayers/replies.js';
import { UNNAMED, type Turn } from '../../ratepayers/turn.js';
import { DEFAULT_LOCALE, localeTag, type Locale } from '../../messages/index.js';
import { log } from '../log.js';
import { cardOfReply } from '../cards/render.js';
import { renderReply } from './render.js';
import { readOpenForm } from './cardValues.js';
import { noteSentForm } from './openFormMemory.js';

/** Whether the turn comes from a one-to-one chat (where ratepayers are served). */
export function isPersonal(context: TurnContext): boolean {
  const type = context.activity.conversation.conversationType;
  return type === undefined || type === 'personal';
}

/** The kind of conversation and the Bot Framework reference to keep for proactive messages. */
function kindAndReference(context: TurnContext): Pick<StoredConversation, 'kind' | 'reference'> {
  const reference = TurnContext.getConversationReference(context.activity);
  const type = context.activity.conversation.conversationType;
  return {
    reference: JSON.parse(JSON.stringify(reference)) as Record<string, unknown>,
    kind: type === 'channel' ? 'channel' : type === 'groupChat' ? 'groupChat' : 'personal',
  };
}

/** The conversation reference to keep for proactive messages. */
export function conversationOf(context: TurnContext, now: Date): StoredConversation {
  const { reference, kind } = kindAndReference(context);
  return {
    id: context.activity.conversation.id,
    channelId: context.activity.channelId,
    reference,
    kind,
    userId: context.activity.from.aadObjectId ?? context.activity.from.id,
    updatedAt: now.toISOString(),
  };
}

/**
 * Replaces the card that was pressed (the message the press replies to) with a read-only one, so
 * it cannot be answered again. A channel that cannot update messages, or a card too old to
 * find, keeps it as it was: a second press is then answered plainly by the route. Never throws.
 */
async function replaceUsedCard(context: TurnContext, card: Record<string, unknown>, onError: (error: unknown) => void): Promise<void> {
  const cardMessage = context.activity.replyToId;
  if (!cardMessage) return;
  try {
    await context.updateActivity({ id: cardMessage, type: 'message', attachments: [CardFactory.adaptiveCard(card)] });
  } catch (error) {
    onError(error);
  }
}

/**
 * The text of a message without the bot's @mention, surrounding space and the invisible format
 * characters copy and paste brings (so "\u200bstatus" is "status"; emoji sequences are kept).
 */
export function typedText(context: TurnContext): string {
  const text = context.activity.text;
  return typeof text === 'string' ? removeInvisibles(text.replace(/<at>[^<]*<\/at>/g, ''), 'text').trim() : '';
}

// One Turn per activity, so the core may remember what it read for a turn (the relay's open case).
const turns = new WeakMap<TurnContext, Turn>();

/** The turn as the conversation core sees it (bot/ratepayers/turn.ts); the same object for one activity. */
export function turnOf(context: TurnContext): Turn {
  let turn = turns.get(context);
  if (!turn) turns.set(context, (turn = readTurn(context)));
  return turn;
}

function readTurn(context: TurnContext): Turn {
  const { from, conversation, channelId, value, attachments, channelData } = context.activity;
  const openForm = readOpenForm(channelData);
  // After the activity gate, a card press's value is its parsed data with its verb (bot/platform/teams/cardValues.ts).
  const verb = value && typeof value === 'object' ? (value as { verb?: unknown }).verb : undefined;
  return {
    from: { userId: from.aadObjectId ?? from.id, displayName: from.name || UNNAMED },
    conversationId: conversation.id,
    channel: { id: channelId, ...kindAndReference(context), personal: isPersonal(context) },
    text: typedText(context),
    ...(typeof verb === 'string' ? { action: { verb, values: value as Record<string, unknown> } } : {}),
    attachments: attachments ?? [],
    // Settled from the stored conversation and the evidence before the routes run (application.ts).
    locale: DEFAULT_LOCALE,
    ...(clientLocaleOf(context) ? { clientLocale: clientLocaleOf(context)! } : {}),
    ...(openForm ? { openForm } : {}),
  };
}

/**
 * The client's locale: the activity's `locale` (Teams sets it from the user's client language,
 * e.g. "zu-ZA"), else the `clientInfo` entity's, which Teams also sends.
 */
function clientLocaleOf(context: TurnContext): string | undefined {
  const { locale, entities } = context.activity;
  if (typeof locale === 'string' && locale.trim() !== '') return locale;
  const info = entities?.find((e) => e.type === 'clientInfo') as { locale?: unknown } | undefined;
  return typeof info?.locale === 'string' && info.locale.trim() !== '' ? info.locale : undefined;
}

/**
 * The language to answer this activity in outside the core's features (an unreadable card, a
 * failed turn, a message outside the personal chat): the turn's settled language when it has
 * been settled, else English.
 */
export function localeOfContext(context: TurnContext): Locale {
  return turns.get(context)?.locale ?? DEFAULT_LOCALE;
}

/**
 * An outgoing activity with the language its words are in as its `locale` (the Bot Framework
 * activity schema's field for the language of the text), so a client can follow the ratepayer's
 * language, channel-neutrally: the public web page takes its own words from it after the ratepayer
 * changes language (web/src/chat.tsx). Unset when the turn's language was never settled: then
 * Bot Framework copies the incoming activity's locale (the client's) as before.
 */
function inLanguage<A extends Partial<Activity>>(activity: A, locale: Locale | undefined): A {
  return locale ? { ...activity, locale: localeTag(locale) } : activity;
}

/**
 * Sends the core's replies, in order, rendered for Teams (bot/platform/teams/render.ts). A receipt that
 * replaces the pressed card updates that message instead (see replaceUsedCard), alongside the new
 * messages rather than before them: it changes a message already in the chat, so the order of
 * the new ones is all that order means, and the ratepayer's answer does not wait for the update.
 */
export async function sendReplies(context: TurnContext, replies: Reply[]): Promise<void> {
  const updates: Promise<void>[] = [];
  for (const reply of replies) {
    if (reply.kind === 'receipt' && reply.replacesPressed) {
      updates.push(
        replaceUsedCard(context, cardOfReply(reply), (error) =>
          log.warn({ err: error, component: 'bot', view: reply.view }, 'the used card could not be updated; a press again is answered plainly'),
        ),
      );
    } else {
      await context.sendActivity(inLanguage(renderReply(reply), turns.get(context)?.locale));
      noteSentForm(context, reply);
    }
  }
  await Promise.all(updates);
}
