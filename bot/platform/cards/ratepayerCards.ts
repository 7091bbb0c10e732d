/**
 * The cards a ratepayer sees, built from what the intake service knows. Card data only: the
 * bot adapter wraps them into activities. Every word comes from the message catalogue
 * (bot/messages/<language>.json, section `cards`) or the service definition; the templates
 * (bot/platform/cards/templates) hold layout and `${$root.t.…}` bindings only. `locale` is the
 * ratepayer's language (English until cases record theirs).
 */
import { channelKindOf, type ChannelKind } from '../../domain/channels.js';
import { localParts, type SessionSlot } from '../../domain/calendar.js';
import { describeInstant, describeSession, describeWait, longDate } from '../../messages/time.js';
import { firstName, wroteToExpert, type Case, type CaseState, type Outcome } from '../../domain/case.js';
import { INTAKE_FIELDS, type IntakeFieldName, SUPPLIER_UNSURE } from '../../domain/intakeFields.js';
import { formatStoredRands } from '../../domain/money.js';
import { formatReference } from '../../domain/reference.js';
import { stageOf } from '../../domain/followThrough.js';
import { categoryByCode, categoryWordsIn, type Category, type ServiceDefinition } from '../../domain/serviceDefinition.js';
import { acknowledgementIn, categoryName, intakeValueIn, programmeIn, servedLanguages, supplierWordsIn } from '../../messages/programme.js';
import type { QueuedCase, SessionNews } from '../../ratepayers/intake.js';
import { formatMobileForDisplay, maskIdNumber } from '../../domain/validation.js';
import { DEFAULT_LOCALE, say, t, type Locale } from '../../messages/index.js';
import type { Message } from '../../domain/message.js';
import { fieldLabel, joinAnd } from '../../messages/words.js';
import { KEEP_AT_MOST } from '../../domain/intakeForm.js';
import { formatCount } from '../../domain/textLimits.js';
import type {
  AnsweredContent,
  CancelChoiceContent,
  ClosingOfferContent,
  EndChatContent,
  IntakeContent,
  IntakeSentContent,
  MoreDetailsContent,
  MyDataContent,
  QueuedContent,
  ResolvedContent,
  StatusContent,
  SurveyContent,
  WelcomeContent,
} from '../../ratepayers/replies.js';
import { escapeMarkdown, renderCard } from './render.js';

const isField = (name: string): name is IntakeFieldName => name in INTAKE_FIELDS;

/** Describes whether a session is open, and what a ratepayer can do if not. */
export function sessionLine(def: ServiceDefinition, news: SessionNews, locale: Locale = DEFAULT_LOCALE): string {
  if (news.open) {
    const closes = localParts(news.open.closesAt, def.timeZone).time;
    // Midnight in words, in a sentence of its own: "until {{closes}}" is written for a time, and
    // isiZulu's and isiXhosa's "kuze kube ngu-" / "de kube ngu-" before a word read wrongly
    // ("kuze kube ngu-phakathi kwamabili"; tester 8).
    return closes === '00:00' ? t(locale, 'cards.session.openUntilMidnight') : t(locale, 'cards.session.open', { closes });
  }
  if (news.next) return t(locale, 'cards.session.next', { when: describeSession(news.next, def.timeZone, locale) });
  return t(locale, 'cards.session.none', { contact: programmeIn(def, locale).contact });
}

/** The first reply: the programme, whether it is open, and the categories to choose from. */
export function welcomeContent(def: ServiceDefinition, news: SessionNews, locale: Locale = DEFAULT_LOCALE): WelcomeContent {
  return {
    organisation: programmeIn(def, locale).organisation,
    intro: t(locale, 'cards.welcome.intro', { purpose: programmeIn(def, locale).purpose }),
    sessionLine: sessionLine(def, news, locale),
    categories: def.categories.map((c) => ({ code: c.code, name: categoryWordsIn(c, locale).name })),
    // The language choice only where there is one to make (issue 16).
    languages: servedLanguages(def).length > 1 ? servedLanguages(def).map((code) => ({ value: code, title: t(locale, `language.name.${code}`) })) : [],
    current: locale,
    t: {
      title: t(locale, 'cards.welcome.title', { programme: programmeIn(def, locale).name }),
      question: t(locale, 'cards.welcome.question'),
      language: t(locale, 'language.title'),
      languageButton: t(locale, 'language.button'),
    },
  };
}

/** What the intake card needs beyond the category. */
export interface IntakeCardState {
  draftId: string;
  /** The earlier case the new one follows (issue 19: offered after the reopen period). */
  follows?: string;
  typed?: Record<string, string>;
  /** An error per field, already in words. */
  errors?: Partial<Record<IntakeFieldName, string>>;
  /** Fields the card could not carry back whole (bot/domain/intakeForm.ts KEEP_AT_MOST): said so above the form. */
  cut?: IntakeFieldName[];
  /** The channel the card goes to (its `channelId`): the notice says what that channel keeps. */
  channel?: string;
  /**
   * Whether this service texts the web chat's ratepayers when an expert is ready and when the case
   * is resolved (bot/ratepayers/smsNotices.ts: on with the web chat and an SMS sender): on the web
   * chat, the notice and the mobile number's purpose then say so (POPIA s18(1)(a), (c)).
   */
  smsNotices?: boolean;
}

