/**
 * The tab API's contract (docs/api.md): every shape the service sends the tab, in one module that
 * the service builds its answers with and the tab (tab/src, through tab/tsconfig.json) reads them
 * with, so the two cannot drift apart. Types only: nothing here runs.
 *
 * The live events (GET /api/events) are the event log's own records, defined with the port that
 * writes them (bot/platform/ports/queueEvents.ts) and re-exported here; the domain types a page carries
 * (a staff identity, an outcome, a transcript entry and its delivery) are the domain's.
 */
import type { StaffIdentity } from '../../domain/access.js';
import type { ServiceDefinition } from '../../domain/serviceDefinition.js';
import type { Actor, AuditEntry, Case, CaseNote, CaseState, Delivery, Outcome, TranscriptEntry } from '../../domain/case.js';
import type { EstimatesKept, LiveSummary, QueuePoint, SessionReport, WaitBucket } from '../../domain/sessionReport.js';
import type { QueueItem, WorkItem } from '../ports/queueEvents.js';

export type { QueueEvent, QueueItem, WorkItem } from '../ports/queueEvents.js';
export type { StaffIdentity } from '../../domain/access.js';
export type { Delivery, TranscriptEntry } from '../../domain/case.js';

// ---- sign-in and the person (GET /api/config, /api/local/staff, /api/me) ---------------------

/** GET /api/config. */
export interface TabConfig {
  mode: 'local' | 'azure';
  signIn: 'local' | 'teams';
  /** `timeZone`: the programme's IANA zone (the definition's), in which the tab shows every time. */
  programme: { id: string; name: string; timeZone: string };
  /** The programme's regions: the views a channel tab can be pinned to. */
  regions: { code: string; name: string }[];
  clientId?: string;
}

/** A person the local sign-in offers (GET /api/local/staff). */
export interface LocalStaff {
  id: string;
  name: string;
  role: 'agent' | 'supervisor';
  skills: string[];
  skillNames: string[];
  /** The back-office teams the person works (issue 19), their codes and names; empty: none. */
  backOfficeTeams: string[];
  backOfficeTeamNames: string[];
}

/** GET /api/me. */
export interface Me {
  staff: StaffIdentity;
  categories: { code: string; name: string; waitLimitMinutes: number }[];
  outcomes: Outcome[];
  /** The most a message to the ratepayer, and a note or summary, may hold, in characters. */
  limits: { messageCharacters: number; noteCharacters: number };
  /** The back-office teams the person works (issue 19); absent or empty: no back-office view (supervisors see every team). */
  backOfficeTeams?: string[];
}

// ---- the queue (GET /api/queue) --------------------------------------------------------------

/** The queue a member of staff sees. */
export interface QueueView {
  categories: { code: string; name: string; waitLimitMinutes: number }[];
  waiting: QueueItem[];
  /** Cases the person is working on. */
  mine: WorkItem[];
  /** Cases others are working on in the person's categories. */
  others: WorkItem[];
  serverTime: string;
}

// ---- cases: search, history and the case page (GET /api/search, /api/cases/:reference) ---------

/**
 * One line of a search result or an account's history: no personal details. A case outside the
 * person's categories is a `RestrictedCaseSummary`: that it exists, nothing else.
 */
export type CaseSummary = VisibleCaseSummary | RestrictedCaseSummary;

/**
 * A case the person may not open (another category, another region): no reference, category,
 * state, times, outcome or expert. Which kinds of query a household raised is itself sensitive
 * (an indigent/ESP application says something about its income: POPIA s26, special personal
 * information is not the only kind that needs care), so an agent learns only that there is one.
 */
export interface RestrictedCaseSummary {
  restricted: true;
  /** What the line says instead, in the agent's words. */
  label: string;
  canOpen: false;
}

/** A case the person may open, as a search result or history line. */
export interface VisibleCaseSummary {
  restricted?: false;
  reference: string;
  displayReference: string;
  category: string;
  categoryName: string;
  state: CaseState;
  createdAt: string;
  closedAt?: string;
  assignedTo?: string;
  /** The final outcome: the back office's once it has finished a referral (see `referredTo`). */
  outcome?: Outcome;
  /** Every expert who handled the case, in order, each once (a transferred or reassigned case has two or more). */
  experts?: string[];
  /** A referral to the back office: its team, and the team's final outcome once done (tester 8: shown apart from the expert's). */
  referredTo?: BackOfficeOutcome;
  /** Whether the person asking may open the case page. */
  canOpen: boolean;
}

/** What became of a referral: the back-office team, and its final outcome once it has finished. */
export interface BackOfficeOutcome {
  team: string;
  outcome?: Outcome;
}

/**
 * Issue 19: the earlier case a case follows (opened after the earlier one's reopen period), with
 * its history: what was decided and its audit trail. Restricted like any history line when the
 * person may not open it.
 */
export type EarlierCase = RestrictedCaseSummary | (VisibleCaseSummary & { outcomeSummary?: string; audit: ShownAuditEntry[] });

