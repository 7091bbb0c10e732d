/**
 * The WhatsApp channel (issue 18): a person's WhatsApp messages become the conversation core's
 * turns, and the core's replies (in a turn, and sent later through the Messenger port) become
 * WhatsApp messages: text, reply buttons (up to three choices), lists (up to ten), or numbered
 * choices, and forms asked one question at a time (bot/platform/whatsapp/render.ts).
 *
 * What the channel remembers between messages (which choices were offered, which question of a
 * form is being asked and the answers so far, when the person last wrote) is kept on the stored
 * conversation, in its `reference` (opaque to the core, as the Bot Framework's reference is),
 * so any instance can take the next message. Messages of one conversation are handled one after
 * the other on an instance; an event Event Grid delivers twice is handled once (the processed
 * activities store, by event id).
 *
 * WhatsApp's rule: free text only within 24 hours of the person's last message; after that only
 * a template approved in WhatsApp Manager. A notice that has one in the service definition is sent
 * as that template; anything else is not sent, and the case records why ("an expert is ready"
 * then goes by SMS, when an SMS sender is configured).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { isDeepStrictEqual } from 'node:util';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { RawAttachment } from '../../domain/attachments.js';
import { MAX_MEDIA_BYTES, type MediaStore } from '../ports/mediaStore.js';
import { checkIntake, intakeContextOf } from '../../domain/intakeForm.js';
import { offeredFor } from '../../domain/supplier.js';
import { askedFieldsOf } from '../../domain/transferDetails.js';
import { INTAKE_FIELDS, type IntakeFieldName } from '../../domain/intakeFields.js';
import { categoryByCode, type ServiceDefinition } from '../../domain/serviceDefinition.js';
import { formatMobileForDisplay, removeInvisibles } from '../../domain/validation.js';
import { isLocale, localeOf, say, t, type Locale, type MessageKey } from '../../messages/index.js';
import { isSkipWord, yesOrNo } from '../../messages/commandWords.js';
import { categoryName, programmeIn } from '../../messages/programme.js';
import type { Reply } from '../../ratepayers/replies.js';
import { routeTurn, type ratepayerRoutes } from '../../ratepayers/routes.js';
import { asksCancel } from '../../ratepayers/features/cancel.js';
import { asksLanguage } from '../../ratepayers/features/language.js';
import { asksMyData } from '../../ratepayers/features/myData.js';
import { asksMyCases, asksStatus } from '../../ratepayers/features/status.js';
import { asksReopen, asksStatusOf } from '../../ratepayers/features/followUp.js';
import type { Answer, Turn } from '../../ratepayers/turn.js';
import type { Clock } from '../ports/clock.js';
import type { ConversationStore, StoredConversation } from '../ports/conversationStore.js';
import { ChannelRefusalError, DeliveryFailedError, type Messenger, type OutboundMessage } from '../ports/messenger.js';
import type { ProcessedActivities } from '../ports/processedActivities.js';
import type { SmsSender } from '../ports/sms.js';
import { log } from '../log.js';
import { AcsError } from '../acs/client.js';
import { isTitleAsSent, type WhatsAppContent, type WhatsAppMessages } from './messages.js';
import { promptOfReply, textOfPrompt, whatsAppShapeOf, type TextChoice, type TextForm, type TextPrompt } from './render.js';
import { surveyContent } from '../cards/ratepayerCards.js';

/** The channel id cases and conversations of this channel carry. */
export const WHATSAPP = 'whatsapp';

/** WhatsApp's customer service window: free messages only this long after the person's last message. */
const SERVICE_WINDOW_MS = 24 * 60 * 60_000;

/** A message a person sent, as the webhook read it from Event Grid (bot/platform/whatsapp/webhook.ts). */
export interface InboundWhatsApp {
  /** The Event Grid event's id (delivered at least once: the same id is handled once). */
  eventId: string;
  /** The sender's number, E.164 ("+27821234567"). */
  from: string;
  /** What they typed (a caption for a photo); empty for a button press. */
  text: string;
  /** The id of the reply button or list row they chose, if any. */
  choiceId?: string;
  /** A photo (or other media) they sent: ACS's media id. */
  media?: { id: string; mimeType: string };
  /** When WhatsApp received it (ISO). */
  receivedAt: string;
}

/** Where the form being asked stands. */
interface FormProgress {
  form: TextForm;
  /** The questions still to ask, in order (all of them at first; only the wrong ones after a check). */
  queue: string[];
  answers: Record<string, string>;
  stage: 'asking' | 'confirmMobile' | 'review' | 'change';
}

/** What the channel keeps on the stored conversation. */
interface WhatsAppState {
  phone: string;
  /** When the person last wrote (the 24-hour window is counted from it). */
  lastInboundAt?: string;
  /** Choices offered by the last message, numbered from 1 (none: that message's choices no longer stand). */
  choices?: TextChoice[];
  /**
   * The tag of the message that offered `choices`: its buttons' and rows' ids are `<tag>-<index>`
   * (choiceIdOf). Absent on conversations whose last choices were sent before ids were tagged
   * (ids "c0", "c1"… on every message): those are matched by the title WhatsApp sends.
   */
  choicesTag?: string;
  /** The last messages with choices, oldest first, by tag: an earlier message's button is known by its id (OFFERS_REMEMBERED). */
  offers?: { tag: string; choices: TextChoice[] }[];
  form?: FormProgress;
  /** The last messages sent, by ACS message id, with the transcript entry they carried (for failed delivery statuses). */
  sent?: { messageId: string; entryId?: string }[];
}

const SENT_REMEMBERED = 30;

/** How many messages with choices are remembered, so a button of one of them is known when pressed later. */
const OFFERS_REMEMBERED = 8;