/**
 * Why a field is collected, as the notice says it (catalogue `fields.<name>.purpose`): the mobile
 * number on the web chat with SMS notices on is also texted (`fields.mobile.purposeWebSms`).
 */
function fieldPurpose(locale: Locale, name: IntakeFieldName, textsWebChat: boolean): string {
  return t(locale, name === 'mobile' && textsWebChat ? 'fields.mobile.purposeWebSms' : `fields.${name}.purpose`);
}

/** The details card for a category (the intake form's content rendered for Teams). */
export function intakeCard(
  def: ServiceDefinition,
  category: Category,
  news: SessionNews,
  state: IntakeCardState,
  locale: Locale = DEFAULT_LOCALE,
): Record<string, unknown> {
  return renderCard('intake', intakeContent(def, category, news, state, locale));
}

/**
 * A domain message (a field's error) in words for a card's TextBlock, which reads Markdown: what
 * the ratepayer typed, repeated in the parameter `typed` ("… and you typed 0821234567"), is
 * escaped so it shows exactly as typed ("-5" stays "-5", "*8*" is not bold). The catalogue's own
 * words are not escaped. A channel that shows text as it is undoes it (unescapeMarkdown).
 */
export function sayInCard(locale: Locale, error: Message): string {
  const typed = error.params?.typed;
  return say(locale, typeof typed === 'string' ? { ...error, params: { ...error.params, typed: escapeMarkdown(typed) } } : error);
}

/** The details form for a category, with the POPIA notice; on a retry, with what was typed. */
export function intakeContent(
  def: ServiceDefinition,
  category: Category,
  news: SessionNews,
  state: IntakeCardState,
  locale: Locale = DEFAULT_LOCALE,
): IntakeContent {
  const errors = state.errors ?? {};
  const errorCount = Object.keys(errors).length;
  const channel = channelKindOf(state.channel);
  const words = categoryWords(def, category, locale, channel, channel === 'web' && state.smsNotices === true);
  const fields = category.fields.map(({ name, required }, i): IntakeContent['fields'][number] => {
    const info = INTAKE_FIELDS[name];
    return {
      id: name,
      kind: info.input === 'choice' ? 'choice' : info.input === 'multiline' ? 'multiline' : 'text',
      ...words.fields[i]!,
      value: state.typed?.[name] ?? '',
      required,
      // No maxLength: a client cuts a paste to it without a word. The server checks the length
      // and says the real count and the limit (bot/domain/intakeForm.ts).
      style: info.input === 'tel' || info.input === 'number' ? 'tel' : info.input === 'email' ? 'email' : 'text',
      error: errors[name] ?? '',
    };
  });
  return {
    categoryName: categoryWordsIn(category, locale).name,
    categoryCode: category.code,
    greeting: t(locale, 'cards.intake.greeting', { category: categoryWordsIn(category, locale).name }),
    sessionLine: sessionLine(def, news, locale),
    sessionStyle: news.open ? 'good' : 'warning',
    errorSummary:
      errorCount === 0
        ? ''
        : state.cut?.length
          ? t(locale, 'cards.intake.errorSummaryCut', {
              count: errorCount,
              fields: joinAnd(locale, state.cut.map((name) => `"${fieldLabel(locale, name)}"`)),
              kept: formatCount(KEEP_AT_MOST),
            })
          : t(locale, 'cards.intake.errorSummary', { count: errorCount }),
    notice: words.notice,
    fields,
    draftId: state.draftId,
    follows: state.follows ?? '',
    submitTitle: t(locale, news.open ? 'cards.intake.joinNow' : 'cards.intake.joinNext'),
    t: {
      privacyTitle: t(locale, 'cards.intake.privacyTitle'),
      collectedTitle: t(locale, 'cards.intake.collectedTitle'),
      readNotice: t(locale, 'cards.intake.readNotice'),
    },
  };
}

interface CategoryWords {
  fields: { label: string; placeholder: string; requiredMessage: string; choices: { value: string; title: string }[] }[];
  notice: ReturnType<typeof privacyNotice>;
}

// A category's field words and notice are the same on every card of a definition and language:
// put into words once (each intake card would otherwise ask the catalogue some forty times).
const wordsOfCategory = new WeakMap<Category, Map<string, CategoryWords>>();

