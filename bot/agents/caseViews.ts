/**
 * How cases are shown to staff: the queue's minimal items, the case page with the intake
 * labelled and sensitive values masked, and search results. What leaves the service for the tab
 * is shaped here and nowhere else.
 */
import { staffDay } from '../domain/dayWords.js';
import { channelLabel } from '../domain/channels.js';
import { mayChange, mayClaim, mayView, type StaffIdentity } from '../domain/access.js';
import { isKeptMedia, isPlatformHostedFile } from '../domain/attachments.js';
import { endChatRequestStanding, expertSpells, queueKeyTime, readTransferDetail, type AuditEntry, type Case, type Delivery, type EntryTranslation, type TranscriptEntry } from '../domain/case.js';
import { languagesOf } from '../domain/assignment.js';
import { INTAKE_FIELDS, INTAKE_FIELD_NAMES, type IntakeFieldName } from '../domain/intakeFields.js';
import { formatStoredRands } from '../domain/money.js';
import { formatReference } from '../domain/reference.js';
import { categoryByCode, type ServiceDefinition } from '../domain/serviceDefinition.js';
import { formatMobileForDisplay, maskIdNumber, maskIdNumbersIn } from '../domain/validation.js';
import type { QueueItem, WorkItem } from '../platform/ports/queueEvents.js';
import { DEFAULT_LOCALE, localeOf, t, type Locale } from '../messages/index.js';
import { intakeValueIn } from '../messages/programme.js';
import type { BackOfficeOutcome, CaseMovedAway, CasePage, CaseSummary, EarlierCase, HandoverNote, IntakeLine, ShownAuditEntry } from '../platform/contract/tabApi.js';
import { INTAKE_LABELS, OUTCOME_LABELS, languageName } from '../platform/contract/staffWords.js';
import { rulesPanel } from './cityRulesView.js';
import { cardOfReply } from '../platform/cards/render.js';
import { TEXT_CHANNELS, textOfReply, whatsAppShownReply } from '../platform/whatsapp/render.js';
import type { SentLaterReply } from '../ratepayers/replies.js';

/** The time a case joined its queue: the start of its queue key (kept across release and transfer). */
function waitingSince(c: Pick<Case, 'queueKey' | 'createdAt'>): string {
  return queueKeyTime(c.queueKey) ?? c.createdAt;
}

function categoryName(def: ServiceDefinition, code: string): string {
  return categoryByCode(def, code)?.name ?? code;
}

/** Why a waiting case is back in the queue, if it is. */
function returnedBy(c: Case): QueueItem['returned'] {
  const last = [...c.audit].reverse().find((e) => ['claimed', 'released', 'transferred'].includes(e.action));
  return last?.action === 'released' ? 'released' : last?.action === 'transferred' ? 'transferred' : undefined;
}

/** A waiting case as the queue shows it. */
export function toQueueItem(c: Case, def: ServiceDefinition): QueueItem {
  const returned = returnedBy(c);
  return {
    reference: c.id,
    category: c.category,
    categoryName: categoryName(def, c.category),
    ...(c.region ? { region: c.region } : {}),
    waitingSince: waitingSince(c),
    waitLimitMinutes: categoryByCode(def, c.category)?.waitLimitMinutes ?? 20,
    ...(returned ? { returned } : {}),
    ...(c.carriedOver ? { carriedOver: true } : {}),
    ...(c.closingChoice?.callbackAt ? { callbackAt: c.closingChoice.callbackAt } : {}),
    language: localeOf(c),
  };
}

/** A case that left the person's categories (a transfer), as they may still see it: where it went, nothing of the ratepayer's. */
export function toMovedAway(c: Case, def: ServiceDefinition): CaseMovedAway {
  return {
    movedAway: true,
    reference: c.id,
    displayReference: formatReference(c.id),
    category: c.category,
    categoryName: categoryName(def, c.category),
    state: c.state,
    waitingSince: waitingSince(c),
  };
}

