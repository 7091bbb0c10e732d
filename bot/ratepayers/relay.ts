/**
 * The conversation between a ratepayer and their expert, relayed through the bot in the chat
 * the ratepayer started. Every message is kept on the case's transcript in order; what goes to
 * the ratepayer is sent through the messenger (paced, retried) and its delivery recorded, so a
 * message that finally fails is shown to the agent, never dropped silently.
 */
import { randomUUID } from 'node:crypto';
import { mayChange, type StaffIdentity } from '../domain/access.js';
import { firstName, ratepayerActor, requestEndChat, type Case, type RatepayerCommand, type Delivery, type EntryTranslation, type SummaryInLanguage, type TranscriptEntry } from '../domain/case.js';
import { formatReference, normaliseReference } from '../domain/reference.js';
import { characterCount, formatCount, MESSAGE_CHARACTERS, splitIntoParts } from '../domain/textLimits.js';
import { maskIdNumbersIn } from '../domain/validation.js';
import { resolvedContent, summaryAsRead, surveyContent } from '../platform/cards/ratepayerCards.js';
import type { SentLaterReply } from './replies.js';
import { categoryByCode, type NoticeKind, type ServiceDefinition } from '../domain/serviceDefinition.js';
import type { CaseStore, StoredCase } from '../platform/ports/caseStore.js';
import type { Clock } from '../platform/ports/clock.js';
import { ChannelRefusalError, DeliveryFailedError, MessengerStoppedError, type Fallback, type Messenger, type Notice, type OutboundMessage } from '../platform/ports/messenger.js';
import type { QueueEventKind } from '../platform/ports/queueEvents.js';
import { DeskError } from '../platform/flow/errors.js';
import { changeCase } from '../platform/flow/caseChanges.js';
import type { CaseEvents } from '../platform/flow/caseEvents.js';
import type { ConversationCases } from './conversationCases.js';
import { errorLogger } from '../platform/log.js';
import { TranslationFailedError, type Translator } from '../platform/ports/translator.js';
import { DEFAULT_LOCALE, localeOf, t, type Locale } from '../messages/index.js';
import { categoryName as categoryNameIn, programmeIn, typeExamples } from '../messages/programme.js';
import { longDate } from '../messages/time.js';
import { textOfReply } from '../platform/whatsapp/render.js';

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
  /**
   * What the ratepayer sent by a card (a button's "[Chose: …]", a form's "Label: value" lines),
   * written by the bot from the catalogue: the same words in the experts' language, kept as the
   * entry's `catalogue` translation (never machine-translated). None for what they typed.
   */
  forStaff?: { from: Locale; text: string };
  /**
   * A command word they typed ("kanselleer"), kept as the request it is (TranscriptEntry.command),
   * never sent to the Translator: the case page names the command, with the word as typed.
   */
  command?: RatepayerCommand;
  /** Made by pressing one of the bot's buttons (TranscriptEntry.pressed): what they chose, not what they wrote. */
  pressed?: true;
}

/**
 * What the ratepayer is told by the bot itself: a sentence, or a reply of the conversation core
 * (bot/ratepayers/replies.ts) with the sentence as its text version. Kept on the transcript as
 * data (the reply itself), which the ratepayer's channel renders when sending and the tab as that
 * channel showed it.
 */
export type SystemMessage = {
  text: string;
  reply?: SentLaterReply;
  notice?: NoticeKind;
  noticeParams?: Record<string, string>;
  /**
   * The same words in the experts' language, from the catalogue (`told`), kept on the entry as
   * its `catalogue` translation so staff read exactly what the ratepayer was told.
   */
  forStaff?: { from: Locale; text: string; holds?: Extract<EntryTranslation, { status: 'catalogue' }>['holds'] };
};

/**
 * A bot line in the ratepayer's language, `text`, and the same catalogue words in the experts'
 * language for the case page (`forStaff`, none when they are the same language). `words` renders
 * the line in a language: every value in it that has words of its own (a category's name, a
 * wait, a date) is rendered in that language too, so the staff's line is wholly theirs.
 */