function categoryWords(def: ServiceDefinition, category: Category, locale: Locale, channel: ChannelKind, texted: boolean): CategoryWords {
  let byLocale = wordsOfCategory.get(category);
  if (!byLocale) wordsOfCategory.set(category, (byLocale = new Map()));
  const key = `${locale}|${channel}|${texted}`;
  let words = byLocale.get(key);
  if (!words) {
    words = {
      fields: category.fields.map(({ name, required }) => {
        const label = fieldLabel(locale, name);
        return {
          label: required ? label : t(locale, 'cards.intake.optionalLabel', { label }),
          placeholder: t(locale, `fields.${name}.placeholder`),
          // The field's name as said in a sentence (catalogue `fields.<name>.name`), never lower-cased here: names keep their capitals.
          requiredMessage: t(locale, 'cards.intake.requiredMessage', { name: t(locale, `fields.${name}.name`) }),
          choices:
            name === 'supplier'
              ? supplierChoices(def, locale)
              : (INTAKE_FIELDS[name].choices ?? []).map((value) => ({ value, title: t(locale, `fields.${name}.choices.${value}` as never) })),
        };
      }),
      notice: privacyNotice(def, category, locale, channel, texted),
    };
    byLocale.set(key, words);
  }
  return words;
}

/**
 * Issue 20: who bills a meter, as choices: the definition's suppliers (their names and how to
 * tell, the programme's words) and "not sure" (catalogue).
 */
function supplierChoices(def: ServiceDefinition, locale: Locale): { value: string; title: string }[] {
  return [
    ...def.rules.suppliers.map((s) => ({ value: s.id, title: t(locale, 'cityRules.supplierChoice', supplierWordsIn(def, s.id, locale)!) })),
    { value: SUPPLIER_UNSURE, title: t(locale, 'fields.supplier.choices.unsure') },
  ];
}

/**
 * The POPIA section 18 notice for a category: what, why, by whom, required or not, rights.
 * `texted`: the web chat with SMS notices on (IntakeCardState.smsNotices).
 */
function privacyNotice(def: ServiceDefinition, category: Category, locale: Locale, channel: ChannelKind, texted: boolean) {
  const { organisation, purpose, informationOfficer: officer } = programmeIn(def, locale);
  return {
    summary:
      t(locale, 'cards.privacy.summary', { organisation, purpose }) +
      (category.fields.some((f) => f.name === 'idNumber') ? t(locale, 'cards.privacy.idMasked') : ''),
    items: category.fields.map(({ name, required }) => ({
      text: t(locale, 'cards.intake.noticeItem', {
        label: fieldLabel(locale, name),
        need: t(locale, required ? 'cards.intake.required' : 'cards.intake.optional'),
        purpose: fieldPurpose(locale, name, texted),
      }),
    })),
    // In another language than the experts' (English), messages are machine-translated both ways
    // by Azure AI Translator, which processes them outside South Africa: POPIA s18 and s72 ask
    // that the person be told (bot/platform/translator, docs/security.md).
    who: t(locale, 'cards.privacy.who', { organisation, officer }) + (locale === DEFAULT_LOCALE ? '' : ` ${t(locale, 'cards.privacy.machineTranslation')}`),
    // Teams keeps files in the ratepayer's OneDrive; the web page carries no files, and its messages
    // pass through Azure Bot Service, which may process them outside South Africa (POPIA s72).
    // WhatsApp: photos are kept on the case (the carriers' line, whatsapp.privacyCarriers, says so).
    // The web chat with SMS notices on: the number given is texted, through the SMS provider.
    retention:
      t(locale, channel === 'web' ? 'webchat.privacy.retention' : channel === 'whatsapp' ? 'cards.privacy.retentionOnly' : 'cards.privacy.retention', { days: def.limits.retentionDays }) +
      (texted ? ` ${t(locale, 'webchat.privacy.sms')}` : ''),
    rights: t(locale, 'cards.privacy.rights'),
  };
}

/** The confirmation after a successful (or repeated) submission. */
export function queuedCard(def: ServiceDefinition, queued: QueuedCase, duplicate: boolean, locale: Locale = DEFAULT_LOCALE): Record<string, unknown> {
  return renderCard('queued', queuedContent(def, queued, duplicate, locale));
}

/** The content of that confirmation: reference, place, wait, session and what happens next. */
export function queuedContent(def: ServiceDefinition, queued: QueuedCase, duplicate: boolean, locale: Locale = DEFAULT_LOCALE): QueuedContent {
  const category = categoryByCode(def, queued.case.category);
  const waitingForSession = queued.session && queued.session.opensAt.getTime() > Date.parse(queued.case.createdAt);
  const experts = t(locale, 'cards.queued.experts', { count: queued.place.agentsOnDuty });
  return {
    // "Leave the queue" carries its case: pressed on an old card, it leaves that case only.
    caseId: queued.case.id,
    headline: t(locale, duplicate ? 'cards.queued.headlineDuplicate' : 'cards.queued.headline'),
    categoryName: category ? categoryWordsIn(category, locale).name : queued.case.category,
    reference: formatReference(queued.case.id),
    position: String(queued.place.position),
    waitText: describeWait(queued.place.waitMinutes, locale),
    sessionText: queued.session ? describeSession(queued.session, def.timeZone, locale) : t(locale, 'cards.queued.nextSession'),
    // No expert of the category has the tab open now (presence, bot/agents/presence.ts: reported within
    // PRESENCE_FRESH_MS), whoever signed in earlier: the count is the roster's stand-ins, so "on duty" would
    // not be true, nor "nobody has signed in" (tester 9, finding 6).
    waitNote:
      queued.place.agentsSignedIn === 0
        ? t(locale, 'cards.queued.waitUsualStaffing')
        : t(locale, queued.place.basis === 'history' ? 'cards.queued.waitFromHistory' : 'cards.queued.waitFirstEstimate', { experts }),
    nextSteps: t(locale, waitingForSession ? 'cards.queued.nextStepsSession' : 'cards.queued.nextStepsOpen'),
    t: {
      reference: t(locale, 'cards.queued.reference'),
      place: t(locale, 'cards.queued.place'),
      wait: t(locale, 'cards.queued.wait'),
      session: t(locale, 'cards.queued.session'),
      checkPlace: t(locale, 'cards.queued.checkPlace'),
      leave: t(locale, 'cards.queued.leave'),
    },
  };
}

