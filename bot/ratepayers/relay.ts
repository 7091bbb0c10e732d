/**
 * The conversation between a ratepayer and their expert, relayed through the bot in the chat
 * the ratepayer started. Every message is kept on the case's transcript in order; what goes to
 * the ratepayer is sent through the messenger (paced, retried) and its delivery recorded, so a
 * message that finally fails is shown to the agent, never dropped silently.
 */
import { randomUUID } from 'node:crypto';
import { mayChange, type StaffIdentity } from '../domain/access.js';
import { firstName, type Case, type Delivery, type TranscriptEntry } from '../domain/case.js';
import { formatReference, normaliseReference } from '../domain/reference.js';
import { characterCount, formatCount, MESSAGE_CHARACTERS, splitIntoParts } from '../domain/textLimits.js';
import { resolvedContent, surveyContent } from '../platform/cards/ratepayerCards.js';
import { cardOfReply } from '../platform/cards/render.js';
import type { SentLaterReply } from './replies.js';
import { categoryByCode, type ServiceDefinition } from '../domain/serviceDefinition.js';
import type { CaseStore, StoredCase } from '../platform/ports/caseStore.js';
import type { Clock } from '../platform/ports/clock.js';
import { DeliveryFailedError, MessengerStoppedError, type Messenger, type OutboundMessage } from '../platform/ports/messenger.js';
import type { QueueEventKind } from '../platform/ports/queueEvents.js';
import { DeskError } from '../platform/flow/errors.js';
import type { CaseEvents } from '../platform/flow/caseEvents.js';
import type { ConversationCases } from './conversationCases.js';
import { errorLogger } from '../platform/log.js';
import { localeOf, t } from '../messages/index.js';
import { typeExamples } from '../messages/programme.js';

/**
 * A message longer than one message may be (MESSAGE_CHARACTERS): nothing of it is kept or sent,
 * and the writer is told the limit (they still have their text).
 */
export class MessageTooLongError extends Error {
  constructor(
    readonly characters: number,
    readonly limit = MESSAGE_CHARACTERS,
  ) {
    super(`The message has ${formatCount(characters)} characters; one message can hold at most ${formatCount(limit)}.`);
    this.name = 'MessageTooLongError';
  }
}

/** A message the ratepayer typed (and the files they attached, as sorted by bot/domain/attachments.ts: Teams-hosted only). */
export interface RatepayerMessage {
  text: string;
  attachments: NonNullable<TranscriptEntry['attachments']>;
}

/**
 * What the ratepayer is told by the bot itself: a sentence, or a reply of the conversation core
 * (bot/ratepayers/replies.ts) with the sentence as its text version. Kept on the transcript as
 * they saw it: the reply as its card (cardOfReply, bot/platform/cards/render.ts), which the tab shows.
 */
export type SystemMessage = { text: string; reply?: SentLaterReply };

/** A reply sent later with `text` as both the transcript's words and the reply's summary. */
export function withText(text: string, reply: (summary: string) => SentLaterReply): SystemMessage {
  return { text, reply: reply(text) };
}

/**
 * What the ratepayer is told with a change, written on the transcript in the change's own write
 * (so no crash between saving the change and noting the message can lose it) and delivered once
 * the change is saved (RatepayerUpdates, a listener of bot/platform/flow/caseEvents.ts). None: nothing
 * is told with this change, or it is told otherwise.
 */
type ChangeNotice = (kind: QueueEventKind, after: Case, now: Date) => TranscriptEntry[];

/** The relay service. */
export class RelayService {
  constructor(
    private readonly definition: ServiceDefinition,
    private readonly cases: CaseStore,
    private readonly conversationCases: ConversationCases,
    private readonly messenger: Messenger,
    /** Where a change to the conversation is published (the tabs reload it). */
    private readonly events: CaseEvents,
    private readonly clock: Clock,
    /** This service instance, named on the messages it delivers (see DeliveryRecovery). */
    private readonly instanceId = 'this-instance',
    private readonly log: (message: string, error: unknown) => void = errorLogger('relay'),
  ) {}

  /** The case of this conversation an expert is working on, if any, else a waiting one. */
  async openCaseOf(conversationId: string): Promise<StoredCase | undefined> {
    const open = await this.conversationCases.openCasesOf(conversationId);
    return open.find((c) => c.state === 'in_progress') ?? open[0];
  }