/**
 * The actions a button of an earlier message still does when pressed: each asks nothing of the
 * moment it was offered in ("Check my place"; "Leave the queue" names its case, which the core
 * checks is still waiting; a language). Any other (a form's answer, "join the queue" on a review,
 * "Yes, end the chat" asked about an expert since replaced) belonged to its moment only.
 */
const STILL_MEANINGFUL = new Set(['case.status', 'case.cancel', 'language.choose']);

/**
 * A button's or list row's id: the message's tag and the choice's index ("k3x9qa-1"). The tag is
 * random (6 base-36 characters) and the index a number, so an id carries nothing of the person and
 * stays far within WhatsApp's limits (a reply button id at most 256 characters, a list row id at
 * most 200: Meta's Cloud API reference, which ACS passes on).
 */
const choiceIdOf = (tag: string, index: number): string => `${tag}-${index}`;
const TAGGED_ID = /^([0-9a-z]{6})-(\d{1,2})$/;
const LEGACY_ID = /^c(\d{1,2})$/;
const newTag = (): string => [...randomBytes(6)].map((b) => (b % 36).toString(36)).join('');

/** The notices that matter enough to go by SMS when WhatsApp may no longer carry them, and their SMS. */
const SMS_INSTEAD: Partial<Record<string, MessageKey>> = {
  connected: 'whatsapp.smsExpertReady',
  outcome: 'whatsapp.smsOutcome',
  nextSession: 'whatsapp.smsNextSession',
  espReminder: 'whatsapp.smsEspReminder',
  // After the session (issue 19): the back office's news, when it has no template.
  backOfficeUpdate: 'whatsapp.smsBackOfficeUpdate',
  moreTime: 'whatsapp.smsMoreTime',
  escalated: 'whatsapp.smsEscalated',
};

/** Everything the channel needs. */
export interface WhatsAppChannelDeps {
  definition: ServiceDefinition;
  conversations: ConversationStore;
  routes: ReturnType<typeof ratepayerRoutes>;
  messages: WhatsAppMessages;
  processed: ProcessedActivities;
  clock: Clock;
  /** The key conversation ids are derived with, so a phone number is never a conversation id (ids are logged). */
  idKey: string;
  /** Where "an expert is ready" goes when WhatsApp may no longer carry it. */
  sms?: SmsSender;
  /** Where photos are kept (absent: photos are not passed on). */
  media?: MediaStore;
  /** Settles the turn's language before it is answered (bot/ratepayers/features/language.ts, as Teams does before its routes). */
  settleLanguage?: (turn: Turn) => Promise<void>;
  /** A failed delivery status for a message that carried a transcript entry: recorded on the case for the expert. */
  onDeliveryFailed?: (conversationId: string, entryId: string, reason: string) => Promise<void>;
}

const NUMBER = /^\s*(\d{1,2})\s*[.)]?\s*$/;

/**
 * Whether words typed in the middle of a form are a command rather than an answer: `cancel` (and
 * STOP, the SMS opt-out word) leave the form; the others ("status", "my cases", "my data", the
 * language command, "status K7M-3PQ", "reopen …") are answered with the form kept. The same
 * tests as the routes' (bot/ratepayers/routes.ts), so a command works the same mid-form.
 */
function commandIn(turn: Turn): 'cancel' | 'other' | undefined {
  if (asksCancel(turn) || /^stop$/i.test(turn.text)) return 'cancel';
  if ([asksStatus, asksMyCases, asksMyData, asksLanguage, asksStatusOf, asksReopen].some((asks) => asks(turn))) return 'other';
  return undefined;
}

/** The WhatsApp channel: inbound messages to turns, replies out, and the Messenger of WhatsApp conversations. */
export class WhatsAppChannel implements Messenger {
  private readonly chains = new Map<string, Promise<unknown>>();
  /**
   * The inbound message being handled, and its conversation's state: a message the services send
   * to that same conversation while handling it (the relay telling the ratepayer "end the chat
   * with the expert?" as an answer to "cancel") is sent at once into that state, which the
   * handling then saves. Waiting for the conversation's turn instead would wait for itself.
   */
  private readonly handling = new AsyncLocalStorage<{ conversationId: string; state: WhatsAppState; locale: Locale; open: boolean }>();

  constructor(private readonly deps: WhatsAppChannelDeps) {}

  /** The conversation id of a number: a keyed hash, so logs and ids carry no phone number. */
  conversationIdOf(phone: string): string {
    return `${WHATSAPP}:${createHmac('sha256', this.deps.idKey).update(phone).digest('base64url').slice(0, 24)}`;
  }

  /** Handles one inbound message (once per event id; in order per conversation on this instance). */
  receive(message: InboundWhatsApp): Promise<void> {
    const conversationId = this.conversationIdOf(message.from);
    return this.inOrder(conversationId, async () => {
      const now = this.deps.clock.now();
      if (await this.deps.processed.wasProcessed(conversationId, message.eventId, now)) return;
      await this.handle(conversationId, message, now);
      await this.deps.processed.markProcessed(conversationId, message.eventId, now);
    });
  }

  // ---- Messenger: what the services send later ---------------------------------------------