const stateText = (locale: Locale, state: CaseState): string => t(locale, `cards.state.${state}`);

/** A case referred to the back office and not yet finished there: open for the ratepayer. */
const openReferral = (c: Pick<Case, 'referral'>): boolean => c.referral !== undefined && !c.referral.done;

/**
 * What a used intake card becomes (the bot updates the message in place): a read-only summary
 * of what was sent, so the form cannot be pressed again by mistake. Shown only in the
 * ratepayer's own chat; the ID number stays masked.
 */
export function intakeSentCard(
  def: ServiceDefinition,
  c: Pick<Case, 'id' | 'category' | 'intake'>,
  locale: Locale = DEFAULT_LOCALE,
): Record<string, unknown> {
  return renderCard('intakeSent', intakeSentContent(def, c, locale));
}

/** The content of that summary: the details sent, ID number masked. */
export function intakeSentContent(
  def: ServiceDefinition,
  c: Pick<Case, 'id' | 'category' | 'intake'>,
  locale: Locale = DEFAULT_LOCALE,
): IntakeSentContent {
  return {
    note: t(locale, 'cards.intakeSent.note', { reference: formatReference(c.id) }),
    details: intakeDetails(def, c, locale),
    t: { title: t(locale, 'cards.intakeSent.title', { category: categoryName(def, c.category, locale) }) },
  };
}

/** The answer to "status" (every open case with its place) or "my cases" (recent ones, closed too). */
export function statusContent(def: ServiceDefinition, cases: QueuedCase[], all = false, locale: Locale = DEFAULT_LOCALE, now: Date = new Date()): StatusContent {
  return {
    cases: cases.map((q) => ({
      reference: formatReference(q.case.id),
      categoryName: categoryName(def, q.case.category, locale),
      stateText: q.case.state === 'in_progress' && q.case.assignedTo
        ? t(locale, 'cards.state.with', { expert: q.case.assignedTo.name.split(' ')[0]! })
        : openReferral(q.case)
          ? // Closed for the session, open with the back office: not "Resolved" (tester 11, finding 4).
            [t(locale, 'cards.state.referral', { stage: t(locale, `followThrough.status.stage.${stageOf(q.case, now)}`) }), ...referralLines(def, q.case, locale, 'own chat', escapeMarkdown)].join(' ')
          : stateText(locale, q.case.state),
      position: q.case.state === 'waiting' ? String(q.place.position) : '',
      waitText: q.case.state === 'waiting' ? describeWait(q.place.waitMinutes, locale) : '',
      sessionText: sessionTextFor(def, q.session, q.case.sessionId, locale),
    })),
    t: {
      title: t(locale, all ? 'cards.status.titleAll' : 'cards.status.titleOpen'),
      status: t(locale, 'cards.status.status'),
      place: t(locale, 'cards.status.place'),
      wait: t(locale, 'cards.status.wait'),
      session: t(locale, 'cards.status.session'),
      // Only while a case waits: with everything closed there is no queue to leave.
      cancelHint: cases.some((q) => q.case.state === 'waiting') ? t(locale, 'cards.status.cancelHint') : '',
    },
  };
}

/**
 * Where a referral not yet done stands, as "status", "my cases" and "status K7M-3PQ" say it, in
 * `locale`: its due date and team, the latest escalation under that due date, and, to the chat the
 * case was opened from (`to`), the back office's last update (its words through `quote`: escaped
 * for a card). Dates are the programme's local dates, written long. [] for no open referral.
 */
export function referralLines(
  def: ServiceDefinition,
  c: Pick<Case, 'referral'>,
  locale: Locale,
  to: 'own chat' | 'proof',
  quote: (words: string) => string = (words) => words,
): string[] {
  const r = c.referral;
  if (!r || r.done) return [];
  const lines = [t(locale, 'followThrough.status.due', { date: longDate(r.dueDate, locale), team: r.team.name })];
  const last = r.escalations.filter((e) => e.dueDate === r.dueDate).at(-1);
  if (last) lines.push(t(locale, 'followThrough.status.escalatedOn', { date: longDate(localParts(new Date(last.at), def.timeZone).date, locale), level: last.name }));
  const update = r.updates.at(-1);
  if (update && to === 'own chat') lines.push(t(locale, 'followThrough.status.lastUpdate', { date: longDate(localParts(new Date(update.at), def.timeZone).date, locale), text: quote(update.text) }));
  return lines;
}