/** One intake answer as the case page shows it. */
export interface IntakeLine {
  name: string;
  label: string;
  /** What staff read: a choice field's option label ("City Power", "Electricity"), never its code. */
  value: string;
  /** A choice field's stored code ("city-power", "electricity"), for programs; absent for other fields. */
  code?: string;
  masked?: boolean;
  /**
   * A free-text answer (the query) in the experts' language for a reader who does not read the
   * case's (Case.intakeTranslations; absent: no translation wanted): `translated` — `value` stays
   * the original as written, `text` the machine translation; `failed` — the original only, with
   * the reason. The same marks as the ratepayer's chat messages (TranscriptEntry.translation).
   */
  translation?: { status: 'translated'; from: string; to: string; text: string } | { status: 'failed'; from: string; to: string; reason: string };
}

/** What the person may do on the case page now. */
export interface AllowedActions {
  claim: boolean;
  release: boolean;
  transfer: boolean;
  resolve: boolean;
  note: boolean;
  /** Write to the ratepayer (the case is being worked on by this person, or a supervisor). */
  message: boolean;
  /** Close as a no-show: nothing heard from the ratepayer since they were connected. */
  noShow: boolean;
  /** Turn machine translation off or on (POST …/translation): the case is open, in another language than the expert's, and the person may change it. */
  translation: boolean;
}

/** A file on the transcript as the case page shows it. */
export type ShownAttachment = NonNullable<TranscriptEntry['attachments']>[number] & { linkable: boolean };

/**
 * An audit entry as the tab shows it: as stored (`detail` keeps the codes, for programs), with
 * `detailShown` when the detail names categories, intake fields, an outcome or a language by
 * code: the same detail in staff's words ("from Account and billing queries to Indigent-related
 * queries…: <note>", "South African ID number, Household size").
 */
export type ShownAuditEntry = AuditEntry & { detailShown?: string };

/** A note an expert left for the next one: `kind` says how the case left them; a transfer names both categories. */
export interface HandoverNote {
  at: string;
  by: Actor;
  kind: 'transferred' | 'released';
  fromCategoryName?: string;
  toCategoryName?: string;
  note: string;
}

/** The case page. */
/**
 * The answer to a transfer that took the case out of the expert's own categories: where it went,
 * and nothing of the ratepayer's (the case page would refuse them from now on: 403 outside_skills).
 */
export interface CaseMovedAway {
  movedAway: true;
  reference: string;
  displayReference: string;
  category: string;
  categoryName: string;
  state: CaseState;
  waitingSince: string;
}

export interface CasePage {
  reference: string;
  displayReference: string;
  category: string;
  categoryName: string;
  region?: string;
  state: CaseState;
  waitingSince: string;
  waitLimitMinutes: number;
  createdAt: string;
  updatedAt: string;
  closedAt?: string;
  assignedTo?: Case['assignedTo'];
  /** The final outcome and its summary: the back office's once it has finished a referral (see `referredTo`). */
  outcome?: Case['outcome'];
  /** Every expert who handled the case, in order, each once (as the supervisors' CSV `agent` lists them). */
  experts: string[];
  /** A referral to the back office: its team, and the team's final outcome once done. */
  referredTo?: BackOfficeOutcome;
  /** The name the chat channel gave; the account holder's name is among the intake lines. */
  ratepayerName: string;
  /** The ratepayer's language (issue 16): its code and its name in staff's words. */
  language: { code: string; name: string };
  /**
   * Machine translation between the ratepayer and the expert (issue 16): `needed` when the
   * ratepayer's language is not the expert's; `on` unless the expert turned it off for the case.
   */
  translation: { needed: boolean; on: boolean; expertLanguage: string };
  /** Where the case came from, as staff read it ("Teams", "Web chat"). */
  channel: string;
  intake: IntakeLine[];
  /**
   * Details the case's category requires that the ratepayer was asked for after a transfer and
   * has not yet answered (absent: none outstanding): each field's name and its label in staff's
   * words, the category asked for, and when (ISO). The case can be claimed meanwhile.
   */
  detailsAsked?: { fields: { name: string; label: string }[]; category: string; categoryName: string; at: string };
  /**
   * When the ratepayer asked to end the chat (ISO instant; they answered "Yes, end the chat" to
   * the bot's question), while that request stands: the case is with an expert and the ratepayer
   * has written nothing since (absent otherwise). Tester 7, finding 10: the expert closes the case.
   */
  endChatRequestedAt?: string;
  history: CaseSummary[];
  /** Issue 19: the earlier case this one follows (absent: none). */
  follows?: EarlierCase;
  /** Issue 19: the later cases opened to follow this one, oldest first (absent: none). */
  followedBy?: CaseSummary[];
  notes: CaseNote[];
  /**
   * The notes experts left for whoever takes the case next, oldest first (a transfer's required
   * "Note for the next expert", a release's optional note): also on the audit trail.
   */
  handoverNotes: HandoverNote[];
  /**
   * The conversation with the ratepayer, oldest first, each message with its delivery. Each file
   * says whether it may be shown as a link (`linkable`: hosted by the platform, see
   * isPlatformHostedFile); any other address is shown as text with a warning.
   */
  transcript: (Omit<TranscriptEntry, 'attachments' | 'reply'> & {
    attachments?: ShownAttachment[];
    delivery?: Delivery;
    /**
     * A bot line sent to a WhatsApp ratepayer with choices WhatsApp showed as reply buttons or a
     * list (`as`), their whole titles in the ratepayer's language, in order; `text` is then the
     * message's words without them. Absent: none, or they are numbered in `text` (SMS).
     */
    shownChoices?: { as: 'buttons' | 'list'; titles: string[] };
  })[];
  /** When the ratepayer may be marked a no-show (connected and silent for the programme's time). */
  noShowFrom?: string;
  survey?: Case['survey'];
  audit: ShownAuditEntry[];
  allowed: AllowedActions;
  /** Issue 20: the City's rules panels (dispute, arrangement, ESP registration). */
  rules: RulesPanel;
}