  async send(conversationId: string, message: OutboundMessage): Promise<{ activityId?: string }> {
    const current = this.handling.getStore();
    if (current?.open && current.conversationId === conversationId) {
      // Within the handling of this conversation's own message: the window is open (they just wrote).
      const prompt: TextPrompt = 'reply' in message ? promptOfReply(message.reply, current.locale) : { text: 'text' in message ? message.text : message.fallback, choices: [] };
      return { activityId: await this.present(current.state, prompt, current.locale, message.entryId) };
    }
    return this.inOrder(conversationId, async () => {
      const stored = await this.deps.conversations.get(conversationId);
      if (!stored) throw new DeliveryFailedError(conversationId, 'the conversation is not known', 0);
      const state = stateOf(stored);
      // The language the ratepayer chose (stored on the conversation, issue 16).
      const locale = localeOf(stored);
      const now = this.deps.clock.now();
      const open = state.lastInboundAt !== undefined && now.getTime() - Date.parse(state.lastInboundAt) < SERVICE_WINDOW_MS;
      if (!open) {
        const id = await this.outsideWindow(conversationId, state, message, locale);
        await this.save(stored, state, now);
        return { activityId: id };
      }
      const prompt: TextPrompt = 'reply' in message ? promptOfReply(message.reply, locale) : { text: 'text' in message ? message.text : message.fallback, choices: [] };
      // A message without choices sent between the person's messages (the receipt, which comes
      // after the survey's first question; a queue notice) does not take the question of a form
      // being asked away: its buttons are still that question's (tester 9: the survey's rating
      // pressed after the receipt was "a button of an earlier message").
      const id = await this.present(state, prompt, locale, message.entryId, !!state.form);
      await this.save(stored, state, now);
      return { activityId: id };
    });
  }

  /** WhatsApp cannot change a sent message: the new one is sent. */
  async update(conversationId: string, _activityId: string, message: OutboundMessage): Promise<void> {
    await this.send(conversationId, message);
  }

  /** A delivery status for a message sent earlier: a failure is recorded on the case, for the expert to see. */
  async deliveryStatus(status: { to: string; messageId: string; status: string; error?: string }): Promise<void> {
    if (status.status.toLowerCase() !== 'failed') return;
    const conversationId = this.conversationIdOf(status.to);
    const stored = await this.deps.conversations.get(conversationId);
    const sent = stored ? stateOf(stored).sent?.find((s) => s.messageId === status.messageId) : undefined;
    const reason = `WhatsApp could not deliver this message${status.error ? ` (${status.error})` : ''}. Ask the ratepayer to check WhatsApp, or call them.`;
    log.warn({ component: 'whatsapp', conversationId, messageId: status.messageId }, 'a WhatsApp message was not delivered');
    if (sent?.entryId) await this.deps.onDeliveryFailed?.(conversationId, sent.entryId, reason);
  }

  // ---- inbound ------------------------------------------------------------------------------

  /**
   * A photo, downloaded through the media API and kept in the media store for the programme's
   * retention, as an attachment the relay keeps on the case (`media:<id>`); anything else (a
   * voice note, a video, a photo too large to keep) as what it is, which the relay says it could
   * not pass on.
   */
  private async keep(media: { id: string; mimeType: string }): Promise<RawAttachment> {
    const type = media.mimeType.toLowerCase();
    if (!this.deps.media || !/^image\/(jpeg|png|webp)$/.test(type)) return { contentType: type || 'application/octet-stream', name: 'attachment' };
    const { bytes } = await this.deps.messages.media(media.id);
    if (bytes.length > MAX_MEDIA_BYTES) return { contentType: type, name: 'photo' };
    const id = randomUUID();
    await this.deps.media.put({ id, contentType: type, bytes }, this.deps.definition.limits.retentionDays * 86_400);
    return { contentType: type, contentUrl: `media:${id}`, name: `photo.${type.slice(6)}` };
  }

  private async handle(conversationId: string, message: InboundWhatsApp, now: Date): Promise<void> {
    const stored = (await this.deps.conversations.get(conversationId)) ?? fresh(conversationId, message.from, now);
    const state = stateOf(stored);
    // Out of order: an older message does not move the window back.
    if (!state.lastInboundAt || message.receivedAt > state.lastInboundAt) state.lastInboundAt = message.receivedAt;
    state.phone = message.from;
    const typed = removeInvisibles(message.text, 'text').trim();
    let locale = localeOf(stored);
    const base: Turn = {
      // The name staff read for this ratepayer: in the staff's language, whatever the ratepayer's.
      from: { userId: conversationId, displayName: t('en', 'whatsapp.displayName', { mobile: formatMobileForDisplay(message.from) }) },
      conversationId,
      channel: { id: WHATSAPP, kind: 'personal', personal: true, reference: { ...state } },
      text: typed,
      attachments: message.media ? [await this.keep(message.media)] : [],
      locale,
    };
    // The language settled as on every channel (issue 16): stored, else the first words, else English.
    if (this.deps.settleLanguage) {
      await this.deps.settleLanguage(base);
      locale = base.locale;
    }
    const context = { conversationId, state, locale, open: true };
    try {
      await this.handling.run(context, async () => {
        const kept = state.form;
        const turn = this.interpret(state, base, typed, message.choiceId, locale);
        if ('ask' in turn) {
          await this.present(state, turn.ask, locale);
        } else {
          const answer = await routeTurn(this.deps.routes, turn);
          await this.answer(state, answer, locale);
          // Back to the form the command interrupted (the intake's, a survey's…), in the language now chosen.
          if (state.form && state.form === kept) {
            const now = localeOf(await this.deps.conversations.get(conversationId));
            if (now !== locale) askedIn(state.form, now);
            await this.present(state, this.resumed(state, state.form, now), now);
          }
        }
      });
    } finally {
      // Work the handling started and left running (a delivery retried later) takes its turn as usual.
      context.open = false;
    }
    await this.save(stored, state, now);
  }

