/**
 * The messages that matter, by SMS, for ratepayers of the public web chat (issue 17): a browser
 * page may be closed, and Direct Line cannot tell whether it is. When an expert takes their case
 * ("an expert is ready for you") and when it is closed (the outcome: resolved, an arrangement, not
 * resolved, or referred to the back office with its due date and name), a short text goes to the
 * mobile number they gave, with the link back to the chat (the page resumes the conversation).
 * Teams ratepayers get neither: Teams notifies them itself. Nothing personal is in the text
 * beyond the reference; failures are logged and never stop the change.
 */
import { channelKindOf } from '../domain/channels.js';
import { formatReference } from '../domain/reference.js';
import type { ServiceDefinition } from '../domain/serviceDefinition.js';
import { categoryName, programmeIn } from '../messages/programme.js';
import type { CaseChangeNotice, CaseEventListener } from '../platform/flow/caseEvents.js';
import type { SmsSender } from '../platform/ports/sms.js';
import { localeOf, t } from '../messages/index.js';
import { longDate } from '../messages/time.js';
import { log } from '../platform/log.js';

/** Sends the web chat's SMS notices on claim and resolution. */
export class SmsNotices implements CaseEventListener {
  readonly name = 'sms-notices';

  constructor(
    private readonly definition: ServiceDefinition,
    private readonly sms: SmsSender,
    /** The public chat page (…/chat/), known once the service listens; the category is added so the link opens the right page. */
    private readonly chatUrl: () => string,
  ) {}

  async changed(change: CaseChangeNotice): Promise<void> {
    const { event, after: c } = change;
    if (event.kind !== 'case.claimed' && event.kind !== 'case.resolved') return;
    if (channelKindOf(c.ratepayer.channelId) !== 'web') return;
    const mobile = c.intake.mobile;
    if (typeof mobile !== 'string') return;
    const locale = localeOf(c);
    const link = `${this.chatUrl()}?category=${encodeURIComponent(c.category)}`;
    const words = {
      // The programme's and the category's own words in the ratepayer's language (the definition's, else English).
      programme: programmeIn(this.definition, locale).name,
      reference: formatReference(c.id),
      category: categoryName(this.definition, c.category, locale),
      link,
    };
    // What happened, not "resolved" for every outcome: a referral is with the back office, due by
    // a date (tester 10, finding 5); another outcome is named as the summary card names it.
    const referral = c.referral && !c.referral.done ? c.referral : undefined;
    const text =
      event.kind === 'case.claimed'
        ? t(locale, 'webchat.sms.expertReady', words)
        : referral
          ? t(locale, 'webchat.sms.referred', { ...words, date: longDate(referral.dueDate, locale), team: referral.team.name })
          : c.outcome && c.outcome.kind !== 'resolved'
            ? t(locale, 'webchat.sms.finished', { ...words, outcome: t(locale, `cards.outcome.${c.outcome.kind}`) })
            : t(locale, 'webchat.sms.resolved', words);
    try {
      await this.sms.send(mobile, text);
    } catch (error) {
      log.warn({ err: error, component: 'sms', reference: c.id, kind: event.kind }, 'the SMS notice was not sent');
    }
  }
}