function sessionTextFor(def: ServiceDefinition, session: SessionSlot | undefined, sessionId: string, locale: Locale): string {
  return session && session.id === sessionId ? describeSession(session, def.timeZone, locale) : sessionId.replace('T', ' ');
}

/** The title of the summary card, by outcome (`cards.resolved.*`). */
const HEADLINES = {
  resolved: 'cards.resolved.headlineResolved',
  arrangement_made: 'cards.resolved.headlineArrangement',
  referred_back_office: 'cards.resolved.headlineReferred',
  not_resolved: 'cards.resolved.headlineClosed',
} as const satisfies Record<Outcome, string>;

/**
 * A summary (the expert's resolution, or the back office's decision) as the ratepayer reads it in
 * `locale` (issue 16; tester 8, finding 3): its machine translation into their language, marked
 * so; as written, marked as not translated, when the translation failed; else as written (they
 * read the experts' language, or the expert turned translation off). The one place every channel's
 * summary card, closing line and receipt take it from. '' without an outcome.
 */
export function summaryAsRead(
  outcome: Pick<NonNullable<Case['outcome']>, 'summary' | 'translated' | 'untranslated'> | undefined,
  locale: Locale,
  /** Whose words the summary is: the machine translation's note says so (tester 9, finding 4). */
  wordsOf: 'expert' | 'backOffice' = 'expert',
): string {
  if (!outcome) return '';
  if (outcome.translated?.to === locale) return `${outcome.translated.text} ${t(locale, wordsOf === 'backOffice' ? 'translation.machineTranslatedBackOffice' : 'translation.machineTranslated')}`;
  if (outcome.untranslated?.to === locale) return `${outcome.summary} ${t(locale, 'translation.notTranslated')}`;
  return outcome.summary;
}

/** The summary a ratepayer gets when their case is closed with an outcome: its title is the outcome's own. */
export function resolvedContent(
  def: ServiceDefinition,
  c: Pick<Case, 'id' | 'category' | 'outcome' | 'assignedTo'> & Partial<Pick<Case, 'arrangement'>>,
  locale: Locale = DEFAULT_LOCALE,
): ResolvedContent {
  const outcome: Outcome = c.outcome?.kind ?? 'resolved';
  return {
    // The outcome's own title: a referral is not "resolved" (the back office has its days yet).
    headline: t(locale, HEADLINES[outcome]),
    categoryName: categoryName(def, c.category, locale),
    reference: formatReference(c.id),
    outcomeText: t(locale, `cards.outcome.${outcome}`),
    expert: c.assignedTo ? firstName(c.assignedTo.name) : t(locale, 'cards.resolved.ourExpert'),
    // In the ratepayer's language, as the receipt writes it (tester 8: the notice said 'Monday, 14 December 2026' in Afrikaans).
    dueDate: c.outcome?.dueDate ? longDate(c.outcome.dueDate, locale) : '',
    // The expert's words in the ratepayer's language when they were translated (issue 16), marked so.
    summary: escapeMarkdown(summaryAsRead(c.outcome, locale)),
    // An arrangement recorded applies once the acknowledgement of debt is signed: the card says how,
    // not only "confirmed in writing" (tester 10, finding 8).
    nextSteps:
      outcome === 'arrangement_made' && c.arrangement
        ? t(locale, 'cards.nextSteps.arrangementToSign', { acknowledgement: acknowledgementIn(def, locale) })
        : t(locale, `cards.nextSteps.${outcome}`, { contact: programmeIn(def, locale).contact }),
    t: {
      reference: t(locale, 'cards.resolved.reference'),
      outcome: t(locale, 'cards.resolved.outcome'),
      expert: t(locale, 'cards.resolved.expert'),
      due: t(locale, 'cards.resolved.due'),
      whatWasDone: t(locale, 'cards.resolved.whatWasDone'),
      nextSteps: t(locale, 'cards.resolved.nextSteps'),
    },
  };
}

/** Asked when a ratepayer types "cancel" (or "stop", "quit", "exit") while an expert has their case. */
export function endChatContent(c: Pick<Case, 'id' | 'assignedTo' | 'transcript'>, locale: Locale = DEFAULT_LOCALE): EndChatContent {
  const expert = firstName(c.assignedTo?.name ?? t(locale, 'common.theExpert'));
  const reference = formatReference(c.id);
  return {
    caseId: c.id,
    t: {
      title: t(locale, 'cards.endChat.title', { expert }),
      // "…and has seen what you wrote" only when it is true (wroteToExpert: tester 7, finding 10).
      body: t(locale, wroteToExpert(c) ? 'cards.endChat.body' : 'cards.endChat.bodyNothingWritten', { expert, reference }),
      yes: t(locale, 'cards.endChat.yes'),
      no: t(locale, 'cards.endChat.no'),
    },
  };
}

/**
 * Asked when a ratepayer types "cancel" (or presses "Leave the queue" on a card that names no
 * case) with two or more cases waiting: one button per case, naming its reference and category.
 */