  /** What the message means: an answer to the form being asked (the next prompt), a choice (an action), or words for the core. */
  private interpret(state: WhatsAppState, base: Turn, typed: string, choiceId: string | undefined, locale: Locale): Turn | { ask: TextPrompt } {
    const press = choiceId !== undefined ? this.pressed(state, choiceId, typed) : undefined;
    if (press && 'earlier' in press) return this.earlierPress(state, base, press.earlier, locale);
    const picked = press ? press.current : this.typedNumber(typed);
    const form = state.form;
    if (form) {
      const command = choiceId === undefined ? commandIn(base) : undefined;
      if (!command) {
        const step = this.formStep(state, form, typed, picked, locale, choiceId !== undefined);
        if (step) return step.kind === 'ask' ? { ask: step.prompt } : { ...base, text: '', action: step.action };
      }
      // "cancel" (or STOP) in the middle of a form leaves it. Any other command ("status",
      // "my data", "language"…) is answered and the form kept: its question comes again after
      // the answer (handle), so nothing typed so far is lost.
      // Only the intake's form is "a form not sent yet" to the core (status, my data): a survey or
      // another question asked after a case is answered as any turn, its question coming again.
      if (command === 'other') return { ...base, ...formFacts(form) };
      state.form = undefined;
    }
    if (picked !== undefined && state.choices?.[picked]) {
      const choice = state.choices[picked]!;
      this.choicesDone(state);
      if (choice.action.verb === 'whatsapp.form') return { ask: this.startCallbackForm(state, choice.action.values, locale) };
      return { ...base, text: '', action: actionOf(choice) };
    }
    this.choicesDone(state);
    return base;
  }

  /**
   * Which message a pressed button or list row belongs to. By its id: the latest message's
   * (`current`, its index) or an earlier one's (`earlier`, its choice when that message is still
   * remembered; `current` when the latest message offers the very same choice, sameChoice). An id
   * of the form used before ids were tagged ("c1", the same on every message: a deploy in the
   * middle of a chat) is the latest message's only while the latest choices were sent that way and
   * WhatsApp's title for it is that choice's title as sent (isTitleAsSent).
   */
  private pressed(state: WhatsAppState, choiceId: string, typed: string): { current: number } | { earlier: TextChoice | undefined } {
    const tagged = TAGGED_ID.exec(choiceId);
    if (tagged) {
      const [, tag, n] = tagged;
      const index = Number(n);
      if (tag === state.choicesTag && state.choices?.[index]) return { current: index };
      const earlier = state.offers?.find((o) => o.tag === tag)?.choices[index];
      // The same choice offered again since (a second "Hi", the review shown again): that one, on offer now.
      const same = earlier ? (state.choices ?? []).findIndex((c) => sameChoice(c, earlier)) : -1;
      return same >= 0 ? { current: same } : { earlier };
    }
    const legacy = LEGACY_ID.exec(choiceId);
    if (legacy && !state.choicesTag) {
      const index = Number(legacy[1]);
      const offered = state.choices?.[index];
      if (offered && (typed === '' || isTitleAsSent(typed, offered.title))) return { current: index };
    }
    return { earlier: undefined };
  }

  /**
   * A button of an earlier message (WhatsApp keeps them pressable). Never taken as the current
   * choice at its place (an old second button was "Leave the queue" on the latest message), nor as
   * a form's answer, a skip or "join the queue", nor passed on as words (an old "Yes, end the chat"
   * reached the new expert after a reassignment as a message, and the ratepayer heard nothing;
   * tester 8). What it offered still does what it says when it is still meaningful
   * (STILL_MEANINGFUL: "Check my place", "Leave the queue" for its case), answered in a form with
   * the form kept (an old "Leave the queue" names an earlier case, not the form being filled in:
   * tester 9), unless the form is that very case's. A press whose message is not known by id (sent before ids were tagged, or long ago) is
   * a command when its title is a command's words, outside a form, except "Leave the queue" (its
   * case is not known: typed "cancel" would leave the one waiting now). Otherwise they are told so,
   * with the current question or choices again.
   */
  private earlierPress(state: WhatsAppState, base: Turn, choice: TextChoice | undefined, locale: Locale): Turn | { ask: TextPrompt } {
    if (choice && STILL_MEANINGFUL.has(choice.action.verb)) {
      const turn: Turn = { ...base, text: '', action: actionOf(choice) };
      // "Leave the queue" names its case, which is never the intake form's (that has no case yet):
      // the form is kept, as for any other such button, unless it is that very case's (its details
      // asked after a transfer), which leaving the queue ends.
      const formOfThatCase = choice.action.verb === 'case.cancel' && state.form?.form.action.values.reference === choice.action.values.reference;
      if (state.form && !formOfThatCase) return { ...turn, ...formFacts(state.form) };
      state.form = undefined;
      this.choicesDone(state);
      return turn;
    }
    if (state.form) return { ask: this.resumed(state, state.form, locale, t(locale, 'whatsapp.earlierButton')) };
    // A command's own words ("Check my place") still do what they say, as typed; not "Leave the
    // queue": that message named its case, which is not known any more, and typed "cancel" would
    // leave the queue for the case waiting now (tester 9: an old case's button cancelled the new one).
    if (!choice && commandIn(base) === 'other') {
      this.choicesDone(state);
      return base;
    }
    const text = t(locale, state.choices?.length ? 'whatsapp.earlierButton' : 'whatsapp.earlierButtonGone');
    return { ask: { text, choices: state.choices ?? [] } };
  }

  /** The latest message's choices no longer stand (one was taken, or the person wrote something else); its buttons are an earlier message's from now on. */
  private choicesDone(state: WhatsAppState): void {
    state.choices = undefined;
    state.choicesTag = undefined;
  }

  /** The index of the choice a number typed picks ("2", "2." or "2)"). */
  private typedNumber(typed: string): number | undefined {
    const m = NUMBER.exec(typed);
    return m ? Number(m[1]) - 1 : undefined;
  }

