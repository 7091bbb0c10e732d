/**
 * The cards a ratepayer sees, built from what the intake service knows. Card data only: the
 * bot adapter wraps them into activities.
 */
import { describeInstant, describeSession, localParts, type SessionSlot } from '../domain/calendar.js';
import { firstName, type Case, type CaseState, type Outcome } from '../domain/case.js';
import { INTAKE_FIELDS, type IntakeFieldName } from '../domain/intakeFields.js';
import { formatStoredRands } from '../domain/money.js';
import { formatReference } from '../domain/reference.js';
import { categoryByCode, type Category, type ServiceDefinition } from '../domain/serviceDefinition.js';
import type { QueuedCase, SessionNews } from '../services/intake.js';
import { formatMobileForDisplay, maskIdNumber } from '../domain/validation.js';
import { escapeMarkdown, renderCard } from './render.js';

/** Describes whether a session is open, and what a ratepayer can do if not. */
export function sessionLine(def: ServiceDefinition, news: SessionNews): string {
  if (news.open) {
    const closes = localParts(news.open.closesAt, def.timeZone).time;
    return `A session is open now, until ${closes === '00:00' ? 'midnight' : closes}. An expert will help you today.`;
  }
  if (news.next) {
    return (
      `No session is open right now. The next one is on ${describeSession(news.next, def.timeZone)}. ` +
      'You can leave your details now and you will be in the queue when it opens.'
    );
  }
  return 'There are no more sessions planned for this programme. Please contact the City\'s call centre instead.';
}

/** The first card: the programme, whether it is open, and the categories to choose from. */
export function welcomeCard(def: ServiceDefinition, news: SessionNews): Record<string, unknown> {
  return renderCard('welcome', {
    organisation: def.programme.organisation,
    programmeName: def.programme.name,
    intro: `We are here ${def.programme.purpose}. Choose your type of query and we will put you in the queue for the right expert.`,
    sessionLine: sessionLine(def, news),
    categories: def.categories.map((c) => ({ code: c.code, name: c.name })),
  });
}

/** What the intake card needs beyond the category. */
export interface IntakeCardState {
  draftId: string;
  typed?: Record<string, string>;
  errors?: Partial<Record<IntakeFieldName, string>>;
}

/** The details card for a category, with the POPIA notice; on a retry, with what was typed. */
export function intakeCard(
  def: ServiceDefinition,
  category: Category,
  news: SessionNews,
  state: IntakeCardState,
): Record<string, unknown> {
  const errors = state.errors ?? {};
  const errorCount = Object.keys(errors).length;
  const fields = category.fields.map(({ name, required }) => {
    const info = INTAKE_FIELDS[name];
    return {
      id: name,
      kind: info.input === 'choice' ? 'choice' : info.input === 'multiline' ? 'multiline' : 'text',
      label: required ? info.label : `${info.label} (optional)`,
      placeholder: info.placeholder,
      value: state.typed?.[name] ?? '',
      required,
      requiredMessage: `Please fill in ${info.label.toLowerCase()}.`,
      maxLength: info.maxLength,
      style: info.input === 'tel' || info.input === 'number' ? 'tel' : info.input === 'email' ? 'email' : 'text',
      choices: info.choices ?? [],
      error: errors[name] ?? '',
    };
  });
  return renderCard('intake', {
    categoryName: category.name,
    categoryCode: category.code,
    greeting: `Thank you for reaching out about ${category.name.toLowerCase()}. Tell us about your query and we will put you in the queue for an expert.`,
    sessionLine: sessionLine(def, news),
    sessionStyle: news.open ? 'good' : 'warning',
    errorSummary:
      errorCount === 0
        ? ''
        : `Please check ${errorCount === 1 ? 'the field' : `the ${errorCount} fields`} marked below. Everything you typed is still here.`,
    notice: privacyNotice(def, category),
    fields,
    draftId: state.draftId,
    submitTitle: news.open ? 'Join the queue' : 'Queue me for the next session',
  });
}

/** The POPIA section 18 notice for a category: what, why, by whom, required or not, rights. */
function privacyNotice(def: ServiceDefinition, category: Category) {
  return {
    summary:
      `${def.programme.organisation} collects the details below ${def.programme.purpose}. ` +
      'Fields marked optional you may leave out; without the others we cannot queue your query.' +
      (category.fields.some((f) => f.name === 'idNumber')
        ? ' Your ID number is shown to the expert only as its last four digits.'
        : ''),
    items: category.fields.map(({ name, required }) => ({
      label: INTAKE_FIELDS[name].label,
      need: required ? 'required' : 'optional',
      purpose: INTAKE_FIELDS[name].purpose,
    })),
    who:
      `Responsible party: ${def.programme.organisation}. Questions about your information go to ${def.programme.informationOfficer}. ` +
      'Only the experts and supervisors of this programme see your details.',
    retention:
      `We keep a closed case for ${def.limits.retentionDays} days, then delete it. ` +
      'A file you attach in this chat stays in your own OneDrive, where Teams puts it; the case keeps a link to it for the expert, deleted with the case.',
    rights:
      'You may ask to see the information we hold about you, to correct or delete it, and object to its use. ' +
      'You may complain to the Information Regulator (inforeg.org.za).',
  };
}

