/**
 * SMS notices (issue 18): what is sent by text message goes through here, so a number that
 * replied STOP never gets another (the opt-out is recorded, with when, and kept after the cases
 * are gone: it must outlive them), and no number gets more than the pacing allows (a message a
 * second, a burst of three: a person's phone, not a broadcast). Text messages received: STOP and
 * START (the opt-out and its undoing, each confirmed once), "STATUS <reference>" answered for a
 * case of that number (from WhatsApp, or whose mobile number it is), anything else a short help.
 */
import { createHmac } from 'node:crypto';
import type { Case } from '../../domain/case.js';
import { formatReference, normaliseReference } from '../../domain/reference.js';
import type { ServiceDefinition } from '../../domain/serviceDefinition.js';
import { checkMobile } from '../../domain/validation.js';
import { localeOf, t, type MessageKey } from '../../messages/index.js';
import { programmeIn } from '../../messages/programme.js';
import { smsCaseState } from '../../messages/caseInWords.js';
import type { CaseStore } from '../ports/caseStore.js';
import type { Clock } from '../ports/clock.js';
import type { ConversationStore } from '../ports/conversationStore.js';
import type { ProcessedActivities } from '../ports/processedActivities.js';
import type { SmsSender } from '../ports/sms.js';
import { RateLimiter } from '../http/rateLimiter.js';
import { log } from '../log.js';

/** Sent SMS per number: as a person reads them. */
const PACE = { burst: 3, perSecond: 1 };

const STOP = /^\s*(stop|stopall|unsubscribe|cancel sms|end|quit|opt ?out)\s*$/i;
const START = /^\s*(start|unstop|yes|opt ?in)\s*$/i;
const STATUS = /^\s*status\s+([A-Za-z0-9 -]{3,20})\s*$/i;

/** A number's opt-out, as the conversation store keeps it (a channel record: no retention ttl). */
interface OptOut {
  optedOut: boolean;
  at: string;
}

/** SMS with the opt-out honoured and recorded; the handler of received SMS. */
export class SmsNotices implements SmsSender {
  private readonly pace = new RateLimiter(PACE);

  constructor(
    private readonly provider: SmsSender,
    private readonly deps: {
      definition: ServiceDefinition;
      conversations: ConversationStore;
      cases: CaseStore;
      processed: ProcessedActivities;
      clock: Clock;
      /** The key opt-out records are named with (no phone number in an id). */
      idKey: string;
      /** The case ids of a WhatsApp number's conversation (so "STATUS" finds its cases). */
      whatsappConversationOf?: (phone: string) => string;
    },
  ) {}

  /** Sends unless the number opted out (then rejects, saying so) or is over its pace. */
  async send(to: string, text: string): Promise<void> {
    if ((await this.optOut(to))?.optedOut) throw new Error('the number replied STOP to our text messages, so none was sent');
    if (!this.pace.take(to).ok) throw new Error('too many text messages to this number just now; none was sent');
    await this.provider.send(to, text);
  }

  /** A text message received from `from` (E.164). Each event once. */
  async received(from: string, text: string, eventId: string): Promise<void> {
    const id = this.recordId(from);
    const now = this.deps.clock.now();
    if (eventId && (await this.deps.processed.wasProcessed(id, eventId, now))) return;
    // Replies to a number we cannot place are in English; a case's status in the case's language.
    const programme = programmeIn(this.deps.definition, 'en').name;
    const reply = (key: MessageKey, params: Record<string, string> = {}) => this.provider.send(from, t('en', key, { programme, ...params }));
    if (STOP.test(text)) {
      await this.record(from, true);
      await reply('whatsapp.smsStopped');
    } else if (START.test(text)) {
      await this.record(from, false);
      await reply('whatsapp.smsStarted');
    } else if ((await this.optOut(from))?.optedOut) {
      // Opted out: nothing is sent, whatever they wrote (START undoes it).
    } else {
      const match = STATUS.exec(text);
      const reference = match ? normaliseReference(match[1]!) : undefined;
      const c = reference ? await this.deps.cases.get(reference) : undefined;
      if (c && this.belongsTo(c, from)) {
        await this.provider.send(from, t(localeOf(c), 'whatsapp.smsStatus', { programme: programmeIn(this.deps.definition, localeOf(c)).name, reference: formatReference(c.id), state: smsCaseState(c, localeOf(c), now) }));
      } else if (match) await reply('whatsapp.smsStatusUnknown', { reference: match[1]!.trim().toUpperCase() });
      else await reply('whatsapp.smsHelp');
    }
    if (eventId) await this.deps.processed.markProcessed(id, eventId, now);
  }

  /** Whether the case is this number's: it came from their WhatsApp, or they gave this mobile number. */
  private belongsTo(c: Case, phone: string): boolean {
    if (this.deps.whatsappConversationOf && c.ratepayer.conversationId === this.deps.whatsappConversationOf(phone)) return true;
    // The intake keeps the mobile number as checked: E.164.
    const mobile = typeof c.intake.mobile === 'string' ? checkMobile(c.intake.mobile) : undefined;
    return !!mobile?.ok && mobile.value === phone;
  }

  private recordId(phone: string): string {
    return `sms:${createHmac('sha256', this.deps.idKey).update(phone).digest('base64url').slice(0, 24)}`;
  }

  private async optOut(phone: string): Promise<OptOut | undefined> {
    const stored = await this.deps.conversations.get(this.recordId(phone));
    return stored?.reference as OptOut | undefined;
  }

  private async record(phone: string, optedOut: boolean): Promise<void> {
    const at = this.deps.clock.now().toISOString();
    const reference: OptOut = { optedOut, at };
    await this.deps.conversations.save({ id: this.recordId(phone), channelId: 'sms', reference: { ...reference }, kind: 'channel', updatedAt: at });
    log.info({ component: 'sms', optedOut }, optedOut ? 'a number opted out of text messages' : 'a number opted in to text messages again');
  }
}