  /**
   * One step of a form: the answer to the question asked is checked (with the intake's own checks
   * and messages), kept, and the next question asked; after the last, the review (intake) or the
   * form sent. Undefined: the message is not an answer (a command), and the form is left.
   */
  private formStep(
    state: WhatsAppState,
    p: FormProgress,
    typed: string,
    picked: number | undefined,
    locale: Locale,
    /** Whether a button or list row of the latest message was pressed (else `picked` is a number they typed). */
    pressed = false,
  ): { kind: 'ask'; prompt: TextPrompt } | { kind: 'send'; action: { verb: string; values: Record<string, unknown> } } | undefined {
    const current = p.form.questions.find((q) => q.id === p.queue[0]);
    // A press here is the latest message's own (interpret took any earlier message's button aside).
    if (p.stage === 'review') {
      if (picked === 0) return { kind: 'send', action: this.formAction(state, p) };
      if (picked === 1) {
        p.stage = 'change';
        return { kind: 'ask', prompt: { text: t(locale, 'whatsapp.whichChange'), choices: this.questionChoices(p) } };
      }
      return { kind: 'ask', prompt: this.review(p, locale, t(locale, 'whatsapp.notAChoice', { count: 2 })) };
    }
    if (p.stage === 'change') {
      const q = picked !== undefined ? p.form.questions[picked] : undefined;
      if (!q) return { kind: 'ask', prompt: { text: t(locale, 'whatsapp.notAChoice', { count: p.form.questions.length }), choices: this.questionChoices(p) } };
      p.queue = [q.id];
      p.stage = 'asking';
      return { kind: 'ask', prompt: this.question(state, p, locale) };
    }
    if (!current) return { kind: 'send', action: this.formAction(state, p) };
    if (p.stage === 'confirmMobile') {
      // "yes" or "no" typed in any language ("yebo", "ja"; "cha", "nee", "tjhe", "nnyaa"…) is the
      // button of that meaning: "no" is "another number", asked for, not read as the number.
      const said = pressed ? undefined : yesOrNo(typed);
      if (picked === 0 || said === 'yes') {
        // As South Africans write it ("082 123 4567"), as the review shows it; the intake's own check reads it.
        p.answers[current.id] = formatMobileForDisplay(state.phone);
        return this.next(state, p, locale);
      }
      if (picked === 1 || said === 'no') {
        p.stage = 'asking';
        return { kind: 'ask', prompt: this.question(state, p, locale, true) };
      }
      // A number typed instead of a choice ("083 555 1234"): the other number, checked as if it had been asked.
      if (pressed || (typed.match(/\d/g) ?? []).length < 9) return { kind: 'ask', prompt: this.question(state, p, locale, false, t(locale, 'whatsapp.notAChoice', { count: 2 })) };
      p.stage = 'asking';
    }
    // The answer to `current`.
    let value = typed;
    if (current.kind === 'choice') {
      // A typed answer that is an option's own value or title ("5" for the rating 5) is that
      // option, before it is read as the option's number in the list.
      const options = this.optionsOf(p, current);
      const typedOption = pressed ? undefined : options.find((o) => o.value.toLowerCase() === typed.toLowerCase() || o.title.toLowerCase() === typed.toLowerCase() || this.supplierNamed(current.id, o.value, typed));
      const option = typedOption ?? (picked !== undefined ? options[picked] : undefined);
      if (!option && !(isSkipWord(typed) && !current.required))
        return { kind: 'ask', prompt: this.question(state, p, locale, false, t(locale, 'whatsapp.notAChoice', { count: options.length })) };
      value = option?.value ?? '';
    } else if (isSkipWord(typed) && !current.required) value = '';
    if (!value && current.required) return { kind: 'ask', prompt: this.question(state, p, locale, true, current.requiredMessage) };
    const error = this.checkAnswer(p, current.id, value, locale);
    if (error) return { kind: 'ask', prompt: this.question(state, p, locale, true, error) };
    p.answers[current.id] = value;
    return this.next(state, p, locale);
  }

  /** After an answer: the next question, or the review, or (no review) the form sent. */
  private next(state: WhatsAppState, p: FormProgress, locale: Locale): { kind: 'ask'; prompt: TextPrompt } | { kind: 'send'; action: { verb: string; values: Record<string, unknown> } } {
    p.queue.shift();
    p.stage = 'asking';
    if (p.queue.length) return { kind: 'ask', prompt: this.question(state, p, locale) };
    if (p.form.review) {
      p.stage = 'review';
      return { kind: 'ask', prompt: this.review(p, locale) };
    }
    return { kind: 'send', action: this.formAction(state, p) };
  }

  /** The intake's own check of one answer, with the answers so far (so rules across fields hold): its message, or none. */
  private checkAnswer(p: FormProgress, id: string, value: string, locale: Locale): string | undefined {
    if (p.form.view !== 'intake' && p.form.view !== 'moreDetails') return undefined;
    const found = categoryByCode(this.deps.definition, String(p.form.action.values.category));
    if (!found || !(id in INTAKE_FIELDS)) return undefined;
    // The details asked after a transfer: checked as those fields alone, each required (bot/domain/transferDetails.ts).
    const category = p.form.view === 'moreDetails' ? askedFieldsOf(found, p.form.questions.map((q) => q.id).filter((q): q is IntakeFieldName => q in INTAKE_FIELDS)) : found;
    const checked = checkIntake(category, { ...p.answers, [id]: value }, intakeContextOf(this.deps.definition));
    if (checked.ok) return undefined;
    const error = checked.errors[id as IntakeFieldName];
    return error ? say(locale, error) : undefined;
  }

  private formAction(state: WhatsAppState, p: FormProgress): { verb: string; values: Record<string, unknown> } {
    state.form = undefined;
    return { verb: p.form.action.verb, values: { verb: p.form.action.verb, ...p.form.action.values, ...p.answers } };
  }

