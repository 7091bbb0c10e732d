/**
 * The ESP lapse reminder (issue 20): an ESP registration lasts `rules.esp.registrationMonths`;
 * `rules.esp.reminderMonthsBefore` before it lapses the ratepayer is reminded in their chat, with
 * how to renew and what to bring. It is the notice `espReminder`: on WhatsApp, whose 24-hour
 * window has long closed by then, it goes as the definition's template (`whatsapp.templates`),
 * else by SMS; a Teams chat that refuses it for good falls back to SMS too (RelayService.fallBackTo).
 *
 * Run by the session scheduler's lease holder on its ticks (bot/service.ts), so one instance at a
 * time looks; each reminder is marked sent and written on the transcript in one conditional write
 * (ETag, bot/platform/flow/caseChanges.ts) before it is delivered, so two instances that both
 * looked (a lease changing hands) send it once. Everything it needs is on the case in Cosmos DB
 * (`espRegistration.remindOn`, `remindedAt`): a restart loses nothing, the next holder's round
 * finds what is due; a crash between the write and the delivery leaves the message to delivery
 * recovery (its sender no longer beats). A reminder due while no instance ran goes out at the
 * next round, as long as the registration has not lapsed.
 */
import { markEspReminded, CaseRuleError } from '../domain/case.js';
import { localParts } from '../domain/calendar.js';
import { reminderDue } from '../domain/indigent.js';
import type { ServiceDefinition } from '../domain/serviceDefinition.js';
import type { CaseStore } from '../platform/ports/caseStore.js';
import type { Clock } from '../platform/ports/clock.js';
import { changeCase, CaseKeepsChangingError } from '../platform/flow/caseChanges.js';
import { localeOf, t } from '../messages/index.js';
import { longDate } from '../messages/time.js';
import { joinAnd } from '../messages/words.js';
import { espDocumentNames, espRenewalIn } from '../messages/programme.js';
import { errorLogger } from '../platform/log.js';
import { told, type RelayService } from './relay.js';

/** How often the lease holder looks (its ticks come every few seconds; reminders are per day). */
const ROUND_EVERY_MS = 15 * 60_000;
/** Cases reminded in one round at most (the rest at the next). */
const PER_ROUND = 100;

/** The reminder job of one instance. */
export class EspReminders {
  private lastRound: number | undefined;
  private readonly log = errorLogger('esp-reminders');

  constructor(
    private readonly definition: ServiceDefinition,
    private readonly cases: CaseStore,
    private readonly relay: RelayService,
    private readonly clock: Clock,
  ) {}

  /** One round (at most every ROUND_EVERY_MS): reminds whoever is due today; returns how many. */
  async run(now = this.clock.now()): Promise<number> {
    const ms = now.getTime();
    if (this.lastRound !== undefined && ms >= this.lastRound && ms - this.lastRound < ROUND_EVERY_MS) return 0;
    this.lastRound = ms;
    const today = localParts(now, this.definition.timeZone).date;
    let sent = 0;
    for (const due of await this.cases.listEspRemindersDue(this.definition.programme.id, today, PER_ROUND)) {
      const locale = localeOf(due);
      try {
        const result = await changeCase(this.cases, due.id, (c) => {
          if (!c.espRegistration || !reminderDue(c.espRegistration, today)) return undefined;
          const lapsesOn = c.espRegistration.lapsesOn;
          const words = told(locale, (l) =>
            t(l, 'cityRules.espReminder', {
              lapsesOn: longDate(lapsesOn, l),
              renewal: espRenewalIn(this.definition, l),
              documents: joinAnd(l, espDocumentNames(this.definition, l)),
            }),
          );
          // A notice: WhatsApp, months after the ratepayer last wrote, sends its template (or an SMS goes).
          return markEspReminded(c, now, this.relay.botMessage(words, now, 'espReminder'));
        }, { known: due });
        if (result.kind !== 'saved') continue;
        sent++;
        const entry = result.saved.transcript?.at(-1);
        // Paced and retried by the messenger; its outcome is recorded on the case.
        if (entry) void this.relay.redeliver(result.saved, entry);
      } catch (error) {
        if (error instanceof CaseRuleError || error instanceof CaseKeepsChangingError) continue;
        this.log(`ESP reminder for ${due.id} failed`, error);
      }
    }
    return sent;
  }
}