export function cancelChoiceCard(def: ServiceDefinition, cases: Pick<Case, 'id' | 'category'>[], locale: Locale = DEFAULT_LOCALE): Record<string, unknown> {
  return renderCard('cancelChoice', cancelChoiceContent(def, cases, locale));
}

/** The content of that question: one option per waiting case. */
export function cancelChoiceContent(def: ServiceDefinition, cases: Pick<Case, 'id' | 'category'>[], locale: Locale = DEFAULT_LOCALE): CancelChoiceContent {
  return {
    cases: cases.map((c) => ({
      caseId: c.id,
      title: t(locale, 'cards.cancelChoice.leave', {
        reference: formatReference(c.id),
        category: categoryName(def, c.category, locale),
      }),
    })),
    t: {
      title: t(locale, 'cards.cancelChoice.title', { count: cases.length }),
      body: t(locale, 'cards.cancelChoice.body'),
    },
  };
}

/**
 * What a used question card becomes (updated in place, as the intake card is): its question and
 * the answer given, with no buttons, so it cannot be answered twice.
 */
function answered(title: string, answer: string): AnsweredContent {
  return { t: { title, answer } };
}

/** The survey once answered: the rating given, read-only. */
export function surveyAnsweredCard(c: Pick<Case, 'id'>, rating: number, locale: Locale = DEFAULT_LOCALE): Record<string, unknown> {
  return renderCard('answered', surveyAnsweredContent(c, rating, locale));
}

/** The content of the answered survey. */
export function surveyAnsweredContent(c: Pick<Case, 'id'>, rating: number, locale: Locale = DEFAULT_LOCALE): AnsweredContent {
  return answered(
    t(locale, 'cards.survey.title'),
    t(locale, 'cards.survey.answered', { reference: formatReference(c.id), rating: t(locale, `cards.survey.rating${String(rating) as '1' | '2' | '3' | '4' | '5'}`) }),
  );
}

/** The end-the-chat question once answered: the choice made, read-only. */
export function endChatAnsweredCard(c: Pick<Case, 'id' | 'assignedTo'>, choice: 'end' | 'continue', locale: Locale = DEFAULT_LOCALE): Record<string, unknown> {
  return renderCard('answered', endChatAnsweredContent(c, choice, locale));
}

/** The content of the answered end-the-chat question. */
export function endChatAnsweredContent(c: Pick<Case, 'id' | 'assignedTo'>, choice: 'end' | 'continue', locale: Locale = DEFAULT_LOCALE): AnsweredContent {
  const expert = firstName(c.assignedTo?.name ?? t(locale, 'common.theExpert'));
  return answered(
    t(locale, 'cards.endChat.title', { expert }),
    t(locale, 'cards.endChat.answered', { choice: t(locale, choice === 'end' ? 'cards.endChat.yes' : 'cards.endChat.no') }),
  );
}

/** The short satisfaction survey after resolution (1–5 and a comment). */
export function surveyContent(c: Pick<Case, 'id'>, locale: Locale = DEFAULT_LOCALE): SurveyContent {
  const ratings = (['5', '4', '3', '2', '1'] as const).map((value) => ({ value, title: t(locale, `cards.survey.rating${value}`) }));
  return {
    caseId: c.id,
    ratings,
    t: {
      title: t(locale, 'cards.survey.title'),
      intro: t(locale, 'cards.survey.intro', { reference: formatReference(c.id) }),
      question: t(locale, 'cards.survey.question'),
      choose: t(locale, 'cards.survey.choose'),
      comment: t(locale, 'cards.survey.comment'),
      send: t(locale, 'cards.survey.send'),
    },
  };
}

/** The offer sent when the session is about to close with the ratepayer still waiting. */
export function closingOfferContent(
  def: ServiceDefinition,
  input: { c: Pick<Case, 'id' | 'category' | 'intake'>; session: SessionSlot; position: number; next: SessionSlot | undefined; now: Date },
  locale: Locale = DEFAULT_LOCALE,
): ClosingOfferContent {
  const closes = localParts(input.session.closesAt, def.timeZone).time;
  const today = localParts(input.now, def.timeZone).date;
  const mobile = typeof input.c.intake.mobile === 'string' ? formatMobileForDisplay(input.c.intake.mobile) : undefined;
  const category = categoryName(def, input.c.category, locale);
  return {
    headline: t(locale, 'cards.closingOffer.headline', { closes }),
    situation: t(locale, 'cards.closingOffer.situation', { position: input.position, category }),
    hasNextSession: !!input.next,
    nextSessionText: input.next ? t(locale, 'cards.closingOffer.nextSession', { when: describeSession(input.next, def.timeZone, locale) }) : '',
    callbackText: mobile ? t(locale, 'cards.closingOffer.callbackOn', { mobile }) : t(locale, 'cards.closingOffer.callback'),
    caseId: input.c.id,
    minDate: today,
    maxDate: localParts(new Date(input.now.getTime() + 30 * 86_400_000), def.timeZone).date,
    t: {
      keepTitle: t(locale, 'cards.closingOffer.keepTitle'),
      keep: t(locale, 'cards.closingOffer.keep'),
      callbackTitle: t(locale, 'cards.closingOffer.callbackTitle'),
      day: t(locale, 'cards.closingOffer.day'),
      chooseDay: t(locale, 'cards.closingOffer.chooseDay'),
      time: t(locale, 'cards.closingOffer.time'),
      chooseTime: t(locale, 'cards.closingOffer.chooseTime'),
      callMe: t(locale, 'cards.closingOffer.callMe'),
    },
  };
}