  /**
   * Keeps what the ratepayer wrote on the case, whole, and tells the expert's tab. Throws
   * MessageTooLongError (nothing kept) for a message over MESSAGE_CHARACTERS.
   */
  async fromRatepayer(c: Case, message: RatepayerMessage): Promise<TranscriptEntry> {
    const characters = characterCount(message.text);
    if (characters > MESSAGE_CHARACTERS) throw new MessageTooLongError(characters);
    const entry: TranscriptEntry = {
      id: randomUUID(),
      at: this.clock.now().toISOString(),
      from: 'ratepayer',
      author: c.ratepayer.displayName,
      text: message.text,
      ...(message.attachments.length ? { attachments: message.attachments } : {}),
    };
    await this.cases.appendTranscript(c.id, entry);
    await this.announce(c, entry.at);
    return entry;
  }

  /**
   * The expert writes to the ratepayer from the case page. Returns once the message is on the
   * transcript; delivery follows (paced and retried) and is recorded when it settles.
   */
  async fromExpert(staff: StaffIdentity, reference: string, text: string): Promise<{ entry: TranscriptEntry; delivered: Promise<Delivery | undefined> }> {
    const characters = characterCount(text);
    if (characters > MESSAGE_CHARACTERS)
      throw new DeskError(
        'invalid',
        `${new MessageTooLongError(characters).message} Shorten it, or send it as two messages; nothing has been sent.`,
        { field: 'text' },
      );
    const id = normaliseReference(reference);
    if (!id) throw new DeskError('invalid', 'That is not a case reference.', { field: 'reference' });
    const c = await this.cases.get(id);
    if (!c) throw new DeskError('not_found', `There is no case ${id}.`);
    const refusal = mayChange(staff, c);
    if (refusal) throw DeskError.refused(refusal, this.definition);
    if (c.state !== 'in_progress')
      throw new DeskError('conflict', 'You can write to the ratepayer only while the case is being worked on.', { state: c.state });
    const name = firstName(staff.name);
    const entry: TranscriptEntry = {
      id: randomUUID(),
      at: this.clock.now().toISOString(),
      from: 'expert',
      author: name,
      text,
      sender: this.instanceId,
    };
    await this.cases.appendTranscript(c.id, entry);
    await this.announce(c, entry.at);
    return { entry, delivered: this.redeliver(c, entry) };
  }

  /** The bot tells the ratepayer something about their case, kept on the transcript. */
  async tellRatepayer(c: Case, message: SystemMessage): Promise<Delivery | undefined> {
    const entry = this.botMessage(message, this.clock.now());
    await this.cases.appendTranscript(c.id, entry);
    return this.redeliver(c, entry);
  }

  /** A message from the bot as the transcript keeps it, this instance its sender. */
  botMessage(message: SystemMessage, at: Date): TranscriptEntry {
    return {
      id: randomUUID(),
      at: at.toISOString(),
      from: 'system',
      author: this.definition.programme.name,
      text: message.text,
      ...(message.reply ? { card: cardOfReply(message.reply) } : {}),
      sender: this.instanceId,
    };
  }

  /**
   * What the ratepayer is told with a change (see ChangeNotice): "you are now connected" with a
   * claim, the summary card and the survey with a resolution, how to come back with a no-show.
   * A release or a transfer tells their new place, which needs the queue: told after the change.
   */
  readonly notice: ChangeNotice = (kind, after, now) => {
    switch (kind) {
      case 'case.claimed':
        return after.assignedTo ? [this.botMessage(connectedMessage(this.definition, after), now)] : [];
      case 'case.resolved': {
        const locale = localeOf(after);
        return [
          this.botMessage(
            withText(t(locale, 'updates.closed', { reference: formatReference(after.id), summary: after.outcome?.summary ?? '' }), (summary) => ({
              kind: 'receipt',
              replacesPressed: false,
              view: 'resolved',
              content: resolvedContent(this.definition, after, locale),
              summary,
            })),
            now,
          ),
          this.botMessage(
            withText(t(locale, 'updates.surveyFallback'), (summary) => ({ kind: 'form', view: 'survey', content: surveyContent(after, locale), summary })),
            now,
          ),
        ];
      }
      case 'case.cancelled':
        // A supervisor closed it as spam: the ratepayer is told politely, with how to reach the programme.
        return after.closedAs === 'spam'
          ? [this.botMessage({ text: t(localeOf(after), 'spamClose.told', { reference: formatReference(after.id), contact: this.definition.programme.contact }) }, now)]
          : [];
      case 'case.no_show':
        return [
          this.botMessage(
            {
              text: t(localeOf(after), 'updates.noShow', {
                reference: formatReference(after.id),
                examples: typeExamples(localeOf(after), this.definition),
              }),
            },
            now,
          ),
        ];
      default:
        return [];
    }
  };