/** A case being worked on, as lists show it. */
export function toWorkItem(c: Case, def: ServiceDefinition): WorkItem | undefined {
  if (c.state !== 'in_progress' || !c.assignedTo) return undefined;
  return {
    reference: c.id,
    category: c.category,
    categoryName: categoryName(def, c.category),
    waitingSince: waitingSince(c),
    assignedTo: c.assignedTo,
  };
}

/**
 * Every expert who handled the case, in order, each once: from the audit trail's turns (claims,
 * assignments, reassignments: case.ts expertSpells, as the supervisors' CSV reads them), else the
 * assignee (tester 8: the case page named only the last of two).
 */
function expertsOf(c: Case): string[] {
  const names = expertSpells(c).map((s) => s.name);
  if (!names.length && c.assignedTo) names.push(c.assignedTo.name);
  return [...new Set(names)];
}

/** A referral's team and, once it has finished, its final outcome (the case's outcome then is the back office's). */
function backOfficeOf(c: Case): BackOfficeOutcome | undefined {
  if (!c.referral) return undefined;
  return { team: c.referral.team.name, ...(c.referral.done && c.outcome ? { outcome: c.outcome.kind } : {}) };
}

/** What a restricted line says, in the agent's words. */
const RESTRICTED_LABEL = 'Another case, not in your categories';

/** A case as a search result or history line: restricted unless the person may open it (supervisors see all). */
export function toSummary(c: Case, def: ServiceDefinition, staff: StaffIdentity): CaseSummary {
  if (mayView(staff, c)) return { restricted: true, label: RESTRICTED_LABEL, canOpen: false };
  const experts = expertsOf(c);
  const backOffice = backOfficeOf(c);
  return {
    reference: c.id,
    displayReference: formatReference(c.id),
    category: c.category,
    categoryName: categoryName(def, c.category),
    state: c.state,
    createdAt: c.createdAt,
    ...(c.closedAt ? { closedAt: c.closedAt } : {}),
    ...(c.assignedTo ? { assignedTo: c.assignedTo.name } : {}),
    ...(c.outcome ? { outcome: c.outcome.kind } : {}),
    ...(experts.length ? { experts } : {}),
    ...(backOffice ? { referredTo: backOffice } : {}),
    canOpen: true,
  };
}

/**
 * The intake answers, labelled in staff's words (contract/staffWords.ts), in the catalogue's order;
 * sensitive ones masked to the last four, amounts in rands as statements show them; a choice as its
 * option's label in staff's language ("City Power", not "city-power"), with its stored code beside
 * it (`code`) for programs. A free-text answer carries its machine translation for staff
 * (`translations`: Case.intakeTranslations, or none for a reader of the case's language or with
 * translation off), the original kept as `value`.
 */
function intakeLines(def: ServiceDefinition, intake: Case['intake'], translations: Case['intakeTranslations']): IntakeLine[] {
  const known = INTAKE_FIELD_NAMES.filter((n) => intake[n] !== undefined && intake[n] !== '');
  const unknown = Object.keys(intake).filter((n) => !(INTAKE_FIELD_NAMES as readonly string[]).includes(n));
  return [
    ...known.map((name: IntakeFieldName) => {
      const info = INTAKE_FIELDS[name];
      const raw = String(intake[name]);
      const label = INTAKE_LABELS[name];
      // Staff read the desk in the catalogue's first language.
      if (info.input === 'choice') return { name, label, value: intakeValueIn(def, name, raw, DEFAULT_LOCALE), code: raw };
      return info.sensitive
        ? { name, label, value: maskIdNumber(raw), masked: true }
        : { name, label, value: name === 'mobile' ? formatMobileForDisplay(raw) : info.money ? formatStoredRands(intake[name]!) : info.freeText ? maskIdNumbersIn(raw) : raw, ...answerTranslation(info.freeText ? translations?.[name] : undefined) };
    }),
    ...unknown.map((name) => ({ name, label: name, value: String(intake[name]) })),
  ];
}