  /** The question at the head of the queue (the mobile number: confirmed, not asked, unless they want another). */
  /** The form's prompt where it stands (a question, the mobile number's confirmation, the review, which detail to change). */
  private resumed(state: WhatsAppState, p: FormProgress, locale: Locale, error = ''): TextPrompt {
    if (p.stage === 'review') return this.review(p, locale, error);
    if (p.stage === 'change') return { text: lines(error, t(locale, 'whatsapp.whichChange')), choices: this.questionChoices(p) };
    return this.question(state, p, locale, p.stage === 'asking' && p.form.questions.find((q) => q.id === p.queue[0])?.style === 'tel', error);
  }

  private question(state: WhatsAppState, p: FormProgress, locale: Locale, askIt = false, error = ''): TextPrompt {
    const q = p.form.questions.find((x) => x.id === p.queue[0])!;
    const shownError = error || q.error;
    q.error = '';
    if (q.style === 'tel' && !askIt && state.phone) {
      p.stage = 'confirmMobile';
      return {
        text: lines(shownError, t(locale, 'whatsapp.confirmMobile', { mobile: formatMobileForDisplay(state.phone) })),
        choices: [
          { title: t(locale, 'whatsapp.mobileYes'), action: { verb: 'whatsapp.answer', values: {} } },
          { title: t(locale, 'whatsapp.mobileOther'), action: { verb: 'whatsapp.answer', values: {} } },
        ],
      };
    }
    const kept = q.value && !p.answers[q.id] ? q.value : '';
    return {
      text: lines(shownError, `*${q.label}*`, q.hint, kept && `(${kept})`, !q.required && t(locale, 'whatsapp.optional')),
      choices: q.kind === 'choice' ? this.optionsOf(p, q).map((o) => ({ title: o.title, action: { verb: 'whatsapp.answer', values: { value: o.value } } })) : [],
    };
  }

  /** Whether `typed` is the name of supplier `value` ("Johannesburg Water"), when the question is who bills the meter. */
  private supplierNamed(question: string, value: string, typed: string): boolean {
    const name = question === 'supplier' ? this.deps.definition.rules.suppliers.find((s) => s.id === value)?.name : undefined;
    return !!name && name.toLowerCase() === typed.trim().toLowerCase();
  }

  /**
   * The options a choice question offers now: who bills the meter, only the suppliers of the meter
   * type already answered (and "not sure"), from the definition's `rules.suppliers` (tester 10,
   * finding 6); any other question, all its options. Numbers typed count in this list.
   */
  private optionsOf(p: FormProgress, q: TextForm['questions'][number]): { value: string; title: string }[] {
    const options = q.kind === 'choice' ? q.options : [];
    if (q.id !== 'supplier' || (p.form.view !== 'intake' && p.form.view !== 'moreDetails')) return options;
    const meterType = p.answers.meterType;
    return options.filter((o) => offeredFor(this.deps.definition.rules, o.value, typeof meterType === 'string' && meterType ? meterType : undefined));
  }

  private questionChoices(p: FormProgress): TextChoice[] {
    return p.form.questions.map((q) => ({ title: q.label, action: { verb: 'whatsapp.change', values: { field: q.id } } }));
  }

  /** "Please check your details", each answer, then "1 join the queue, 2 change something". */
  private review(p: FormProgress, locale: Locale, error = ''): TextPrompt {
    const shown = (q: TextForm['questions'][number]) => {
      const v = p.answers[q.id] ?? '';
      const title = q.kind === 'choice' ? q.options.find((o) => o.value === v)?.title : undefined;
      return `${q.label}: ${title ?? (v || t(locale, 'whatsapp.skipped'))}`;
    };
    return {
      text: lines(error, t(locale, 'whatsapp.review'), ...p.form.questions.map(shown)),
      choices: [
        { title: p.form.submitTitle, action: { verb: 'whatsapp.submit', values: {} } },
        { title: t(locale, 'whatsapp.reviewChange'), action: { verb: 'whatsapp.change', values: {} } },
      ],
    };
  }

  /** The closing offer's call back: a day, then a time, then the choice sent. */
  private startCallbackForm(state: WhatsAppState, values: Record<string, unknown>, locale: Locale): TextPrompt {
    const form = callbackForm(values, locale);
    state.form = { form, queue: form.questions.map((q) => q.id), answers: {}, stage: 'asking' };
    return this.question(state, state.form, locale);
  }

  // ---- outbound -----------------------------------------------------------------------------

  /** Sends a feature's answer: its replies, then what its work afterwards replies. */
  private async answer(state: WhatsAppState, answer: Answer, locale: Locale): Promise<void> {
    const send = async (replies: Reply[]) => {
      for (const reply of replies) {
        // A receipt that replaces the pressed card: nothing to replace on WhatsApp (the review showed the details).
        if (reply.kind === 'receipt' && reply.replacesPressed) continue;
        await this.present(state, promptOfReply(reply, locale), locale);
      }
    };
    if (Array.isArray(answer)) return send(answer);
    await send(answer.replies);
    await send(await answer.afterwards());
  }