/** The confirmation after a successful (or repeated) submission. */
export function queuedCard(def: ServiceDefinition, queued: QueuedCase, duplicate: boolean): Record<string, unknown> {
  const category = categoryByCode(def, queued.case.category);
  const waitingForSession = queued.session && queued.session.opensAt.getTime() > Date.parse(queued.case.createdAt);
  return renderCard('queued', {
    headline: duplicate ? 'We already have your details' : 'You are in the queue',
    categoryName: category?.name ?? queued.case.category,
    reference: formatReference(queued.case.id),
    position: String(queued.place.position),
    waitText: queued.place.waitText,
    sessionText: queued.session ? describeSession(queued.session, def.timeZone) : 'the next session',
    waitNote:
      queued.place.basis === 'history'
        ? `Estimated from recent cases and ${experts(queued.place.agentsOnDuty)} on duty.`
        : `A first estimate from the usual time an expert needs, with ${experts(queued.place.agentsOnDuty)} on duty.`,
    nextSteps: waitingForSession
      ? 'Keep this chat: an expert will message you here when the session opens and it is your turn. Type "status" at any time to see your place, or "cancel" to leave the queue.'
      : 'Keep this chat open: an expert will message you here. Type "status" at any time to see your place, or "cancel" to leave the queue.',
  });
}

function experts(count: number): string {
  return count === 1 ? 'one expert' : `${count} experts`;
}

const STATE_TEXT: Record<CaseState, string> = {
  waiting: 'Waiting for an expert',
  in_progress: 'With an expert',
  resolved: 'Resolved',
  cancelled: 'Cancelled',
  no_show: 'Closed (no answer)',
};

/**
 * What a used intake card becomes (the bot updates the message in place): a read-only summary
 * of what was sent, so the form cannot be pressed again by mistake. Shown only in the
 * ratepayer's own chat; the ID number stays masked.
 */
export function intakeSentCard(def: ServiceDefinition, c: Pick<Case, 'id' | 'category' | 'intake'>): Record<string, unknown> {
  return renderCard('intakeSent', {
    categoryName: categoryByCode(def, c.category)?.name ?? c.category,
    note: `Case ${formatReference(c.id)}. This form has been used; to correct a detail, say so in this chat.`,
    details: Object.entries(c.intake).map(([name, value]) => {
      const info = INTAKE_FIELDS[name as IntakeFieldName];
      const text = String(value);
      return {
        label: info?.label ?? name,
        value: info?.sensitive ? maskIdNumber(text) : name === 'mobile' ? formatMobileForDisplay(text) : escapeMarkdown(text),
      };
    }),
  });
}

/** The answer to "status" (every open case with its place) or "my cases" (recent ones, closed too). */
export function statusCard(def: ServiceDefinition, cases: QueuedCase[], all = false): Record<string, unknown> {
  return renderCard('status', {
    title: all ? 'Your cases' : 'Your open cases',
    cases: cases.map((q) => ({
      reference: formatReference(q.case.id),
      categoryName: categoryByCode(def, q.case.category)?.name ?? q.case.category,
      stateText: q.case.state === 'in_progress' && q.case.assignedTo
        ? `With ${q.case.assignedTo.name.split(' ')[0]}`
        : STATE_TEXT[q.case.state],
      position: q.case.state === 'waiting' ? String(q.place.position) : '',
      waitText: q.case.state === 'waiting' ? q.place.waitText : '',
      sessionText: sessionTextFor(def, q.session, q.case.sessionId),
    })),
  });
}

function sessionTextFor(def: ServiceDefinition, session: SessionSlot | undefined, sessionId: string): string {
  return session && session.id === sessionId ? describeSession(session, def.timeZone) : sessionId.replace('T', ' ');
}

const OUTCOME_TEXT: Record<Outcome, string> = {
  resolved: 'Resolved',
  arrangement_made: 'Repayment arrangement made',
  referred_back_office: 'Referred to the back office',
  not_resolved: 'Not resolved',
};

const NEXT_STEPS: Record<Outcome, string> = {
  resolved: 'Nothing more is needed from you. Any correction will show on your next statement.',
  arrangement_made:
    'Keep to the monthly payment agreed with the expert. The arrangement will be confirmed in writing; keep this reference.',
  referred_back_office:
    'The back office will look into it and contact you by the date above. Quote this reference if you need to follow up.',
  not_resolved:
    'We could not resolve it in this session. You are welcome to come back to a later session, or contact the City\'s call centre with this reference.',
};