/** A free-text answer's translation as the case page shows it (translated or failed; when it was tried is the service's business). */
function answerTranslation(kept: EntryTranslation | undefined): Pick<IntakeLine, 'translation'> {
  if (kept?.status === 'translated') return { translation: { status: 'translated', from: kept.from, to: kept.to, text: kept.text } };
  if (kept?.status === 'failed') return { translation: { status: 'failed', from: kept.from, to: kept.to, reason: kept.reason } };
  return {};
}

/**
 * A transcript entry for the case page: files marked linkable or not, the delivery beside it, and
 * a reply the bot sent shown as the ratepayer's channel showed it (rendered here, at the API
 * edge, shownReply).
 */
function shownEntry(e: TranscriptEntry, delivery: Delivery | undefined, channelId: string, locale: Locale, speaksIt: boolean): CasePage['transcript'][number] {
  const { attachments, reply, translation, ...rest } = e;
  // A bot line's words for staff (issue 16): none for a person who reads the ratepayer's language.
  const shownTranslation = e.from === 'system' && speaksIt ? undefined : translation && translation.status === 'failed' ? withoutAt(translation) : translation;
  const shown = reply as SentLaterReply | undefined;
  // What the ratepayer typed is kept with ID numbers masked (bot/ratepayers/relay.ts); masked
  // here too for entries kept before that (DESIGN §5: ID numbers masked wherever not needed).
  const typed = e.from === 'ratepayer';
  return {
    ...rest,
    ...(typed ? { text: maskIdNumbersIn(e.text) } : {}),
    ...(shownTranslation ? { translation: typed && 'text' in shownTranslation ? { ...shownTranslation, text: maskIdNumbersIn(shownTranslation.text) } : shownTranslation } : {}),
    ...(shown ? shownReply(shown, channelId, locale) : {}),
    ...(attachments ? { attachments: attachments.map((a) => ({ ...a, linkable: isPlatformHostedFile(a.url) || isKeptMedia(a.url) })) } : {}),
    ...(delivery ? { delivery } : {}),
  };
}

/**
 * A reply as the ratepayer's channel showed it: its Adaptive Card (Teams, Web Chat); its words
 * and its buttons or list as WhatsApp showed them (tester finding: the SMS numbers and "reply with
 * the number" were shown for buttons); its text with numbered choices (SMS).
 */
function shownReply(reply: SentLaterReply, channelId: string, locale: Locale): Partial<Pick<CasePage['transcript'][number], 'text' | 'card' | 'shownChoices'>> {
  if (channelId === 'whatsapp') {
    const { text, choices } = whatsAppShownReply(reply, locale);
    return { text, ...(choices ? { shownChoices: choices } : {}) };
  }
  return TEXT_CHANNELS.includes(channelId) ? { text: textOfReply(reply, locale) } : { card: cardOfReply(reply) };
}

/** A failed translation as the page shows it: when it was tried is the service's business. */
function withoutAt(failed: Extract<EntryTranslation, { status: 'failed' }>): EntryTranslation {
  const { at: _tried, ...shown } = failed;
  return shown;
}

/** An intake field's name in staff's words (INTAKE_LABELS); an unknown name as it is. */
function fieldLabel(name: string): string {
  return (INTAKE_LABELS as Readonly<Record<string, string>>)[name] ?? name;
}

/** A list of field names, as written on the audit trail ("idNumber, householdSize"), in staff's words. */
function fieldLabels(detail: string): string {
  return detail.split(', ').map(fieldLabel).join(', ');
}

/** An outcome code as staff read it (OUTCOME_LABELS); anything else as it is. */
function outcomeLabel(code: string): string {
  return (OUTCOME_LABELS as Readonly<Record<string, string>>)[code] ?? code;
}