  /**
   * Shows a prompt: a form starts with its text and its first question (only the questions with an
   * error when it comes back from the core's check); choices become buttons (up to 3), a list (up
   * to 10) or numbers. Remembers what was offered. Resolves with ACS's id of the last message.
   */
  private async present(
    state: WhatsAppState,
    prompt: TextPrompt,
    locale: Locale,
    entryId?: string,
    /** A prompt without choices leaves the latest choices standing (a form's question, while a notice comes between). */
    keepChoices = false,
  ): Promise<string> {
    if (prompt.form && state.form && sameFillingIn(state.form.form, prompt.form)) {
      // The form being asked, sent again by the core in the language just chosen (formAgain,
      // bot/ratepayers/features/language.ts): its words replace the old ones, the answers and the
      // place are kept, and handle asks the question where it stands, in the new language.
      state.form.form = prompt.form;
      return '';
    }
    if (prompt.form) {
      const withErrors = prompt.form.questions.filter((q) => q.error).map((q) => q.id);
      const answers = Object.fromEntries(prompt.form.questions.filter((q) => q.value).map((q) => [q.id, q.value]));
      state.form = { form: prompt.form, queue: withErrors.length ? withErrors : prompt.form.questions.map((q) => q.id), answers, stage: 'asking' };
      this.choicesDone(state);
      if (prompt.text) await this.sendContent(state, { kind: 'text', text: prompt.text }, entryId);
      return this.present(state, this.question(state, state.form, locale), locale);
    }
    if (prompt.choices.length || !keepChoices) this.offer(state, prompt.choices);
    return this.sendContent(state, contentOf(prompt, locale, state.choicesTag ?? ''), entryId);
  }

  /** Remembers the choices a message about to be sent offers, under a new tag its ids carry (none: no choices now). */
  private offer(state: WhatsAppState, choices: TextChoice[]): void {
    this.choicesDone(state);
    if (!choices.length) return;
    const tag = newTag();
    state.choices = choices;
    state.choicesTag = tag;
    state.offers = [...(state.offers ?? []), { tag, choices }].slice(-OFFERS_REMEMBERED);
  }

  private async sendContent(state: WhatsAppState, content: WhatsAppContent, entryId?: string): Promise<string> {
    try {
      const messageId = await this.deps.messages.send(state.phone, content);
      state.sent = [...(state.sent ?? []), { messageId, ...(entryId ? { entryId } : {}) }].slice(-SENT_REMEMBERED);
      return messageId;
    } catch (error) {
      throw new DeliveryFailedError(this.conversationIdOf(state.phone), error instanceof AcsError ? error.message : 'WhatsApp could not be reached', 1, error instanceof AcsError ? error.status : undefined);
    }
  }

  /**
   * After 24 hours: the notice's template if the definition names one, else nothing is sent and
   * the case records why; "an expert is ready" (and the other notices of SMS_INSTEAD) then goes by
 * SMS to the same number.
   */
  private async outsideWindow(conversationId: string, state: WhatsAppState, message: OutboundMessage, locale: Locale): Promise<string> {
    const notice = message.notice;
    const template = notice ? this.deps.definition.whatsapp.templates[notice.kind] : undefined;
    if (notice && template) {
      const language = template.languages.includes(locale) ? locale : template.languages[0]!;
      // A template approved only in another language: the programme's and the category's names in
      // that language, as its words are, and staff's summary as written (not its translation into
      // the ratepayer's language, nor a note in it).
      const params =
        language === locale || !isLocale(language)
          ? notice.params
          : {
              ...notice.params,
              programme: programmeIn(this.deps.definition, language).name,
              ...(notice.params.categoryCode ? { category: categoryName(this.deps.definition, notice.params.categoryCode, language) } : {}),
              ...(notice.params.summaryWritten !== undefined ? { summary: notice.params.summaryWritten } : {}),
            };
      return this.sendContent(state, { kind: 'template', name: template.name, language, params: templateParams(notice.kind, params) }, message.entryId);
    }
    let reason = "WhatsApp allows free messages only within 24 hours of the ratepayer's last message, and this message has no approved template, so it was not sent.";
    const smsKey = notice ? SMS_INSTEAD[notice.kind] : undefined;
    let smsSent = false;
    if (notice && smsKey && this.deps.sms) {
      try {
        await this.deps.sms.send(state.phone, t(locale, smsKey, { lapsesOn: '', ...notice.params, programme: programmeIn(this.deps.definition, locale).name, reference: notice.params.reference ?? '', summary: notice.params.summary ?? '' }));
        reason += ' An SMS was sent instead.';
        smsSent = true;
      } catch (error) {
        reason += ` The SMS sent instead failed too (${error instanceof Error ? error.message : 'unknown'}).`;
      }
    }
    throw new ChannelRefusalError(conversationId, reason, smsSent);
  }

  private async save(stored: StoredConversation, state: WhatsAppState, now: Date): Promise<void> {
    // Not the language: it is written only when chosen (settleLanguage, the language command), and
    // this copy was read before the turn may have changed it.
    const { language: _language, languageSource: _source, ...rest } = stored;
    await this.deps.conversations.save({ ...rest, reference: { ...state }, updatedAt: now.toISOString() });
  }

  private inOrder<T>(conversationId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.chains.get(conversationId) ?? Promise.resolve();
    const next = previous.then(work, work);
    const tail = next.catch(() => undefined);
    this.chains.set(conversationId, tail);
    void tail.then(() => {
      if (this.chains.get(conversationId) === tail) this.chains.delete(conversationId);
    });
    return next;
  }
}

/**
 * Each notice's template parameters, in order (docs/whatsapp.md gives the texts the City
 * registers with these placeholders): {{1}} the programme, {{2}} the case reference, then per notice.
 */
function templateParams(kind: string, params: Record<string, string>): string[] {
  // WhatsApp refuses a parameter with a new line, a tab or more than four spaces in a row: what
  // staff typed (an update, a reason) goes on one line.
  const p = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, v.replace(/\s+/g, ' ').trim()]));
  const head = [p.programme ?? '', p.reference ?? ''];
  switch (kind) {
    case 'connected':
      return [...head, p.expert ?? '', p.category ?? ''];
    case 'outcome':
      return [...head, p.summary ?? ''];
    case 'espReminder':
      return [...head, p.lapsesOn ?? ''];
    // Issue 19: after the session.
    case 'backOfficeUpdate':
      return [...head, p.team ?? '', p.update ?? ''];
    case 'moreTime':
      return [...head, p.team ?? '', p.date ?? '', p.reason ?? ''];
    case 'escalated':
      return [...head, p.date ?? '', p.level ?? ''];
    default:
      return head;
  }
}