export function told(locale: Locale, words: (locale: Locale) => string): Pick<SystemMessage, 'text' | 'forStaff'> {
  const text = words(locale);
  return locale === EXPERT_LANGUAGE ? { text } : { text, forStaff: { from: locale, text: words(EXPERT_LANGUAGE) } };
}

/**
 * A card the bot sends (a reply of the conversation core kept on the transcript), in the
 * ratepayer's language, with its text version (the reply's summary) as the line's `text`, and the
 * same card rendered once more from the catalogue in the experts' language for the case page
 * (`forStaff`: every title, question, choice and fact of it as plain lines, none when they are the
 * same language). `reply` builds the card in a language, as `told`'s `words` builds a sentence.
 */
export function toldReply(locale: Locale, reply: (locale: Locale) => SentLaterReply): SystemMessage {
  const shown = reply(locale);
  return locale === EXPERT_LANGUAGE ? { text: shown.summary, reply: shown } : { text: shown.summary, reply: shown, forStaff: { from: locale, text: replyInWords(reply(EXPERT_LANGUAGE)) } };
}

/**
 * A card as plain lines for staff: the text a WhatsApp or SMS ratepayer reads of it (its title,
 * body, questions with their choices, facts, its buttons numbered), without WhatsApp's bold
 * marks and its "reply with the number" (a Teams or Web Chat ratepayer pressed a button).
 */