/**
 * An audit entry's detail in staff's words, where it was written in codes (bot/domain/case.ts and
 * followThrough.ts write codes, so the trail reads the same whatever the names become): a
 * category as its name, intake fields as their labels, an outcome and a language as named on the
 * case page, the follow-through's due dates as staff read dates (dayWords.ts). Undefined when the
 * detail reads as it is.
 */
function detailInWords(e: AuditEntry, def: ServiceDefinition): string | undefined {
  const detail = e.detail;
  if (!detail) return undefined;
  switch (e.action) {
    case 'opened': {
      const m = /^queued in (\S+)(, following case )?(.*)$/.exec(detail);
      return m ? `queued in ${categoryName(def, m[1]!)}${m[2] ? `, following case ${formatReference(m[3]!)}` : ''}` : undefined;
    }
    case 'transferred': {
      const t = readTransferDetail(detail);
      return t ? `from ${categoryName(def, t.from)} to ${categoryName(def, t.to)}: ${t.note}` : undefined;
    }
    case 'details changed':
    case 'details asked':
    case 'details added':
      return fieldLabels(detail);
    case 'resolved':
    case 'reopened':
    case 'back office done':
      return outcomeLabel(detail);
    case 'language changed':
      return languageName(detail);
    // The follow-through's due dates ("due 2026-11-29 → 2026-12-09") as staff read dates everywhere
    // ("Sun, 29 Nov 2026"): the back office's page had three formats (tester 11, finding 12).
    case 'referred':
    case 'dispute lodged':
    case 'more time':
    case 'reminded':
    case 'escalated':
      return detail.replace(/\b\d{4}-\d{2}-\d{2}\b/g, (date) => staffDay(date));
    default:
      return undefined;
  }
}

/** The audit trail as the tab shows it: each entry as stored, with `detailShown` where its detail holds codes. */
function shownAudit(audit: readonly AuditEntry[], def: ServiceDefinition): ShownAuditEntry[] {
  return audit.map((e) => {
    const shown = detailInWords(e, def);
    return shown !== undefined && shown !== e.detail ? { ...e, detailShown: shown } : { ...e };
  });
}

/**
 * The notes experts left for whoever takes the case next, oldest first: each transfer's required
 * note (with the categories in staff's words) and a release's optional one. They are kept on the
 * audit trail; the case page shows them where the next expert (and the back office) reads first.
 */
function handoverNotes(audit: readonly AuditEntry[], def: ServiceDefinition): HandoverNote[] {
  const notes: HandoverNote[] = [];
  for (const e of audit) {
    if (e.action === 'transferred') {
      const t = readTransferDetail(e.detail);
      if (t && t.note.trim()) notes.push({ at: e.at, by: e.by, kind: 'transferred', fromCategoryName: categoryName(def, t.from), toCategoryName: categoryName(def, t.to), note: t.note });
    } else if (e.action === 'released' && e.detail?.trim()) {
      notes.push({ at: e.at, by: e.by, kind: 'released', note: e.detail });
    }
  }
  return notes;
}

/** The earlier case as the case page shows it: its summary, and its history when the person may open it. */
function toEarlierCase(c: Case, def: ServiceDefinition, staff: StaffIdentity): EarlierCase {
  const summary = toSummary(c, def, staff);
  if (summary.restricted) return summary;
  return { ...summary, ...(c.outcome ? { outcomeSummary: c.outcome.summary } : {}), audit: shownAudit(c.audit, def) };
}

/**
 * Builds the case page for one member of staff; `linked`: the earlier case it follows and the
 * later cases that follow it (issue 19), as read by the caller.
 */