/**
 * The answer to "my data" (POPIA s23): every case of this chat, what it holds and until when,
 * and how to have it corrected or deleted. ID numbers stay masked even here.
 */
export function myDataCard(def: ServiceDefinition, cases: Case[], locale: Locale = DEFAULT_LOCALE): Record<string, unknown> {
  return renderCard('myData', myDataContent(def, cases, locale));
}

/**
 * The content of "my data": every case of this chat, what it holds and until when. `formKept`:
 * a form is being filled in with answers kept but no case yet (the answers follow it, features/myData.ts).
 */
export function myDataContent(def: ServiceDefinition, cases: Case[], locale: Locale = DEFAULT_LOCALE, channel?: string, formKept = false, now: Date = new Date()): MyDataContent {
  const day = (iso: string) => describeInstant(new Date(iso), def.timeZone, locale);
  const days = def.limits.retentionDays;
  return {
    intro:
      cases.length === 0
        ? t(locale, formKept ? 'cards.myData.noneFormKept' : 'cards.myData.none')
        : t(locale, 'cards.myData.intro', { organisation: programmeIn(def, locale).organisation, purpose: programmeIn(def, locale).purpose }),
    reach: t(locale, channelKindOf(channel) === 'web' ? 'webchat.myData.reach' : channelKindOf(channel) === 'whatsapp' ? 'whatsapp.myDataReach' : 'cards.myData.reach', { days }),
    cases: cases.map((c) => ({
      title: t(locale, 'cards.myData.caseTitle', {
        reference: formatReference(c.id),
        category: categoryName(def, c.category, locale),
      }),
      // A referral the back office has not finished is open for the ratepayer, and its retention
      // starts only when the back office is done (tester 11 / core10: it read "Resolved", kept
      // until a date counted from the referral).
      stateText: openReferral(c) ? t(locale, 'cards.state.referral', { stage: t(locale, `followThrough.status.stage.${stageOf(c, now)}`) }) : stateText(locale, c.state),
      opened: day(c.createdAt),
      keptUntil: c.closedAt && !openReferral(c)
        ? day(new Date(Date.parse(c.closedAt) + days * 86_400_000).toISOString())
        : t(locale, 'cards.myData.whileOpen', { days }),
      messages: String((c.transcript ?? []).length),
      details: [...intakeDetails(def, c, locale), ...translationsKept(c, locale)],
    })),
    // With nothing held there is no case reference to quote.
    rights: t(locale, cases.length ? 'cards.myData.rights' : 'cards.myData.rightsNone', { officer: programmeIn(def, locale).informationOfficer }),
    t: {
      title: t(locale, 'cards.myData.title'),
      status: t(locale, 'cards.myData.status'),
      opened: t(locale, 'cards.myData.opened'),
      keptUntil: t(locale, 'cards.myData.keptUntil'),
      messages: t(locale, 'cards.myData.messages'),
      details: t(locale, 'cards.myData.details'),
    },
  };
}

/**
 * The machine translations of their answers kept on the case for staff (Case.intakeTranslations:
 * the query in English for an expert who does not read the ratepayer's language), which "my data"
 * must show too (POPIA s23: what is held about them), as kept, escaped.
 */
function translationsKept(c: Pick<Case, 'intakeTranslations'>, locale: Locale): { label: string; value: string }[] {
  return Object.entries(c.intakeTranslations ?? {}).flatMap(([name, kept]) =>
    kept.status === 'translated' ? [{ label: t(locale, 'cards.myData.translated', { field: isField(name) ? fieldLabel(locale, name) : name }), value: escapeMarkdown(kept.text) }] : [],
  );
}

/**
 * A case's intake details as the ratepayer is shown them (the used card, "my data"): the card's
 * own labels; ID numbers masked to their last four digits; mobiles spaced; amounts as the City's
 * statements show them ("R12 500.50"); a choice as its option's label in the ratepayer's language
 * ("Electricity", "City Power"; never the stored code); everything else escaped, as typed.
 */
function intakeDetails(def: ServiceDefinition, c: Pick<Case, 'intake'>, locale: Locale, escape: (text: string) => string = escapeMarkdown): { label: string; value: string }[] {
  return Object.entries(c.intake).map(([name, value]) => {
    const info = isField(name) ? INTAKE_FIELDS[name] : undefined;
    const text = String(value);
    return {
      label: isField(name) ? fieldLabel(locale, name) : name,
      value: info?.sensitive
        ? maskIdNumber(text)
        : name === 'mobile'
          ? formatMobileForDisplay(text)
          : info?.money
            ? formatStoredRands(value)
            : escape(intakeValueIn(def, name, text, locale)),
    };
  });
}