/** The prompt as WhatsApp content: its choices' ids carry `tag` (choiceIdOf). */
function contentOf(prompt: TextPrompt, locale: Locale, tag: string): WhatsAppContent {
  const shape = whatsAppShapeOf(prompt);
  if (shape === 'buttons') return { kind: 'buttons', text: prompt.text, buttons: prompt.choices.map((c, i) => ({ id: choiceIdOf(tag, i), title: c.title })) };
  if (shape === 'list')
    return { kind: 'list', text: prompt.text, button: t(locale, 'whatsapp.choose'), rows: prompt.choices.map((c, i) => ({ id: choiceIdOf(tag, i), title: c.title, ...(c.description ? { description: c.description } : {}) })) };
  return { kind: 'text', text: textOfPrompt(prompt, locale) };
}

/**
 * Whether two choices are the same choice: the same title and the same action (its verb and
 * values). Not the action alone: "Yes, this number" and "Another number" both send the form's
 * answer, told apart by their place.
 */
function sameChoice(a: TextChoice, b: TextChoice): boolean {
  return a.title === b.title && a.action.verb === b.action.verb && isDeepStrictEqual(a.action.values, b.action.values);
}

/**
 * What a command typed (or an earlier button pressed) in the middle of a form tells the core about
 * that form. Only the intake's form is "a form not sent yet" (status, my data: its answers so far;
 * a language change: `openForm`, so the core sends it again in the new language); a survey or
 * another question asked after a case is answered as any turn, its question coming again.
 */
function formFacts(p: FormProgress): Pick<Turn, 'formOpen' | 'formAnswers' | 'formReview' | 'openForm' | 'openDetails'> {
  // The details asked after a transfer: named, so a language change sends that form again (its words in the new language).
  if (p.form.view === 'moreDetails' && typeof p.form.action.values.reference === 'string') return { openDetails: { reference: p.form.action.values.reference } };
  if (p.form.action.verb !== 'intake.submit') return {};
  const { category, draftId, follows } = p.form.action.values;
  return {
    formOpen: true,
    formAnswers: { ...p.answers },
    ...(p.stage === 'review' ? { formReview: true } : {}),
    ...(typeof category === 'string' && typeof draftId === 'string' ? { openForm: { category, draftId, ...(typeof follows === 'string' ? { follows } : {}) } } : {}),
  };
}

/**
 * The closing offer's call-back questions in `locale`: the day (the first day allowed as the
 * example) and the time. `values` are the offer's (`reference`, `minDate`); the first day is kept
 * on the form so that the questions can be asked again in another language.
 */
function callbackForm(values: Record<string, unknown>, locale: Locale): TextForm {
  const day = t(locale, 'whatsapp.callbackDay', { example: String(values.minDate ?? '') });
  const time = t(locale, 'whatsapp.callbackTime');
  return {
    view: 'callback',
    action: { verb: 'closing.choose', values: { reference: values.reference, choice: 'callback', minDate: values.minDate } },
    questions: [
      { id: 'callbackDate', label: day, hint: '', kind: 'text', options: [], required: true, requiredMessage: day, error: '', value: '', style: 'text' },
      { id: 'callbackTime', label: time, hint: '', kind: 'text', options: [], required: true, requiredMessage: time, error: '', value: '', style: 'text' },
    ],
    review: false,
    submitTitle: '',
  };
}

/**
 * The survey or the call-back questions being asked, in `locale` (a language chosen in the middle
 * of them): their words are the catalogue's alone, so they are put in the new language here,
 * answers and place kept. The intake's form comes again from the core instead (formFacts:
 * `openForm`). Session 9 left the call-back's day and time in the first language.
 */
function askedIn(p: FormProgress, locale: Locale): void {
  const reference = p.form.action.values.reference;
  if (typeof reference !== 'string') return;
  if (p.form.view === 'callback') {
    p.form = callbackForm(p.form.action.values, locale);
    return;
  }
  if (p.form.view !== 'survey') return;
  const again = promptOfReply({ kind: 'form', view: 'survey', content: surveyContent({ id: reference }, locale), summary: '' }, locale).form;
  if (again) p.form = again;
}

/** Whether a form the core sent is the one being asked: the intake's, the same filling-in (its draftId); a case's details, the same case. */
function sameFillingIn(asked: TextForm, sent: TextForm): boolean {
  if (asked.view !== sent.view) return false;
  const key = asked.view === 'intake' ? 'draftId' : asked.view === 'moreDetails' ? 'reference' : undefined;
  return key !== undefined && asked.action.values[key] !== undefined && asked.action.values[key] === sent.action.values[key];
}

/** What pressing a choice sends to the core: its verb and values. */
function actionOf(choice: TextChoice): { verb: string; values: Record<string, unknown> } {
  return { verb: choice.action.verb, values: { verb: choice.action.verb, ...choice.action.values } };
}

function stateOf(stored: StoredConversation): WhatsAppState {
  return { ...(stored.reference as unknown as WhatsAppState) };
}

function fresh(id: string, phone: string, now: Date): StoredConversation {
  return { id, channelId: WHATSAPP, reference: { phone }, kind: 'personal', userId: id, updatedAt: now.toISOString() };
}

const lines = (...parts: (string | undefined | false)[]): string => parts.filter((p): p is string => !!p && p.trim() !== '').join('\n');