  /**
   * Delivers a message of the transcript to the ratepayer, as it was first sent, and records the
   * outcome: right after it is written, or again when its first sender stopped part-way.
   * Resolves undefined, recording nothing, when this service stops first (MessengerStoppedError):
   * the message is then left to delivery recovery.
   */
  redeliver(c: Case, entry: TranscriptEntry): Promise<Delivery | undefined> {
    if (entry.from === 'expert') {
      const category = categoryByCode(this.definition, c.category)?.name ?? c.category;
      // Whole on the transcript; in the chat, in parts that each fit a Teams message, each marked.
      const parts = splitIntoParts(entry.text);
      return this.deliver(
        c,
        entry.id,
        parts.map((part, i) => ({
          text:
            parts.length > 1
              ? t(localeOf(c), 'updates.expertSaysPart', { author: entry.author, category, part: i + 1, parts: parts.length, text: part })
              : t(localeOf(c), 'updates.expertSays', { author: entry.author, category, text: part }),
        })),
      );
    }
    return this.deliver(c, entry.id, [entry.card ? { card: entry.card, fallback: entry.text } : { text: entry.text }]);
  }

  /** Sends without keeping it on the transcript (place updates: news, not conversation). */
  async notify(c: Case, message: OutboundMessage): Promise<void> {
    await this.messenger.send(c.ratepayer.conversationId, message);
  }

  /** Sends the parts in order, stopping at the first that fails, and records the outcome. */
  private async deliver(c: Case, entryId: string, parts: OutboundMessage[]): Promise<Delivery | undefined> {
    let delivery: Delivery;
    let sent = 0;
    try {
      for (const part of parts) {
        await this.messenger.send(c.ratepayer.conversationId, part);
        sent++;
      }
      delivery = { status: 'delivered', at: this.clock.now().toISOString() };
    } catch (error) {
      // The service is stopping: nothing is recorded, so delivery recovery sends it, as after a crash.
      if (error instanceof MessengerStoppedError) return undefined;
      const which = parts.length > 1 ? `Part ${sent + 1} of ${parts.length}: ` : '';
      const reason =
        which +
        (error instanceof DeliveryFailedError
          ? error.status === 403 || error.status === 404
            ? 'The ratepayer has left the chat or removed the app; the message could not be delivered.'
            : `Teams did not accept the message after ${error.attempts} attempt(s)${error.status ? ` (HTTP ${error.status})` : ''}.`
          : 'The message could not be sent.');
      this.log(`delivery to ${c.ratepayer.conversationId} failed`, error);
      delivery = { status: 'failed', at: this.clock.now().toISOString(), reason };
    }
    try {
      await this.cases.recordDelivery(c.id, entryId, delivery);
      await this.announce(c, delivery.at);
    } catch (error) {
      this.log(`recording the delivery on ${c.id} failed`, error);
    }
    return delivery;
  }

  /** Tells the tabs that the case's conversation changed (no text in the event: POPIA). */
  private announce(c: Case, at: string): Promise<void> {
    return this.events.publish({ kind: 'case.message', after: c, at, by: { kind: 'system', id: 'relay', name: 'Relay' } });
  }
}

/** "You are now connected with Thandi…": told with the claim that connects them. */
function connectedMessage(definition: ServiceDefinition, c: Case): SystemMessage {
  const locale = localeOf(c);
  const category = categoryByCode(definition, c.category)?.name ?? c.category;
  return { text: t(locale, 'updates.connected', { expert: firstName(c.assignedTo?.name ?? t(locale, 'common.ourExpert')), category }) };
}