/**
 * The details a ratepayer sent with a form as "Label: value" lines in `locale` (one a line, in
 * `fields` order), for the case's transcript: each field's label from the catalogue, a choice by
 * its option's label (never its code), an ID number masked, a mobile number and an amount as the
 * cards show them; the values as typed otherwise (plain text, not Markdown: the tab escapes it).
 */
export function detailsSentLines(def: ServiceDefinition, values: Readonly<Record<string, string | number>>, fields: readonly IntakeFieldName[], locale: Locale): string {
  const sent = Object.fromEntries(fields.filter((name) => values[name] !== undefined).map((name) => [name, values[name]!]));
  return intakeDetails(def, { intake: sent }, locale, (text) => text)
    .map((d) => `${d.label}: ${d.value}`)
    .join('\n');
}

/** What the details form needs beyond the case: on a retry, what was typed and an error per field (in words). */
export interface MoreDetailsState {
  typed?: Record<string, string>;
  errors?: Partial<Record<IntakeFieldName, string>>;
  /** Fields the form could not carry back whole (KEEP_AT_MOST): said so above the form. */
  cut?: IntakeFieldName[];
  /** SMS notices are on for the web chat (IntakeCardState.smsNotices): a web chat case's mobile number is said to be texted. */
  smsNotices?: boolean;
}

/**
 * The details a transferred case's new category needs (`c.detailsAsked`, bot/domain/case.ts):
 * exactly those fields, each required, with the intake form's own words (label, hint, why it is
 * collected) and, on a retry, what was typed and the error under each wrong field.
 */
export function moreDetailsContent(
  def: ServiceDefinition,
  c: Pick<Case, 'id' | 'category' | 'detailsAsked'> & { ratepayer?: { channelId?: string } },
  locale: Locale = DEFAULT_LOCALE,
  state: MoreDetailsState = {},
): MoreDetailsContent {
  const texted = state.smsNotices === true && channelKindOf(c.ratepayer?.channelId) === 'web';
  const asked = c.detailsAsked?.fields ?? [];
  const category = categoryName(def, c.detailsAsked?.category ?? c.category, locale);
  const errors = state.errors ?? {};
  const errorCount = Object.keys(errors).length;
  return {
    caseId: c.id,
    categoryCode: c.detailsAsked?.category ?? c.category,
    title: t(locale, 'moreDetails.title', { category }),
    intro: t(locale, 'moreDetails.intro', { category, reference: formatReference(c.id) }),
    errorSummary:
      errorCount === 0
        ? ''
        : state.cut?.length
          ? t(locale, 'cards.intake.errorSummaryCut', { count: errorCount, fields: joinAnd(locale, state.cut.map((name) => `"${fieldLabel(locale, name)}"`)), kept: formatCount(KEEP_AT_MOST) })
          : t(locale, 'cards.intake.errorSummary', { count: errorCount }),
    notice: {
      items: asked.map((name) => ({
        text: t(locale, 'cards.intake.noticeItem', { label: fieldLabel(locale, name), need: t(locale, 'cards.intake.required'), purpose: fieldPurpose(locale, name, texted) }),
      })),
      rights: t(locale, 'cards.privacy.rights'),
    },
    fields: asked.map((name) => {
      const info = INTAKE_FIELDS[name];
      return {
        id: name,
        kind: info.input === 'choice' ? 'choice' : info.input === 'multiline' ? 'multiline' : 'text',
        label: fieldLabel(locale, name),
        placeholder: t(locale, `fields.${name}.placeholder`),
        requiredMessage: t(locale, 'cards.intake.requiredMessage', { name: t(locale, `fields.${name}.name`) }),
        choices:
          name === 'supplier'
            ? supplierChoices(def, locale)
            : (info.choices ?? []).map((value) => ({ value, title: t(locale, `fields.${name}.choices.${value}` as never) })),
        value: state.typed?.[name] ?? '',
        required: true,
        style: info.input === 'tel' || info.input === 'number' ? 'tel' : info.input === 'email' ? 'email' : 'text',
        error: errors[name] ?? '',
      };
    }),
    submitTitle: t(locale, 'moreDetails.send'),
    t: { collectedTitle: t(locale, 'cards.intake.collectedTitle') },
  };
}

/** The details form once answered: the details sent (ID number masked), read-only, in place of the form. */
export function moreDetailsSentContent(
  def: ServiceDefinition,
  c: Pick<Case, 'id' | 'category' | 'intake'>,
  fields: readonly IntakeFieldName[],
  locale: Locale = DEFAULT_LOCALE,
): IntakeSentContent {
  const sent = Object.fromEntries(fields.filter((name) => c.intake[name] !== undefined).map((name) => [name, c.intake[name]!]));
  return {
    note: t(locale, 'cards.intakeSent.note', { reference: formatReference(c.id) }),
    details: intakeDetails(def, { intake: sent }, locale),
    t: { title: t(locale, 'cards.intakeSent.title', { category: categoryName(def, c.category, locale) }) },
  };
}