/**
 * Issue 20: what the case page's rules panels show and may do. Amounts in integer cents, dates
 * local "YYYY-MM-DD"; the limits and threshold come from the definition's `rules` block.
 */
export interface RulesPanel {
  /** Whether a dispute may be lodged (a dispute category, in progress, this person may act, none yet). */
  canLodgeDispute: boolean;
  /** Whether an arrangement or an ESP registration may be recorded now (in progress, this person may act). */
  canRecord: boolean;
  /** The categories disputes are lodged in (names), for the hint when this case is elsewhere. */
  disputeCategories: string[];
  /** The definition's note for this category where a dispute is lodged (`rules.dispute.notes`; staff words), e.g. that a valuation objection is another process. */
  disputeNote?: string;
  dispute?: Case['dispute'];
  arrangement?: Case['arrangement'];
  espRegistration?: Case['espRegistration'];
  /** Per account type (domestic, esp, pensioner, business): term in months and down payment in percent. */
  arrangementLimits: ServiceDefinition['rules']['arrangements'];
  /** The ESP income threshold in force on the day the case was opened. */
  espThreshold?: { monthlyIncomeCents: number; from: string };
  espRegistrationMonths: number;
  /**
   * An ESP case (`rules.esp.categories`, with the definition's documents): the documents the
   * ratepayer was asked for at intake, and what they wrote while waiting (their answer to "which of
   * these do you have?"), with its English when translated (tester 10, finding 9).
   */
  espDocuments?: { asked: string[]; answers: { at: string; text: string; inEnglish?: string }[] };
  /** What the intake gave, in cents, for the calculator to start from. */
  fromIntake: { arrearsCents?: number; proposedMonthlyCents?: number; monthlyIncomeCents?: number };
}


// ---- the supervisor view (GET /api/supervisor/overview) --------------------------------------

/** What the supervisor view of the tab shows (GET /api/supervisor/overview). */
export interface SupervisorOverview {
  /** `timeZone`: the programme's IANA zone (the definition's), in which the view shows every time. */
  session: { id: string; label: string; opensAt: string; closesAt: string; open: boolean; timeZone: string };
  /** The region the view is limited to (a channel tab pinned to one region); absent: the whole programme. */
  region?: { code: string; name: string };
  serverTime: string;
  summary: LiveSummary;
  queues: {
    code: string;
    name: string;
    waitLimitMinutes: number;
    /** `language`: the ratepayer's (issue 16), e.g. "zu"; the summary's `waitingByLanguage` counts them. `channel`: where the case came from, as staff read it ("Teams", "Web chat"). */
    waiting: { reference: string; region?: string; waitingSince: string; waitMinutes: number; overLimit: boolean; language: string; channel: string }[];
    /** Of the category's ratepayers an expert has taken so far (this session), how many waited within the wait they were told at queueing (estimatesKept). */
    estimates: EstimatesKept;
  }[];
  agents: {
    id: string;
    name: string;
    skills: string[];
    skillNames: string[];
    present: boolean;
    cases: { reference: string; category: string; categoryName: string; since: string; minutes: number }[];
  }[];
  timeline: QueuePoint[];
  waits: WaitBucket[];
  report: SessionReport;
  channels: { region?: string; channelName?: string }[];
}

// ---- issue 20: the hand-over of open disputes (GET /api/supervisor/disputes) -----------------

/**
 * The open disputes, per account, for the City's billing system (the integration point,
 * docs/domain-rules.md): while an account has an open dispute, credit control must not be applied
 * to the disputed amounts (Municipal Systems Act s102). Amounts in integer cents, dates local.
 */
export interface DisputeHandOver {
  generatedAt: string;
  /** The local date the `overdue` flags are worked out on. */
  today: string;
  accounts: {
    /** The City account number (nine digits); null for a case without one. */
    accountNumber: string | null;
    /** Always true while the account has an open dispute: hold credit control on `disputedCents`. */
    creditControlHold: boolean;
    disputedCents: number;
    disputes: {
      reference: string;
      caseReference: string;
      category: string;
      statementDate: string;
      totalCents: number;
      keepPayingCents: number;
      lodgedOn: string;
      investigationDueOn: string;
      appealFrom: string;
      /** The investigation deadline has passed without the dispute being settled. */
      overdue: boolean;
    }[];
  }[];
}