function replyInWords(reply: SentLaterReply): string {
  const replyWithNumber = t(EXPERT_LANGUAGE, 'whatsapp.replyWithNumber');
  return textOfReply(reply, EXPERT_LANGUAGE)
    .split('\n')
    .filter((line) => line !== replyWithNumber)
    .map((line) => line.replace(/^\*(.+)\*$/, '$1'))
    .join('\n');
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
    /** Machine translation between the ratepayer's language and the expert's (issue 16); none: messages go as written, marked untranslated. */
    private readonly translator?: Translator,
  ) {}

  /**
   * The translation of a message between ratepayer and expert, for the transcript (see
   * TranscriptEntry.translation): none when both sides share the language or there is no text;
   * `off` when the expert turned translation off for the case; `failed`, with the reason, when
   * the service fails or none is configured. Never throws: the message goes either way.
   */
  private async translation(c: Case, text: string, from: string, to: string): Promise<EntryTranslation | undefined> {
    if (from === to || !text.trim()) return undefined;
    if (c.translationOff) return { status: 'off', from, to };
    if (!this.translator) return { status: 'failed', from, to, reason: 'machine translation is not set up for this service' };
    try {
      // No full ID number leaves for translation, whoever wrote it (DESIGN §5; docs/security.md).
      const translated = await this.translator.translate(maskIdNumbersIn(text), from, to);
      return { status: 'translated', from, to, text: translated.text };
    } catch (error) {
      this.log(`translating a message on ${c.id} failed`, error);
      return { status: 'failed', from, to, reason: error instanceof TranslationFailedError ? error.reason : 'the translation could not be made' };
    }
  }

  /**
   * A summary for the ratepayer in their language (issue 16: an expert's resolution; tester 8,
   * finding 3: the back office's decision): its machine translation, or, when that failed (or none
   * is set up), `untranslated`, so it goes as written, marked so, as a message does
   * (summaryAsRead); nothing when none is needed or the expert turned translation off. Never throws.
   */
  async translatedSummary(c: Case, summary: string): Promise<SummaryInLanguage> {
    const to = localeOf(c);
    const translation = await this.translation(c, summary, EXPERT_LANGUAGE, to);
    if (translation?.status === 'translated') return { translated: { to, text: translation.text } };
    if (translation?.status === 'failed') return { untranslated: { to, reason: translation.reason } };
    return {};
  }

  private fallback?: (c: Case, notice: Notice) => Promise<Fallback | undefined>;

  /**
   * Where a notice that matters goes when the ratepayer's chat could not take it (an SMS to the
   * mobile number they gave, bot/platform/sms/fallback.ts): it answers with words for the reason
   * recorded on the case and whether the SMS went.
   */
  fallBackTo(fallback: (c: Case, notice: Notice) => Promise<Fallback | undefined>): void {
    this.fallback = fallback;
  }

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
    // An ID number typed in the chat is kept, shown to staff and sent for translation masked
    // (DESIGN §5; docs/security.md "ID numbers typed as text"): the expert never needs it there.
    message = { ...message, text: maskIdNumbersIn(message.text) };
    // Shown to the expert in the expert's language, the original beside it (issue 16): the
    // catalogue's words for what a card sent, else a machine translation of what was typed. A
    // command word is not a message: the case page names the command, so nothing is translated.
    const translation: EntryTranslation | undefined = message.command
      ? undefined
      : message.forStaff
        ? { status: 'catalogue', from: message.forStaff.from, to: EXPERT_LANGUAGE, text: message.forStaff.text }
        : await this.translation(c, message.text, localeOf(c), EXPERT_LANGUAGE);
    const entry: TranscriptEntry = {
      id: randomUUID(),
      at: this.clock.now().toISOString(),
      from: 'ratepayer',
      author: c.ratepayer.displayName,
      text: message.text,
      ...(message.command ? { command: message.command } : {}),
      ...(message.pressed ? { pressed: true as const } : {}),
      ...(message.attachments.length ? { attachments: message.attachments } : {}),
      ...(translation ? { translation } : {}),
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
    // Reaches the ratepayer in their language, marked machine-translated; the original stays on the transcript.
    const translation = await this.translation(c, text, EXPERT_LANGUAGE, localeOf(c));
    const entry: TranscriptEntry = {
      id: randomUUID(),
      at: this.clock.now().toISOString(),
      from: 'expert',
      author: name,
      text,
      sender: this.instanceId,
      ...(translation ? { translation } : {}),
    };
    await this.cases.appendTranscript(c.id, entry);
    await this.announce(c, entry.at);
    return { entry, delivered: this.redeliver(c, entry) };
  }

  /**
   * Records on the case, through the lifecycle (requestEndChat, with its audit entry), that the
   * ratepayer asked to end the chat: `answer` is their "[Chose: …]" line, already on the
   * transcript. The tabs are told (case.updated), so the open case page shows the request.
   * Nothing is recorded when the case is no longer with an expert (resolved meanwhile).
   */
  async endChatAsked(c: Case, answer: TranscriptEntry): Promise<void> {
    const now = this.clock.now();
    const result = await changeCase(
      this.cases,
      c.id,
      (current) => (current.state === 'in_progress' ? requestEndChat(current, now, ratepayerActor(current.ratepayer), answer.id) : undefined),
      { attempts: 5 },
    );
    // Not the ratepayer's channel id or name: events reach every open tab and the shared log.
    if (result.kind === 'saved') await this.events.publish({ kind: 'case.updated', after: result.saved, by: { kind: 'ratepayer', id: 'ratepayer', name: 'Ratepayer' } });
  }

  /** The bot tells the ratepayer something about their case, kept on the transcript. */
  async tellRatepayer(c: Case, message: SystemMessage): Promise<Delivery | undefined> {
    const entry = this.botMessage(message, this.clock.now());
    await this.cases.appendTranscript(c.id, entry);
    return this.redeliver(c, entry);
  }

  /** A message from the bot as the transcript keeps it, this instance its sender. */
  botMessage(message: SystemMessage, at: Date, notice?: NoticeKind): TranscriptEntry {
    if (notice) message = { ...message, notice };
    return {
      id: randomUUID(),
      at: at.toISOString(),
      from: 'system',
      author: this.definition.programme.name,
      text: message.text,
      ...(message.reply ? { reply: message.reply } : {}),
      ...(message.notice ? { notice: message.notice } : {}),
      ...(message.notice && message.noticeParams ? { noticeParams: message.noticeParams } : {}),
      ...(message.forStaff
        ? { translation: { status: 'catalogue' as const, from: message.forStaff.from, to: EXPERT_LANGUAGE, text: message.forStaff.text, ...(message.forStaff.holds ? { holds: message.forStaff.holds } : {}) } }
        : {}),
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
        // Staff read the summary card and the survey from the catalogue in their language, the
        // summary in the expert's own words (summaryAsRead and resolvedContent in their language).
        const closed = toldReply(locale, (l) => ({
          kind: 'receipt',
          replacesPressed: false,
          view: 'resolved',
          content: resolvedContent(this.definition, after, l),
          summary: t(l, 'updates.closed', { reference: formatReference(after.id), summary: summaryAsRead(after.outcome, l) }),
        }));
        const survey = toldReply(locale, (l) => ({ kind: 'form', view: 'survey', content: surveyContent(after, l), summary: t(l, 'updates.surveyFallback') }));
        return [this.botMessage(closed, now, 'outcome'), this.botMessage(survey, now, 'survey')];
      }
      case 'case.cancelled':
        // A supervisor closed it as spam: the ratepayer is told politely, with how to reach the programme.
        return after.closedAs === 'spam'
          ? [this.botMessage(told(localeOf(after), (l) => t(l, 'spamClose.told', { reference: formatReference(after.id), contact: programmeIn(this.definition, l).contact })), now)]
          : [];
      case 'case.no_show':
        return [
          this.botMessage(
            told(localeOf(after), (l) =>
              t(l, 'updates.noShow', {
                reference: formatReference(after.id),
                examples: typeExamples(l, this.definition),
              }),
            ),
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
      const locale = localeOf(c);
      const category = categoryNameIn(this.definition, c.category, locale);
      // The translation recorded when it was written (so a redelivery sends the same words), marked.
      const translated = entry.translation?.status === 'translated' ? entry.translation.text : undefined;
      const mark =
        entry.translation?.status === 'translated'
          ? `\n${t(locale, 'translation.machineTranslated')}`
          : entry.translation?.status === 'failed'
            ? `\n${t(locale, 'translation.notTranslated')}`
            : '';
      // Whole on the transcript; in the chat, in parts that each fit a Teams message, each marked.
      const parts = splitIntoParts(translated ?? entry.text);
      return this.deliver(
        c,
        entry.id,
        parts.map((part, i) => ({
          text:
            (parts.length > 1
              ? t(locale, 'updates.expertSaysPart', { author: entry.author, category, part: i + 1, parts: parts.length, text: part })
              : t(locale, 'updates.expertSays', { author: entry.author, category, text: part })) + mark,
        })),
      );
    }
    const notice = entry.notice ? { notice: noticeOf(this.definition, c, entry.notice as NoticeKind, entry.noticeParams) } : {};
    return this.deliver(c, entry.id, [
      entry.reply
        ? { reply: entry.reply as SentLaterReply, fallback: entry.text, ...notice }
        : entry.card
          ? { card: entry.card, fallback: entry.text, ...notice }
          : { text: entry.text, ...notice },
    ]);
  }

  /**
   * Sends without keeping it on the transcript (place updates: news, not conversation); `notice`:
   * which notice it is, for a channel that must send a template instead (WhatsApp after 24 hours).
   */
  async notify(c: Case, message: OutboundMessage, notice?: NoticeKind): Promise<void> {
    await this.messenger.send(c.ratepayer.conversationId, { ...message, ...(c.language ? { locale: c.language } : {}), ...(notice ? { notice: noticeOf(this.definition, c, notice) } : {}) });
  }

  /** Sends the parts in order, stopping at the first that fails, and records the outcome. */
  private async deliver(c: Case, entryId: string, parts: OutboundMessage[]): Promise<Delivery | undefined> {
    let delivery: Delivery;
    let sent = 0;
    try {
      for (const part of parts) {
        // In the case's language (the ratepayer's): the message says so where its channel can.
        await this.messenger.send(c.ratepayer.conversationId, { ...part, entryId, ...(c.language ? { locale: c.language } : {}) });
        sent++;
      }
      delivery = { status: 'delivered', at: this.clock.now().toISOString() };
    } catch (error) {
      // The service is stopping: nothing is recorded, so delivery recovery sends it, as after a crash.
      if (error instanceof MessengerStoppedError) return undefined;
      const which = parts.length > 1 ? `Part ${sent + 1} of ${parts.length}: ` : '';
      const reason =
        which +
        (error instanceof ChannelRefusalError
          ? error.reason
          : error instanceof DeliveryFailedError
          ? error.status === 403 || error.status === 404
            ? 'The ratepayer has left the chat or removed the app; the message could not be delivered.'
            : `Teams did not accept the message after ${error.attempts} attempt(s)${error.status ? ` (HTTP ${error.status})` : ''}.`
          : 'The message could not be sent.');
      this.log(`delivery to ${c.ratepayer.conversationId} failed`, error);
      // WhatsApp falls back by itself (ChannelRefusalError); a chat that failed for good, here.
      const notice = parts[0]?.notice;
      const fallen = notice && this.fallback && !(error instanceof ChannelRefusalError) ? await this.fallback(c, notice).catch(() => undefined) : undefined;
      const smsSent = fallen?.sent || (error instanceof ChannelRefusalError && error.smsSent);
      delivery = { status: 'failed', at: this.clock.now().toISOString(), reason: reason + (fallen?.reason ?? ''), ...(smsSent ? { instead: 'sms' as const } : {}) };
    }
    try {
      await this.cases.recordDelivery(c.id, entryId, delivery);
      await this.announce(c, delivery.at);
    } catch (error) {
      this.log(`recording the delivery on ${c.id} failed`, error);
    }
    return delivery;
  }

  /**
   * A message the channel reported undelivered after it had accepted it (a WhatsApp delivery
   * status): recorded on its transcript entry, for the expert to see.
   */
  async recordLateFailure(conversationId: string, entryId: string, reason: string): Promise<void> {
    const c = await this.openCaseOf(conversationId);
    if (!c || !(c.transcript ?? []).some((e) => e.id === entryId)) return;
    const delivery: Delivery = { status: 'failed', at: this.clock.now().toISOString(), reason };
    await this.cases.recordDelivery(c.id, entryId, delivery);
    await this.announce(c, delivery.at);
  }

  /** Tells the tabs that the case's conversation changed (no text in the event: POPIA). */
  private announce(c: Case, at: string): Promise<void> {
    return this.events.publish({ kind: 'case.message', after: c, at, by: { kind: 'system', id: 'relay', name: 'Relay' } });
  }
}