/** The summary a ratepayer gets when their case is resolved. */
export function resolvedCard(def: ServiceDefinition, c: Pick<Case, 'id' | 'category' | 'outcome' | 'assignedTo'>): Record<string, unknown> {
  const outcome = c.outcome?.kind ?? 'resolved';
  return renderCard('resolved', {
    headline: outcome === 'not_resolved' ? 'Your case is closed' : 'Your case is resolved',
    categoryName: categoryByCode(def, c.category)?.name ?? c.category,
    reference: formatReference(c.id),
    outcomeText: OUTCOME_TEXT[outcome],
    expert: c.assignedTo ? firstName(c.assignedTo.name) : 'Our expert',
    dueDate: c.outcome?.dueDate ? describeDate(c.outcome.dueDate) : '',
    summary: escapeMarkdown(c.outcome?.summary ?? ''),
    nextSteps: NEXT_STEPS[outcome],
  });
}

/** The short satisfaction survey after resolution (1–5 and a comment). */
/** Asked when a ratepayer types "cancel" (or "stop", "quit", "exit") while an expert has their case. */
export function endChatCard(c: Pick<Case, 'id' | 'assignedTo'>): Record<string, unknown> {
  return renderCard('endChat', { expert: firstName(c.assignedTo?.name ?? 'the expert'), reference: formatReference(c.id), caseId: c.id });
}

export function surveyCard(c: Pick<Case, 'id'>): Record<string, unknown> {
  return renderCard('survey', { reference: formatReference(c.id), caseId: c.id });
}

function describeDate(isoDate: string): string {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString('en-ZA', { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
}

/** The offer sent when the session is about to close with the ratepayer still waiting. */
export function closingOfferCard(
  def: ServiceDefinition,
  input: { c: Pick<Case, 'id' | 'category' | 'intake'>; session: SessionSlot; position: number; next: SessionSlot | undefined; now: Date },
): Record<string, unknown> {
  const closes = localParts(input.session.closesAt, def.timeZone).time;
  const today = localParts(input.now, def.timeZone).date;
  const mobile = typeof input.c.intake.mobile === 'string' ? formatMobileForDisplay(input.c.intake.mobile) : undefined;
  return renderCard('closingOffer', {
    headline: `This session closes at ${closes}`,
    situation: `You are still number ${input.position} in the queue for ${(categoryByCode(def, input.c.category)?.name ?? input.c.category).toLowerCase()}, and we may not reach you before then. Choose what suits you; if you choose nothing, you keep your place.`,
    hasNextSession: !!input.next,
    nextSessionText: input.next
      ? `You will be first in line when the next session opens on ${describeSession(input.next, def.timeZone)}, and an expert will message you here.`
      : '',
    callbackText: `An expert will phone you${mobile ? ` on ${mobile}` : ''} at the time you choose (between 07:00 and 20:00, within 30 days).`,
    caseId: input.c.id,
    minDate: today,
    maxDate: localParts(new Date(input.now.getTime() + 30 * 86_400_000), def.timeZone).date,
  });
}

/**
 * The answer to "my data" (POPIA s23): every case of this chat, what it holds and until when,
 * and how to have it corrected or deleted. ID numbers stay masked even here.
 */
export function myDataCard(def: ServiceDefinition, cases: Case[]): Record<string, unknown> {
  const day = (iso: string) => describeInstant(new Date(iso), def.timeZone);
  return renderCard('myData', {
    intro:
      cases.length === 0
        ? 'We hold no details about you from this chat: you have not sent us a form.'
        : `These are the details you gave ${def.programme.organisation} in this chat, for ${def.programme.purpose}.`,
    reach: `To answer you in this chat we also keep its address in Teams and your Teams name, for ${def.limits.retentionDays} days after you last added the app or sent us a form.`,
    cases: cases.map((c) => ({
      reference: formatReference(c.id),
      categoryName: categoryByCode(def, c.category)?.name ?? c.category,
      stateText: STATE_TEXT[c.state],
      opened: day(c.createdAt),
      keptUntil: c.closedAt
        ? day(new Date(Date.parse(c.closedAt) + def.limits.retentionDays * 86_400_000).toISOString())
        : `while the case is open, then ${def.limits.retentionDays} days`,
      messages: String((c.transcript ?? []).length),
      details: Object.entries(c.intake).map(([name, value]) => {
        const info = INTAKE_FIELDS[name as IntakeFieldName];
        const text = String(value);
        return {
          label: info?.label ?? name,
          value: info?.sensitive
            ? maskIdNumber(text)
            : name === 'mobile'
              ? formatMobileForDisplay(text)
              : info?.money
                ? formatStoredRands(value)
                : escapeMarkdown(text),
        };
      }),
    })),
    rights: `To correct or delete any of this, or to object to its use, write to ${def.programme.informationOfficer} quoting the case reference. You may also complain to the Information Regulator (inforeg.org.za).`,
  });
}