export function toCasePage(c: Case, history: Case[], def: ServiceDefinition, staff: StaffIdentity, linked: { earlier?: Case; later?: Case[] } = {}): CasePage {
  const open = c.state === 'waiting' || c.state === 'in_progress';
  const canChange = !mayChange(staff, c);
  // Issue 16: the languages the person reads besides English (the definition's staff[].languages).
  const speaksIt = languagesOf(def.staff, staff.id).includes(localeOf(c));
  const endChatAsked = endChatRequestStanding(c);
  return {
    reference: c.id,
    displayReference: formatReference(c.id),
    category: c.category,
    categoryName: categoryName(def, c.category),
    ...(c.region ? { region: c.region } : {}),
    state: c.state,
    waitingSince: waitingSince(c),
    waitLimitMinutes: categoryByCode(def, c.category)?.waitLimitMinutes ?? 20,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    ...(c.closedAt ? { closedAt: c.closedAt } : {}),
    ...(c.assignedTo ? { assignedTo: c.assignedTo } : {}),
    ...(c.outcome ? { outcome: c.outcome } : {}),
    experts: expertsOf(c),
    ...(c.referral ? { referredTo: backOfficeOf(c)! } : {}),
    ratepayerName: c.ratepayer.displayName,
    language: { code: localeOf(c), name: languageName(localeOf(c)) },
    // Staff read and write in the catalogue's first language (bot/ratepayers/relay.ts: EXPERT_LANGUAGE).
    translation: { needed: localeOf(c) !== DEFAULT_LOCALE, on: !c.translationOff, expertLanguage: DEFAULT_LOCALE },
    channel: channelLabel(c.ratepayer.channelId),
    // The query in English for a reader who does not read the ratepayer's language (tester 7, finding 3).
    intake: intakeLines(def, c.intake, speaksIt || c.translationOff ? undefined : c.intakeTranslations),
    // Asked of the ratepayer after a transfer and not yet answered (bot/domain/transferDetails.ts).
    ...(c.detailsAsked && open
      ? {
          detailsAsked: {
            fields: c.detailsAsked.fields.map((name) => ({ name, label: INTAKE_LABELS[name] })),
            category: c.detailsAsked.category,
            categoryName: categoryName(def, c.detailsAsked.category),
            at: c.detailsAsked.at,
          },
        }
      : {}),
    // The ratepayer asked to end the chat and has not written since (bot/domain/case.ts endChatRequestStanding).
    ...(endChatAsked ? { endChatRequestedAt: endChatAsked } : {}),
    history: history.filter((h) => h.id !== c.id).map((h) => toSummary(h, def, staff)),
    ...(linked.earlier ? { follows: toEarlierCase(linked.earlier, def, staff) } : {}),
    ...(linked.later?.length ? { followedBy: linked.later.map((l) => toSummary(l, def, staff)) } : {}),
    notes: c.notes ?? [],
    handoverNotes: handoverNotes(c.audit, def),
    transcript: [...(c.transcript ?? [])]
      .sort((a, b) => a.at.localeCompare(b.at))
      .map((e) => shownEntry(e, c.deliveries?.[e.id], c.ratepayer.channelId, localeOf(c), speaksIt)),
    ...(c.state === 'in_progress' && c.assignedTo
      ? { noShowFrom: new Date(Date.parse(c.assignedTo.since) + def.limits.noShowMinutes * 60_000).toISOString() }
      : {}),
    ...(c.survey ? { survey: c.survey } : {}),
    audit: shownAudit(c.audit, def),
    allowed: {
      claim: c.state === 'waiting' && !mayClaim(staff, c),
      release: c.state === 'in_progress' && canChange,
      transfer: c.state === 'in_progress' && canChange,
      resolve: c.state === 'in_progress' && canChange,
      note: open && canChange,
      message: c.state === 'in_progress' && canChange,
      translation: open && canChange && localeOf(c) !== DEFAULT_LOCALE,
      noShow:
        c.state === 'in_progress' &&
        canChange &&
        !(c.transcript ?? []).some((e) => e.from === 'ratepayer' && c.assignedTo && e.at >= c.assignedTo.since),
    },
    rules: rulesPanel(c, def, c.state === 'in_progress' && canChange),
  };
}