/**
 * The language experts read and write (issue 16): the catalogue's first. A ratepayer's message in
 * another language is shown to the expert translated into it; the expert's is sent translated from it.
 */
const EXPERT_LANGUAGE: Locale = DEFAULT_LOCALE;

/** "You are now connected with Thandi…": told with the claim that connects them. */
function connectedMessage(definition: ServiceDefinition, c: Case): SystemMessage {
  return {
    ...told(localeOf(c), (l) => t(l, 'updates.connected', { expert: firstName(c.assignedTo?.name ?? t(l, 'common.ourExpert')), category: categoryNameIn(definition, c.category, l) })),
    notice: 'connected',
  };
}

/**
 * A notice with the values its template needs: the case's reference, its category, the expert's
 * first name, the outcome's summary, the ESP registration's lapse date, and the notice's own
 * (`extra`: the team, the date, the reason, the update, the level; docs/whatsapp.md gives each
 * template's parameters in order).
 */
function noticeOf(definition: ServiceDefinition, c: Case, kind: NoticeKind, extra: Record<string, string> = {}): Notice {
  const locale = localeOf(c);
  return {
    kind,
    params: {
      ...extra,
      reference: formatReference(c.id),
      category: categoryNameIn(definition, c.category, locale),
      // The category's code, so that a template in another language than the ratepayer's can name it in the template's.
      categoryCode: c.category,
      expert: firstName(c.assignedTo?.name ?? t(locale, 'common.ourExpert')),
      // The summary as the ratepayer reads it (summaryAsRead: translated and marked, or marked as
      // not translated), as the summary card gives it; an SMS or a template carries staff's words
      // no other way. `summaryWritten`: as written, for a template approved only in another language.
      summary: summaryAsRead(c.outcome, locale, c.referral?.done ? 'backOffice' : 'expert'),
      summaryWritten: c.outcome?.summary ?? '',
      programme: programmeIn(definition, locale).name,
      // The ESP reminder's date (issue 20), as the ratepayer reads dates.
      ...(c.espRegistration ? { lapsesOn: longDate(c.espRegistration.lapsesOn, locale) } : {}),
    },
  };
}
