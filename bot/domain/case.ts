/**
 * A ratepayer's case and the rules of its life: waiting in a category queue, taken by an
 * expert, and closed with an outcome, a cancellation or a no-show. Every change is appended to
 * the case's own audit trail (POPIA: who viewed or changed it, and when).
 */
import type { ArrangementPlan } from './arrangement.js';
import { arrangementBesideDispute, disputeOpen, formatDisputeReference, type Dispute, type DisputeLeftOut } from './dispute.js';
import type { EspRegistration } from './indigent.js';
import { formatCents as formatCentsForTrail } from './money.js';

import type { LanguageCode as Locale } from './language.js';
import { INTAKE_FIELDS, type IntakeFieldName } from './intakeFields.js';
import type { Category } from './serviceDefinition.js';
import { missingDetails } from './transferDetails.js';
import { maskIdNumbersIn } from './validation.js';
import { characterCount, MESSAGE_CHARACTERS } from './textLimits.js';

/** Where a case is in its life. */
export type CaseState = 'waiting' | 'in_progress' | 'resolved' | 'cancelled' | 'no_show';

/** States from which nothing more happens to a case. */
const CLOSED_STATES: readonly CaseState[] = ['resolved', 'cancelled', 'no_show'];

/** How a resolved case ended. */
/**
 * A summary put into the ratepayer's language for them (issue 16; the expert's resolution, the
 * back office's decision: tester 8, finding 3): its machine translation, or that one was needed
 * and failed; neither when none was needed (the ratepayer reads English, or translation was off).
 */
export interface SummaryInLanguage {
  translated?: { to: string; text: string };
  untranslated?: { to: string; reason: string };
}

export type Outcome = 'resolved' | 'arrangement_made' | 'referred_back_office' | 'not_resolved';

/** Who did something to a case: the ratepayer, a member of staff, or the system itself. */
export interface Actor {
  kind: 'ratepayer' | 'staff' | 'system';
  id: string;
  name: string;
}

/** One line of a case's audit trail. */
export interface AuditEntry {
  at: string;
  by: Actor;
  action: string;
  detail?: string;
}

/** The Teams (or other channel) identity of the ratepayer who opened the case. */
export interface RatepayerIdentity {
  userId: string;
  /** The display name the channel gave; the account holder's name is in the intake. */
  displayName: string;
  conversationId: string;
  channelId: string;
}

/**
 * A case, as the lifecycle knows it. `id` is the case reference shown to the ratepayer. No
 * storage fields: the store adapter adds and removes its own (bot/platform/cosmos/caseStore.ts).
 */
export interface Case {
  id: string;
  programmeId: string;
  category: string;
  region?: string;
  /** The session the case is queued for (`2022-08-01T17:00`). */
  sessionId: string;
  state: CaseState;
  /** Orders the queue: oldest first. Kept across release and transfer. */
  queueKey: string;
  /** The card submission the case came from: the same submission twice is one case. */
  draftId: string;
  ratepayer: RatepayerIdentity;
  /** Normalised answers from the intake card. */
  intake: Record<string, string | number>;
  /** Copied from the intake so an account's history is one indexed query. */
  accountNumber?: string;
  /** Copied from the intake (E.164) so "one open case per number and category" is one indexed query (bot/domain/openCaseLimits.ts). */
  mobile?: string;
  /** Set when a supervisor closed the case as spam (state `cancelled`; see closeAsSpam). */
  closedAs?: 'spam';
  assignedTo?: { staffId: string; name: string; since: string };
  /**
   * `translated`: the summary in the ratepayer's language, machine-translated when the case was
   * resolved (issue 16: the expert's words reach the ratepayer in their language); `untranslated`:
   * a translation into `to` was needed and failed (or none is set up), so the summary reached the
   * ratepayer as written, marked so, as a message is; `summary` stays what the expert (or the back
   * office, once done) wrote. See SummaryInLanguage.
   */
  outcome?: { kind: Outcome; summary: string; dueDate?: string } & SummaryInLanguage;
  /** Minutes from the last claim to resolution; feeds the wait estimate. */
  handlingMinutes?: number;
  createdAt: string;
  updatedAt: string;
  closedAt?: string;
  /**
   * The retention decision, set when the case closes: whole days it is kept after its last
   * change, then deleted (POPIA s14; the programme's `limits.retentionDays`). Absent while open.
   * The store turns it into its own expiry (Cosmos DB: `ttl` in seconds).
   */
  retentionDays?: number;
  /** Internal notes by staff; never shown to the ratepayer. */
  notes?: CaseNote[];
  /**
   * The ratepayer's language (issue 16): a catalogue code ("zu"), set when the case is opened and
   * when they change it; absent on cases from before languages were recorded (read as English).
   * Read it through `localeOf` (bot/messages/index.ts).
   */
  language?: Locale;
  /** The expert turned machine translation off for this case (a bilingual expert): messages go as written (setTranslation). */
  translationOff?: boolean;
  /**
   * Machine translations, for staff, of the intake's free-text answers (`INTAKE_FIELDS[name].freeText`:
   * the query's description, a facility as the ratepayer named it), by field name: `translated`
   * (the answer in `to`) or `failed` (with its reason and `at`, tried again after
   * BOT_LINE_RETRY_MS). Made once, the first time a member of staff who does not read the case's
   * language opens the case, as the bot's lines are (translateIntakeAnswers), and kept; a changed
   * answer drops its own (updateIntake, addAskedDetails). The answers themselves stay in `intake`
   * as written: the original is always there. Tester 7 (finding 3): the query reached an English-
   * speaking expert untranslated and unmarked while the chat beside it was translated.
   */
  intakeTranslations?: Record<string, EntryTranslation>;
  /** The conversation between ratepayer and expert, relayed through the bot, in order of `at`. */
  transcript?: TranscriptEntry[];
  /** How each message to the ratepayer fared, by transcript entry id (failed ones are shown to the agent). */
  deliveries?: Record<string, Delivery>;
  /** The last place in the queue the ratepayer was told, so updates go out only when it improves materially. */
  notified?: PlaceTold;
  /** The wait the ratepayer was told when the case was queued (queuedWithPlace): kept to compare with the real one. */
  waitPromised?: { minutes: number; at: string };
  /** Set once the ratepayer has been told their wait slipped (told once per case: waitSlip). */
  slip?: { at: string; reason: WaitSlipReason; expectedAt: string };
  /** The ratepayer's answer to the satisfaction survey after resolution. */
  survey?: { rating: number; comment?: string; at: string };
  /** The session whose closing the ratepayer was warned of while still waiting (warned once). */
  closingOffered?: string;
  /** What the ratepayer chose when their session closed with them still waiting. */
  closingChoice?: ClosingChoice;
  /** Set when the case was carried over from a session that closed with it still waiting. */
  carriedOver?: { fromSession: string; at: string };
  /** Issue 20: the formal billing dispute lodged on the case, self-contained with its dates (bot/domain/dispute.ts). */
  dispute?: Dispute;
  /** Issue 20: the repayment arrangement agreed (bot/domain/arrangement.ts), when and by whom. */
  arrangement?: RecordedArrangement;
  /** Issue 20: the ESP registration recorded, with its lapse and reminder dates (bot/domain/indigent.ts). */
  espRegistration?: EspRegistration;
  /** The back-office stage (issue 19): open until its team marks it done; see followThrough.ts. */
  referral?: Referral;
  /** What the ratepayer was given in writing, one per outcome, in order (issue 19). */
  receipts?: Receipt[];
  /** Set while a receipt still has to reach the ratepayer (so a later round can retry: bot/backOffice/receipts.ts). */
  receiptsPending?: boolean;
  /**
   * When the case was really done (issue 19): its outcome final and the receipt written. Retention
   * counts from here; a referral closes the session part (`closedAt`) but is done only later.
   */
  doneAt?: string;
  /** Set when the ratepayer reopened the case (within the programme's reopen period). */
  reopened?: Reopened;
  /**
   * The earlier case (its reference) this one follows: opened by the ratepayer from the same chat
   * after the earlier one's reopen period had passed (issue 19). Set when the case is opened.
   */
  follows?: string;
  /** The later cases (references) opened to follow this one, oldest first (linkFollowingCase). */
  followedBy?: string[];
  /**
   * Details the case's category requires that its intake lacks, asked of the ratepayer after a
   * transfer (transferCase, bot/domain/transferDetails.ts) and not yet answered; removed when they
   * answer (addAskedDetails) or a later transfer leaves nothing missing. Field names only, never values.
   */
  detailsAsked?: DetailsAsked;
  /**
   * The ratepayer answered "Yes, end the chat" to the bot's question while with an expert
   * (bot/ratepayers/features/cancel.ts; tester 7, finding 10): when (ISO) and the transcript entry
   * of that answer (their "[Chose: …]" line). Set through requestEndChat, with its audit entry;
   * whether it still stands is read against the transcript (endChatRequestStanding).
   */
  endChatRequested?: { at: string; entryId: string };
  audit: AuditEntry[];
}

/** Details asked of the ratepayer after a transfer: which fields, for which category, since when (ISO). */
export interface DetailsAsked {
  fields: IntakeFieldName[];
  category: string;
  at: string;
}

/**
 * Why a receipt was written: an outcome, a referral, more time, the back office's answer, or a
 * closure without an expert; or (issue 20) a dispute lodged or an arrangement recorded, whose chat
 * copy is the message written with the change (so only their email copy is a receipt to send).
 */
/**
 * `spam`: a supervisor closed the case as spam (issue 17); the ratepayer is told politely in the
 * chat with the change (spamClose.told), and nothing is emailed, so its receipt is recorded as
 * given and never sent again.
 */
export type ReceiptKind = 'outcome' | 'referred' | 'more_time' | 'done' | 'cancelled' | 'no_show' | 'dispute' | 'arrangement' | 'spam';

/**
 * A receipt: what the ratepayer is given in writing at an outcome (their proof). Written by the
 * transition that makes the outcome, delivered afterwards (`sent`), so a failed send can be retried.
 */
export interface Receipt {
  /** `<case id>-<n>`, n counting from 1. */
  id: string;
  at: string;
  kind: ReceiptKind;
  outcome?: Outcome;
  /** The decision in the words staff wrote for the ratepayer. */
  summary?: string;
  /** Who is responsible next and by when (a referral or more time). */
  team?: string;
  dueDate?: string;
  /** Why more time was needed. */
  reason?: string;
  /** When it reached the ratepayer's chat and their email, when it did. */
  sent?: { chat?: string; email?: string };
}

/** A back-office referral: an owner team, a due date, updates to the ratepayer, escalations, then done. */
export interface Referral {
  /** What the referral is for (a back-office query, a dispute investigation…): free, for staff. */
  subject: string;
  team: { code: string; name: string };
  referredAt: string;
  /** The local date (programme's zone) by which the team answers, and the instant it becomes overdue. */
  dueDate: string;
  dueAt: string;
  /** Messages relayed to the ratepayer by the back office. */
  updates: { at: string; by: Actor; text: string }[];
  /** Earlier due dates moved on ("needs more time"), with the reason the ratepayer was told. */
  extensions: { at: string; by: Actor; from: string; to: string; reason: string }[];
  /** Levels of the escalation ladder reached, for the due date they were reached under. */
  escalations: { at: string; code: string; name: string; dueDate: string }[];
  /** The due date the team was last reminded of (so once per due date). */
  remindedFor?: string;
  /**
   * What the ratepayer wrote in their chat while the referral was open (tester 11, finding 6: a
   * reply to the back office's update), kept for the team and shown on its referral page; the
   * text as typed, at most MESSAGE_CHARACTERS. Added by noteFromRatepayer. Absent on older cases.
   */
  fromRatepayer?: { at: string; text: string }[];
  done?: { at: string; by: Actor };
}

/** A reopened case: when, how often, and the expert it goes to first if on duty. */
export interface Reopened {
  at: string;
  count: number;
  previousOutcome?: Outcome;
  preferred?: { staffId: string; name: string };
}

/**
 * What the ratepayer was last told: their place, when, and (since issue 21) when an expert was
 * then expected to take the case and how many experts were on duty for it — the baseline that
 * waitSlip compares the current forecast with. Told at queueing (queuedWithPlace), with a place
 * update or a slip, and anew when the case goes back to a queue (released or transferred: the
 * lifecycle drops the old one, bot/ratepayers/ratepayerUpdates.ts records the wait the message
 * gave).
 */
export interface PlaceTold {
  position: number;
  at: string;
  /** The instant (ISO) an expert was expected to take the case, as told. */
  expectedAt?: string;
  /** Experts on duty for the case's category then. */
  agentsOnDuty?: number;
  /**
   * The category (code) whose queue the place and wait were told for; absent on baselines
   * recorded before it was kept. A baseline of another category says nothing of this one.
   */
  category?: string;
}

/** Why a wait slipped: fewer experts on duty than when the ratepayer was told, or longer cases. */
export type WaitSlipReason = 'fewer_experts' | 'longer_cases';

/** How much later than told (minutes) the expected instant must move before the ratepayer is told. */
const WAIT_SLIP_MINUTES = 10;

/** Keep the place for the next session, or be called back at a time the ratepayer chose. */
export interface ClosingChoice {
  choice: 'next_session' | 'callback';
  /** For a callback: when (ISO instant) and on which number. */
  callbackAt?: string;
  decidedAt: string;
}

/** One message of the conversation on a case. */
export interface TranscriptEntry {
  id: string;
  at: string;
  /** Who said it: the ratepayer, the expert, or the bot itself (connected, summary, …). */
  from: 'ratepayer' | 'expert' | 'system';
  /** The ratepayer's chat name, the expert's first name, or the programme. */
  author: string;
  text: string;
  /**
   * A ratepayer's entry that is not a message they wrote, but a command word they typed
   * (bot/messages/commandWords.ts): `endChat`, "cancel", "kanselleer", "khansela" or "end chat"
   * typed while with an expert (bot/ratepayers/features/cancel.ts). `text` is the word as typed.
   * Kept as the request it is, never machine-translated (tester 7, finding 10): the case page
   * says what it asks for, and it is not counted as something the ratepayer wrote (wroteToExpert).
   */
  command?: RatepayerCommand;
  /**
   * A ratepayer's entry made by pressing one of the bot's buttons (their "[Chose: …]" line, the
   * catalogue's words, bot/ratepayers/features/cancel.ts): what they chose, not a message they
   * wrote (wroteToExpert). Its words for staff are the catalogue's (`translation` `catalogue`).
   */
  pressed?: true;
  /**
   * Files the ratepayer sent (a photo of a meter, a statement), kept as links to where Teams keeps
   * them (the sender's OneDrive, bot/domain/attachments.ts); deleted with the case.
   */
  attachments?: { name: string; contentType: string; url: string }[];
  /**
   * A reply of the conversation core the ratepayer was shown (bot/ratepayers/replies.ts, a
   * SentLaterReply), kept as data, not as one channel's format: the ratepayer's channel renders it
   * when it is sent (and sent again by delivery recovery), and the tab API renders it as that
   * channel showed it (bot/agents/caseViews.ts).
   */
  reply?: ShownReply;
  /**
   * Which notice this message is (bot/domain/serviceDefinition.ts NOTICE_KINDS): a channel that
   * may no longer send free text (WhatsApp after 24 hours) sends the notice's template instead.
   */
  notice?: string;
  /**
   * The notice's own values beyond the case's (issue 19: the team, the new due date, the reason,
   * the update's text, the escalation's level and date), kept so a redelivery sends the same words.
   */
  noticeParams?: Record<string, string>;
  /** An Adaptive Card the ratepayer was shown (entries written before `reply` existed), shown as is in the tab. */
  card?: Record<string, unknown>;
  /**
   * Machine translation of a message between ratepayer and expert (issue 16). `text` above is
   * always what the writer wrote; this says what the other side read: `translated` (this `text`,
   * from `from` to `to`), `failed` (the original, untranslated, for `reason`), or `off` (the
   * original: the expert had turned translation off for the case). Absent: both sides share a language.
   *
   * On the bot's own messages (`from: 'system'`), what staff read of a line the ratepayer got in
   * their language: `catalogue` (the same catalogue words in `to`, rendered when it was written:
   * exact, never machine-translated), else, for a line with no such words (written before they
   * were kept, or made of text that is not the catalogue's), `translated` or `failed` once the
   * first member of staff who does not speak the language opened the case (translateBotLines).
   */
  translation?: EntryTranslation;
  /**
   * The service instance delivering it (an expert's or the bot's message), so that if that
   * instance stops before recording the outcome another one delivers it.
   */
  sender?: string;
}

/**
 * What became of a message's machine translation (TranscriptEntry.translation). `catalogue`: a
 * bot line's own words in `to`, from the catalogue (bot/messages/<to>.json), not a translation.
 * `failed` on a bot line carries `at` (ISO instant), so a later view may try again after
 * BOT_LINE_RETRY_MS rather than on every view.
 */
export type EntryTranslation =
  | { status: 'translated'; from: string; to: string; text: string }
  | {
      status: 'catalogue';
      from: string;
      to: string;
      text: string;
      /**
       * Staff's own words inside the bot's line (the back office's "Update the ratepayer"), and
       * what became of them for the ratepayer: `translated` — machine-translated into `from` and
       * marked so; `failed` — sent as written, marked as not translated. `text` holds them as
       * written. Absent: the line is the catalogue's words only (tester 10, finding 7).
       */
      holds?: { whose: 'backOffice'; status: 'translated' | 'failed' };
    }
  | { status: 'failed'; from: string; to: string; reason: string; at?: string }
  | { status: 'off'; from: string; to: string };

/** A reply as the transcript keeps it: its kind, view, content and one-sentence summary. */
export interface ShownReply {
  kind: string;
  view: string;
  content: object;
  summary: string;
}

/** Whether a message reached the ratepayer's chat. */
export interface Delivery {
  status: 'delivered' | 'failed';
  at: string;
  /** Why it failed, in words an agent can act on. */
  reason?: string;
  /** Not delivered in the chat, but an SMS with the notice went instead (the ratepayer was reached). */
  instead?: 'sms';
}

/** An internal note a member of staff kept on a case. */
export interface CaseNote {
  at: string;
  by: Actor;
  text: string;
}

/** The outcomes a case can be resolved with, in the order the tab offers them. */
export const OUTCOMES: readonly Outcome[] = ['resolved', 'arrangement_made', 'referred_back_office', 'not_resolved'];

/** How long a view stays fresh: the same person viewing again within it is not recorded again. */
const VIEW_RECORD_INTERVAL_MS = 10 * 60 * 1000;

/** What the intake service needs to open a case. */
export interface OpenCaseInput {
  reference: string;
  programmeId: string;
  category: string;
  region?: string;
  sessionId: string;
  draftId: string;
  ratepayer: RatepayerIdentity;
  intake: Record<string, string | number>;
  /** The ratepayer's language when they queued (a catalogue code). */
  language?: Locale;
  /** The earlier case this one follows (its reference), already checked to be a finished case of the same chat. */
  follows?: string;
  now: Date;
}

/**
 * The intake as a case keeps it: an ID number typed into a free-text answer (the query, a
 * WhatsApp query text) is masked (maskIdNumbersIn), since no one needs it there (DESIGN §5,
 * POPIA s10 minimality; docs/security.md "ID numbers typed as text"). The form's own ID field
 * (`idNumber`, asked where a category needs it) is kept whole and masked when shown.
 */
function keptIntake(intake: Readonly<Record<string, string | number>>): Record<string, string | number> {
  const kept: Record<string, string | number> = { ...intake };
  for (const [name, value] of Object.entries(intake)) {
    if (typeof value === 'string' && INTAKE_FIELDS[name as IntakeFieldName]?.freeText) kept[name] = maskIdNumbersIn(value);
  }
  return kept;
}

/** Builds a new waiting case. */
export function openCase(input: OpenCaseInput): Case {
  input = { ...input, intake: keptIntake(input.intake) };
  const at = input.now.toISOString();
  const accountNumber = input.intake.accountNumber;
  const mobile = input.intake.mobile;
  return {
    id: input.reference,
    programmeId: input.programmeId,
    category: input.category,
    ...(input.region ? { region: input.region } : {}),
    sessionId: input.sessionId,
    state: 'waiting',
    // Arrival time first; the reference breaks ties between cases queued in the same millisecond.
    queueKey: `${at}~${input.reference}`,
    draftId: input.draftId,
    ratepayer: input.ratepayer,
    ...(input.language ? { language: input.language } : {}),
    intake: input.intake,
    ...(typeof accountNumber === 'string' ? { accountNumber } : {}),
    ...(typeof mobile === 'string' ? { mobile } : {}),
    ...(input.follows ? { follows: input.follows } : {}),
    createdAt: at,
    updatedAt: at,
    transcript: [],
    deliveries: {},
    audit: [
      {
        at,
        by: ratepayerActor(input.ratepayer),
        action: 'opened',
        detail: `queued in ${input.category}${input.follows ? `, following case ${input.follows}` : ''}`,
      },
    ],
  };
}

/** The actor for things the ratepayer does. */
export function ratepayerActor(r: RatepayerIdentity): Actor {
  return { kind: 'ratepayer', id: r.userId, name: r.displayName };
}

/** Whether a case is finished. */
export function isClosed(c: Pick<Case, 'state'>): boolean {
  return CLOSED_STATES.includes(c.state);
}

/** A rule of the lifecycle that a requested change would break. */
export class CaseRuleError extends Error {
  constructor(
    message: string,
    readonly reason: 'not_waiting' | 'not_in_progress' | 'closed' | 'not_assignee' | 'invalid' | 'not_resolved' | 'already_done' | 'chat_with_other_expert',
  ) {
    super(message);
    this.name = 'CaseRuleError';
  }
}

/**
 * The claim (or assignment) of a case refused because another case of the same chat is with a
 * different expert (otherExpertInChat): `busy` is that case, for the caller to word the refusal
 * in its reader's terms (the category's name, not its code).
 */
export class ChatWithOtherExpertError extends CaseRuleError {
  constructor(readonly busy: Pick<Case, 'id' | 'category'> & { assignedTo: NonNullable<Case['assignedTo']> }) {
    super(`This ratepayer is already talking with ${busy.assignedTo.name} about ${busy.category}; this case waits until that one is done.`, 'chat_with_other_expert');
    this.name = 'ChatWithOtherExpertError';
  }
}

/**
 * One expert per chat: another case of `c`'s chat (same conversation, any channel) that an expert
 * other than `staffId` has (in progress: claimed, not yet done), if any. While there is one, `c`
 * is not given to `staffId`: both experts would relay into the one chat and each read every reply
 * (the same rule at intake is caseWithExpert, bot/domain/openCaseLimits.ts, which keeps a second
 * case from being opened; this one covers cases queued before either was taken).
 *
 * The same expert may take the chat's second case: the ratepayer still talks with one person, who
 * already has the chat open, and the second query would otherwise wait for nobody (what the
 * ratepayer types goes on the earlier case's transcript, which that expert reads too).
 *
 * `sameChat`: the chat's cases as read (any states; `c` itself and closed ones are ignored).
 */
export function otherExpertInChat<C extends Pick<Case, 'id' | 'state' | 'category' | 'assignedTo' | 'ratepayer'>>(
  c: Pick<Case, 'id' | 'ratepayer'>,
  sameChat: readonly C[],
  staffId: string,
): (C & { assignedTo: NonNullable<Case['assignedTo']> }) | undefined {
  return sameChat.find(
    (o): o is C & { assignedTo: NonNullable<Case['assignedTo']> } =>
      o.id !== c.id &&
      o.ratepayer.conversationId === c.ratepayer.conversationId &&
      o.state === 'in_progress' &&
      !!o.assignedTo &&
      o.assignedTo.staffId !== staffId,
  );
}

function touch(c: Case, now: Date, by: Actor, action: string, detail?: string): Case {
  const at = now.toISOString();
  return { ...c, updatedAt: at, audit: [...c.audit, { at, by, action, ...(detail ? { detail } : {}) }] };
}

/**
 * The ratepayer writes in their chat about a case referred to the back office and not yet done
 * (bot/ratepayers/features/referralNote.ts; tester 11, finding 6): the words are kept on the
 * referral (`fromRatepayer`, for the team's referral page) with an audit entry, never the text
 * itself in the audit (POPIA: the audit is read more widely). CaseRuleError 'closed' when the
 * referral is done or there is none; 'invalid' for empty text or more than MESSAGE_CHARACTERS.
 */
export function noteFromRatepayer(c: Case, now: Date, by: Actor, text: string): Case {
  const r = c.referral;
  if (!r || r.done) throw new CaseRuleError('The case has no open referral.', 'closed');
  const trimmed = text.trim();
  if (!trimmed || characterCount(trimmed) > MESSAGE_CHARACTERS) throw new CaseRuleError('A message for the back office is 1 to 20 000 characters.', 'invalid');
  return {
    ...touch(c, now, by, 'ratepayer wrote to the back office', r.team.name),
    referral: { ...r, fromRatepayer: [...(r.fromRatepayer ?? []), { at: now.toISOString(), text: trimmed }] },
  };
}

/** Exported for the follow-through transitions (followThrough.ts): one way to record a change. */
export function recordChange(c: Case, now: Date, by: Actor, action: string, detail?: string): Case {
  return touch(c, now, by, action, detail);
}

/** Appends a receipt (numbered per case) to be delivered to the ratepayer. */
export function withReceipt(c: Case, now: Date, receipt: Omit<Receipt, 'id' | 'at'>): Case {
  const receipts = c.receipts ?? [];
  return { ...c, receipts: [...receipts, { id: `${c.id}-${receipts.length + 1}`, at: now.toISOString(), ...receipt }], receiptsPending: true };
}

/**
 * Closes a case for good: it is done and its retention starts (issue 19: never without the
 * receipt that tells the ratepayer why, and a resolved case never without its outcome).
 */
export function closeForGood(c: Case, now: Date, retentionDays: number, receipt: Omit<Receipt, 'id' | 'at'>): Case {
  if (c.state === 'resolved' && !c.outcome) throw new CaseRuleError('A resolved case needs an outcome.', 'invalid');
  const at = now.toISOString();
  return { ...withReceipt(c, now, receipt), closedAt: c.closedAt ?? at, doneAt: at, retentionDays };
}

function close(c: Case, now: Date, retentionDays: number, receipt: Omit<Receipt, 'id' | 'at'>): Case {
  return { ...closeForGood(c, now, retentionDays, receipt), closedAt: now.toISOString() };
}

/** The intake fields whose values differ between two sets of answers, in a stable order. */
export function changedIntakeFields(before: Case['intake'], after: Case['intake']): string[] {
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return names.filter((name) => before[name] !== after[name]);
}

/**
 * The ratepayer corrects their details while the case waits (the same card sent again with
 * changed answers). Only a waiting case: once an expert has it, corrections go to the expert in
 * the chat. The audit trail says which fields changed and that the ratepayer changed them (not
 * the values: the trail is read by every member of staff who opens the case).
 */
export function updateIntake(c: Case, now: Date, by: Actor, intake: Case['intake']): Case {
  if (c.state !== 'waiting') {
    throw new CaseRuleError(
      isClosed(c) ? 'This case is already closed.' : 'An expert is already working on this case.',
      isClosed(c) ? 'closed' : 'not_waiting',
    );
  }
  intake = keptIntake(intake);
  const changed = changedIntakeFields(c.intake, intake);
  if (changed.length === 0) return c;
  const { accountNumber: _old, mobile: _oldMobile, intakeTranslations: _translations, ...rest } = c;
  const translations = translationsKeptFor(c.intakeTranslations, changed);
  return {
    ...touch(rest, now, by, 'details changed', changed.join(', ')),
    ...(translations ? { intakeTranslations: translations } : {}),
    intake,
    ...(typeof intake.accountNumber === 'string' ? { accountNumber: intake.accountNumber } : {}),
    ...(typeof intake.mobile === 'string' ? { mobile: intake.mobile } : {}),
  };
}

/**
 * The ratepayer chose another language (the language command or card, issue 16) while the case is
 * open: later messages about it (place updates, connected, summary, survey) use it. A closed case
 * keeps the language it closed in; the same language is no change.
 */
export function changeLanguage(c: Case, now: Date, by: Actor, language: Locale): Case {
  if (isClosed(c) || c.language === language) return c;
  return { ...touch(c, now, by, 'language changed', language), language };
}

/** The ratepayer leaves the queue. Only a waiting case can be cancelled by them. */
export function cancelCase(c: Case, now: Date, by: Actor, retentionDays: number): Case {
  if (c.state !== 'waiting') {
    throw new CaseRuleError(
      isClosed(c) ? 'This case is already closed.' : 'An expert is already working on this case.',
      isClosed(c) ? 'closed' : 'not_waiting',
    );
  }
  return close({ ...touch(c, now, by, 'cancelled'), state: 'cancelled' }, now, retentionDays, { kind: 'cancelled' });
}

/**
 * A supervisor closes an open case (waiting or with an expert) as spam: it leaves the queue or
 * the expert's desk as `cancelled`, marked `closedAs: 'spam'`, with the supervisor in the audit
 * trail (issue 17: abuse of the open web door). Only a supervisor may: `by` must be staff, and
 * the caller checks the role.
 */
export function closeAsSpam(c: Case, now: Date, by: Actor, retentionDays: number): Case {
  if (isClosed(c)) throw new CaseRuleError('This case is already closed.', 'closed');
  if (by.kind !== 'staff') throw new CaseRuleError('Only a supervisor can close a case as spam.', 'invalid');
  const { assignedTo: _expert, ...rest } = c;
  const closed = close({ ...touch(rest, now, by, 'closed as spam'), state: 'cancelled', closedAs: 'spam' }, now, retentionDays, { kind: 'spam' });
  const given = now.toISOString();
  return { ...closed, receipts: closed.receipts!.map((r) => (r.kind === 'spam' && !r.sent ? { ...r, sent: { chat: given, email: given } } : r)) };
}

/**
 * An expert takes a waiting case. `sameChat`: the other cases of its chat as read (see
 * otherExpertInChat); ChatWithOtherExpertError while one of them is with another expert.
 */
export function claimCase(c: Case, now: Date, staff: { id: string; name: string }, sameChat: readonly Case[] = []): Case {
  if (c.state !== 'waiting') {
    throw new CaseRuleError(
      c.assignedTo ? `${c.assignedTo.name} already has this case.` : 'This case is no longer waiting.',
      isClosed(c) ? 'closed' : 'not_waiting',
    );
  }
  const busy = otherExpertInChat(c, sameChat, staff.id);
  if (busy) throw new ChatWithOtherExpertError(busy);
  const by: Actor = { kind: 'staff', id: staff.id, name: staff.name };
  return {
    ...touch(c, now, by, 'claimed'),
    state: 'in_progress',
    assignedTo: { staffId: staff.id, name: staff.name, since: now.toISOString() },
  };
}

function requireAssignee(c: Case, staffId: string, canOverride: boolean): void {
  if (c.state !== 'in_progress') throw new CaseRuleError('This case is not being worked on.', 'not_in_progress');
  if (!canOverride && c.assignedTo?.staffId !== staffId)
    throw new CaseRuleError(`${c.assignedTo?.name ?? 'Someone else'} has this case.`, 'not_assignee');
}

/**
 * The expert hands a case back to its queue; it keeps its place (its queue key). The wait told at
 * queueing no longer holds (the case was taken meanwhile): `notified` is dropped, and the wait
 * the ratepayer is told with the release becomes the baseline (RatepayerUpdates).
 */
export function releaseCase(c: Case, now: Date, by: Actor, canOverride = false, note?: string): Case {
  requireAssignee(c, by.id, canOverride);
  // Translation off was the expert's own choice (they read the ratepayer's language): the next
  // expert starts with it on (issue 16).
  const { assignedTo: _dropped, translationOff: _theirs, notified: _told, ...rest } = c;
  return { ...touch(rest, now, by, 'released', note), state: 'waiting' };
}

/**
 * The expert moves a case to another category's queue; it keeps its original wait. `to`: the
 * category's code, or the category itself (its fields), when the details it requires that the
 * intake lacks are to be asked of the ratepayer: they are recorded as `detailsAsked` (any earlier
 * unanswered request is replaced; nothing missing removes it) and named on the audit entry. The
 * case is queued either way: the details never block it from being claimed. The wait told in the
 * old queue (`notified`) and any slip told of it (`slip`) are dropped: they were promises about
 * another queue and its experts. The wait the ratepayer is told with the transfer becomes the new
 * baseline (RatepayerUpdates records it), against which one honest update may follow (waitSlip).
 * Tester 7 (finding 4) was told "later than we told you, because fewer experts are on duty" a
 * minute after the transfer: the billing queue's promise and its two experts, held against the
 * indigent queue's wait and its one.
 */
export function transferCase(c: Case, now: Date, by: Actor, to: string | Pick<Category, 'code' | 'fields'>, note: string, canOverride = false): Case {
  requireAssignee(c, by.id, canOverride);
  const toCategory = typeof to === 'string' ? to : to.code;
  if (toCategory === c.category) throw new CaseRuleError(`The case is already in ${toCategory}.`, 'invalid');
  const missing = typeof to === 'string' ? [] : missingDetails(to, c.intake);
  const { assignedTo: _dropped, translationOff: _theirs, detailsAsked: _earlier, notified: _told, slip: _slipTold, ...rest } = c;
  const transferred: Case = {
    ...touch(rest, now, by, 'transferred', transferDetail(c.category, toCategory, note)),
    category: toCategory,
    state: 'waiting',
  };
  if (!missing.length) return transferred;
  return {
    ...touch(transferred, now, SYSTEM_DETAILS, 'details asked', missing.join(', ')),
    detailsAsked: { fields: missing, category: toCategory, at: now.toISOString() },
  };
}

/** A transfer's audit detail: "from <category code> to <category code>: <the note for the next expert>". */
function transferDetail(from: string, to: string, note: string): string {
  return `from ${from} to ${to}: ${note}`;
}

/**
 * Reads a `transferred` entry's detail back (written by transferDetail above: category codes carry
 * no spaces, the note is everything after the first ": "); undefined for any other text.
 */
export function readTransferDetail(detail: string | undefined): { from: string; to: string; note: string } | undefined {
  const m = /^from (\S+) to (\S+): ([\s\S]*)$/.exec(detail ?? '');
  return m ? { from: m[1]!, to: m[2]!, note: m[3]! } : undefined;
}

/** The desk itself, as the audit trail names it for asking the ratepayer for details after a transfer. */
const SYSTEM_DETAILS: Actor = { kind: 'system', id: 'transfer-details', name: 'Ratepayer Desk' };

/**
 * The ratepayer answers the details asked after a transfer (`values`: normalised by the intake's
 * checks, bot/domain/intakeForm.ts; only the asked fields are taken). Added to the intake while
 * the case is open (waiting or with an expert); the audit trail names the fields, not the values.
 * CaseRuleError 'closed' for a closed case, 'already_done' when nothing is asked (answered
 * already, or a later transfer needed nothing), 'invalid' when an asked field has no value.
 * `sent`: the ratepayer's line for the transcript saying what they sent (the fields as "Label:
 * value" lines, bot/ratepayers/intake.ts), written in the same change so the expert reads the
 * answer in the conversation where the form was asked. `thanked`: the bot's answer to it ("Thank
 * you. Your details … are now on case …"), after it: the expert reads what the ratepayer was told
 * (tester 7, finding 13: it was sent, but missing from the expert's transcript).
 */
export function addAskedDetails(c: Case, now: Date, by: Actor, values: Readonly<Record<string, string | number>>, sent?: TranscriptEntry, thanked?: TranscriptEntry): Case {
  if (isClosed(c)) throw new CaseRuleError('This case is already closed.', 'closed');
  const asked = c.detailsAsked;
  if (!asked) throw new CaseRuleError('No details are asked on this case.', 'already_done');
  const missing = asked.fields.filter((name) => values[name] === undefined || String(values[name]).trim() === '');
  if (missing.length) throw new CaseRuleError(`Missing: ${missing.join(', ')}.`, 'invalid');
  const intake = { ...c.intake, ...keptIntake(Object.fromEntries(asked.fields.map((name) => [name, values[name]!]))) };
  const { detailsAsked: _answered, accountNumber: _old, mobile: _oldMobile, intakeTranslations: _translations, ...rest } = c;
  const translations = translationsKeptFor(c.intakeTranslations, asked.fields);
  return {
    ...touch(rest, now, by, 'details added', asked.fields.join(', ')),
    ...(translations ? { intakeTranslations: translations } : {}),
    intake,
    ...(sent || thanked ? { transcript: [...(c.transcript ?? []), ...(sent ? [sent] : []), ...(thanked ? [thanked] : [])] } : {}),
    ...(typeof intake.accountNumber === 'string' ? { accountNumber: intake.accountNumber } : {}),
    ...(typeof intake.mobile === 'string' ? { mobile: intake.mobile } : {}),
  };
}

/**
 * The expert closes a case with an outcome. A referral to the back office (issue 19) needs the
 * referral (owner team and due date, from the definition: followThrough.ts `referralFor`): the
 * session's part ends (`closedAt`) but the case is not done, so its retention has not started;
 * the ratepayer gets a receipt either way. A case with an open dispute (issue 20) can only be
 * referred (CaseRuleError 'invalid' otherwise): the investigation is the back office's.
 */
export function resolveCase(
  c: Case,
  now: Date,
  by: Actor,
  outcome: NonNullable<Case['outcome']>,
  retentionDays: number,
  canOverride = false,
  referral?: Pick<Referral, 'subject' | 'team' | 'dueDate' | 'dueAt'>,
): Case {
  requireAssignee(c, by.id, canOverride);
  if (outcome.kind === 'referred_back_office' && (!referral || !referral.dueDate || !referral.dueAt || !referral.team?.code))
    throw new CaseRuleError('A referral to the back office needs a due date and an owning team.', 'invalid');
  if (outcome.kind !== 'referred_back_office' && (outcome.dueDate || referral))
    throw new CaseRuleError('Only a referral to the back office has a due date.', 'invalid');
  // Issue 20: an open dispute is investigated by the back office (Municipal Systems Act s102: the hold lasts until it is answered).
  if (c.dispute && !c.dispute.settledAt && outcome.kind !== 'referred_back_office')
    throw new CaseRuleError(
      `Dispute ${formatDisputeReference(c.dispute.reference)} is open: the back office investigates it by ${c.dispute.investigationDueOn}. Choose "referred to the back office" as the outcome.`,
      'invalid',
    );
  const since = c.assignedTo ? Date.parse(c.assignedTo.since) : now.getTime();
  const handlingMinutes = Math.max(0, Math.round(((now.getTime() - since) / 60_000) * 10) / 10);
  const resolved: Case = { ...touch(c, now, by, 'resolved', outcome.kind), state: 'resolved', outcome, handlingMinutes };
  if (referral && outcome.kind === 'referred_back_office') {
    const at = now.toISOString();
    const referred: Case = {
      ...touch(resolved, now, by, 'referred', `to ${referral.team.name}, due ${referral.dueDate}`),
      outcome: { ...outcome, dueDate: referral.dueDate },
      referral: { ...referral, referredAt: at, updates: [], extensions: [], escalations: [] },
      closedAt: at,
    };
    const { retentionDays: _notYet, doneAt: _notDone, ...open } = referred;
    return withReceipt(open, now, { kind: 'referred', outcome: outcome.kind, summary: outcome.summary, team: referral.team.name, dueDate: referral.dueDate });
  }
  return close(resolved, now, retentionDays, { kind: 'outcome', outcome: outcome.kind, summary: outcome.summary });
}

/** One expert's turn with a case: from taking it (claim or assignment) to letting it go. */
export interface ExpertSpell {
  /** The expert's name as the audit trail recorded it. */
  name: string;
  /** ISO instants; `to` is absent while the expert still has the case. */
  from: string;
  to?: string;
}

/** Audit actions with which an expert's turn with a case ends (the case leaves them or closes). */
const SPELL_ENDS = new Set(['released', 'transferred', 'resolved', 'no-show', 'closed as spam', 'cancelled']);

/**
 * Every expert's turn with the case, in order, read from its audit trail (no stored field: the
 * trail already says who took it and when it left them). A turn starts with `claimed` (the expert
 * is the actor) or `assigned` (detail "to <name>"); `reassigned` ("from <a> to <b>") ends one and
 * starts the next; released, transferred, resolved (a referral too), no-show and closed as spam
 * end it. Tester 7 (finding 12): a transferred case's CSV row named only its last expert and
 * counted only their minutes.
 */
export function expertSpells(c: Pick<Case, 'audit'>): ExpertSpell[] {
  const spells: ExpertSpell[] = [];
  let open: ExpertSpell | undefined;
  const start = (name: string, at: string) => {
    open = { name, from: at };
    spells.push(open);
  };
  const end = (at: string) => {
    if (open) open.to = at;
    open = undefined;
  };
  for (const e of c.audit) {
    if (e.action === 'claimed') {
      end(e.at);
      start(e.by.name, e.at);
    } else if (e.action === 'assigned' || e.action === 'reassigned') {
      // The detail names the new expert last: "to <name>" or "from <earlier> to <name>".
      const prefix = e.action === 'reassigned' && open ? `from ${open.name} to ` : e.action === 'assigned' ? 'to ' : undefined;
      const name = prefix && e.detail?.startsWith(prefix) ? e.detail.slice(prefix.length) : e.detail?.replace(/^.* to /, '');
      end(e.at);
      if (name) start(name, e.at);
    } else if (SPELL_ENDS.has(e.action)) end(e.at);
  }
  return spells;
}

/**
 * The minutes experts spent on the case: every finished turn (expertSpells) added up, to a tenth
 * of a minute; a turn still running is not counted yet. Undefined when no turn has finished.
 */
export function handlingMinutesOf(spells: readonly ExpertSpell[]): number | undefined {
  const done = spells.filter((s) => s.to);
  if (!done.length) return undefined;
  const minutes = done.reduce((sum, s) => sum + Math.max(0, Date.parse(s.to!) - Date.parse(s.from)) / 60_000, 0);
  return Math.round(minutes * 10) / 10;
}

/**
 * What the expert decided when they closed the case (the last `resolved` on its audit trail):
 * `referred_back_office` for a referral, even after the back office has given the final outcome.
 */
export function expertOutcome(c: Pick<Case, 'audit'>): Outcome | undefined {
  const last = [...c.audit].reverse().find((e) => e.action === 'resolved');
  return last?.detail as Outcome | undefined;
}

/** Staff keep an internal note on an open case (the assignee, or anyone allowed to act on it). */
export function addNote(c: Case, now: Date, by: Actor, text: string): Case {
  if (isClosed(c)) throw new CaseRuleError('This case is closed; notes can no longer be added.', 'closed');
  const at = now.toISOString();
  return { ...touch(c, now, by, 'note added'), notes: [...(c.notes ?? []), { at, by, text }] };
}

/**
 * The expert turns machine translation off for an open case (they speak the ratepayer's
 * language) or on again (issue 16); recorded on the audit trail. CaseRuleError 'closed' for a
 * closed case, 'invalid' for a ratepayer in English (the experts' language), 'already_done' when it
 * is already so.
 */
export function setTranslation(c: Case, now: Date, by: Actor, on: boolean): Case {
  if (isClosed(c)) throw new CaseRuleError('This case is closed.', 'closed');
  if (!c.language || c.language === 'en') throw new CaseRuleError('The ratepayer writes in English: there is nothing to translate.', 'invalid');
  if (on === !c.translationOff) throw new CaseRuleError(`Translation is already ${on ? 'on' : 'off'} for this case.`, 'already_done');
  const { translationOff: _was, ...rest } = c;
  return on ? touch(rest, now, by, 'translation on') : { ...touch(rest, now, by, 'translation off'), translationOff: true };
}

/**
 * Records that the ratepayer asked to end the chat with the expert (they answered "Yes, end the
 * chat"; tester 7, finding 10): `entryId` is the transcript entry of their answer. The expert
 * closes the case; the case page shows the request until then (endChatRequestStanding). A later
 * request replaces an earlier one. CaseRuleError 'not_in_progress' unless an expert has the case.
 */
export function requestEndChat(c: Case, now: Date, by: Actor, entryId: string): Case {
  if (c.state !== 'in_progress') throw new CaseRuleError('Only a case with an expert has a chat to end.', 'not_in_progress');
  return { ...touch(c, now, by, 'asked to end the chat'), endChatRequested: { at: now.toISOString(), entryId } };
}

/**
 * When the ratepayer asked to end the chat (ISO), if that request still stands: the case is with
 * an expert, and the ratepayer has written nothing since their answer. Why it lapses when they
 * write again: a new message shows the chat goes on (they thought of something else, or asked to
 * end it by mistake), and the expert reads that message itself; a banner saying "asked to end"
 * above it would contradict it. It needs no write to lapse: the transcript says so. Closed,
 * waiting (released or transferred to the queue) or resolved cases have no chat to end.
 */
export function endChatRequestStanding(c: Pick<Case, 'state' | 'endChatRequested' | 'transcript'>): string | undefined {
  const asked = c.endChatRequested;
  if (!asked || c.state !== 'in_progress') return undefined;
  const entries = c.transcript ?? [];
  const i = entries.findIndex((e) => e.id === asked.entryId);
  if (i < 0) return undefined;
  return entries.slice(i + 1).some((e) => e.from === 'ratepayer') ? undefined : asked.at;
}

/** A command word a ratepayer's transcript entry stands for (TranscriptEntry.command). */
export type RatepayerCommand = 'endChat';

/**
 * Whether the expert who has the case now has been shown something the ratepayer wrote since they
 * took it (`assignedTo.since`): a message or a file of theirs on the transcript from then on, not a
 * command word they typed nor a button they pressed. The end-chat question says "{{expert}} has
 * seen what you wrote" only then (tester 7, finding 10: it said so a minute after a reassignment,
 * before the ratepayer had written to the new expert). False when no expert has the case.
 */
export function wroteToExpert(c: Pick<Case, 'assignedTo' | 'transcript'>): boolean {
  const since = c.assignedTo?.since;
  if (!since) return false;
  return (c.transcript ?? []).some(
    (e) => e.from === 'ratepayer' && !e.command && !e.pressed && Date.parse(e.at) >= Date.parse(since) && (e.text.trim() !== '' || (e.attachments?.length ?? 0) > 0),
  );
}

/** How long a failed machine translation of a bot line stands before a view may try it again (10 minutes). */
export const BOT_LINE_RETRY_MS = 10 * 60 * 1000;

/**
 * Whether a bot line of the transcript wants a machine translation from `from` into `to` for
 * staff: a bot message with text, in a language other than `to`, with neither catalogue words
 * nor a translation kept, or whose translation failed BOT_LINE_RETRY_MS or more ago.
 */
export function botLineWantsTranslation(e: TranscriptEntry, from: string, to: string, now: Date): boolean {
  if (e.from !== 'system' || from === to || !e.text.trim()) return false;
  const kept = e.translation;
  if (!kept || kept.to !== to) return true;
  return kept.status === 'failed' && (!kept.at || now.getTime() - Date.parse(kept.at) >= BOT_LINE_RETRY_MS);
}

/**
 * Keeps the machine translations of bot lines made for staff (issue 16's Translator; see
 * TranscriptEntry.translation) on their entries, so later views read them instead of asking
 * again, and puts on the audit trail that the lines went to the translation service (POPIA s72;
 * the detail is a count and the languages, never the text). `results`: by entry id; an entry
 * that no longer wants one (another view kept one first) is left as it is. Undefined: nothing kept.
 */
export function translateBotLines(c: Case, now: Date, by: Actor, results: ReadonlyMap<string, EntryTranslation>): Case | undefined {
  let kept = 0;
  let languages = '';
  const transcript = (c.transcript ?? []).map((e) => {
    const result = results.get(e.id);
    if (!result || !botLineWantsTranslation(e, result.from, result.to, now)) return e;
    kept++;
    languages = `${result.from} to ${result.to}`;
    return { ...e, translation: result };
  });
  if (!kept) return undefined;
  return { ...touch(c, now, by, 'bot lines translated', `${kept} line(s), ${languages}`), transcript };
}

/** The intake translations still true once the answers to `changed` (field names) are replaced; undefined: none left. */
function translationsKeptFor(kept: Case['intakeTranslations'], changed: readonly string[]): Case['intakeTranslations'] {
  if (!kept) return undefined;
  const left = Object.entries(kept).filter(([name]) => !changed.includes(name));
  return left.length ? Object.fromEntries(left) : undefined;
}

/**
 * The intake's free-text answers (`INTAKE_FIELDS[name].freeText`, non-empty) that want a machine
 * translation from `from` into `to` for staff, in the intake's order: none kept into `to`, or the
 * one kept failed BOT_LINE_RETRY_MS or more ago. Codes, numbers, amounts and names never do.
 * Nothing when `from` is `to`.
 */
export function intakeAnswersWantingTranslation(c: Pick<Case, 'intake' | 'intakeTranslations'>, from: string, to: string, now: Date): string[] {
  if (from === to) return [];
  return Object.keys(c.intake).filter((name) => {
    const info = INTAKE_FIELDS[name as IntakeFieldName];
    const value = c.intake[name];
    if (!info?.freeText || typeof value !== 'string' || !value.trim()) return false;
    const kept = c.intakeTranslations?.[name];
    if (!kept || kept.to !== to) return true;
    return kept.status === 'failed' && (!kept.at || now.getTime() - Date.parse(kept.at) >= BOT_LINE_RETRY_MS);
  });
}

/**
 * Keeps the machine translations of the intake's free-text answers made for staff
 * (Case.intakeTranslations), so later views read them instead of asking again; on the audit trail
 * as `details translated` with the field names and languages, never the words (POPIA s72: the
 * answers went to the translation service). `results`: by field name, each made from the answer as
 * the caller read it; one whose answer no longer wants it (another view kept one first) or changed
 * meanwhile (`sources`: the answer each was made from) is left out. Undefined: nothing kept.
 */
export function translateIntakeAnswers(
  c: Case,
  now: Date,
  by: Actor,
  results: ReadonlyMap<string, EntryTranslation>,
  sources: ReadonlyMap<string, string>,
): Case | undefined {
  const keep: [string, EntryTranslation][] = [];
  for (const [name, result] of results) {
    if (c.intake[name] !== sources.get(name)) continue;
    if (!intakeAnswersWantingTranslation(c, result.from, result.to, now).includes(name)) continue;
    keep.push([name, result]);
  }
  if (!keep.length) return undefined;
  const [, first] = keep[0]!;
  const languages = `${first.from} to ${first.to}`;
  return {
    ...touch(c, now, by, 'details translated', `${keep.map(([name]) => name).join(', ')}, ${languages}`),
    intakeTranslations: { ...c.intakeTranslations, ...Object.fromEntries(keep) },
  };
}

/**
 * Whether a view by this person needs recording: it does unless they already viewed (or
 * changed) the case within VIEW_RECORD_INTERVAL_MS, so a page that refreshes on live events
 * does not flood the trail while every distinct visit is still recorded.
 */
export function viewNeedsRecording(c: Case, now: Date, by: Actor): boolean {
  const since = now.getTime() - VIEW_RECORD_INTERVAL_MS;
  return !c.audit.some((e) => e.by.id === by.id && e.by.kind === by.kind && Date.parse(e.at) >= since);
}

/** Records that someone looked at the case (POPIA: who viewed it, and when). */
export function recordView(c: Case, now: Date, by: Actor, what = 'case page'): Case {
  return touch(c, now, by, 'viewed', what);
}

/** The first name of a member of staff, as the ratepayer is told it. */
export function firstName(name: string): string {
  return name.trim().split(/\s+/)[0] ?? name;
}

/**
 * The expert marks a no-show: the ratepayer has not answered since being connected, for at least
 * the programme's no-show time.
 */
export function markNoShow(
  c: Case,
  now: Date,
  by: Actor,
  limits: { noShowMinutes: number; retentionDays: number },
  canOverride = false,
): Case {
  requireAssignee(c, by.id, canOverride);
  const since = Date.parse(c.assignedTo!.since);
  const answered = (c.transcript ?? []).some((e) => e.from === 'ratepayer' && Date.parse(e.at) >= since);
  if (answered) throw new CaseRuleError('The ratepayer has answered since you were connected; this is not a no-show.', 'invalid');
  const waited = (now.getTime() - since) / 60_000;
  if (waited < limits.noShowMinutes)
    throw new CaseRuleError(
      `Give the ratepayer ${limits.noShowMinutes} minutes to answer before marking a no-show (${Math.floor(waited)} so far).`,
      'invalid',
    );
  return close({ ...touch(c, now, by, 'no-show'), state: 'no_show' }, now, limits.retentionDays, { kind: 'no_show' });
}

/**
 * Whether a waiting ratepayer should hear that their place improved: by three places or more, on
 * reaching one of the first two places, or by any amount after five minutes without news. Not on
 * every change: a queue moving one place at a time would otherwise flood the chat.
 */
export function placeUpdateDue(notified: Case['notified'], position: number, now: Date): boolean {
  if (!notified) return false;
  if (position >= notified.position) return false;
  if (notified.position - position >= 3) return true;
  if (position <= 2) return true;
  return now.getTime() - Date.parse(notified.at) >= 5 * 60_000;
}

/**
 * Whether a waiting ratepayer should be told that their wait slipped, and why: when an expert is
 * now expected more than WAIT_SLIP_MINUTES later than the instant they were last told
 * (`notified.expectedAt`), once per case (`slip` records it). The reason is "fewer experts" when
 * fewer are on duty for the category than when they were told, else "longer cases" (the experts
 * are there; the cases ahead are taking longer). Nothing when the case is not waiting, was told no
 * expected instant (cases queued before this rule), was already told of a slip, or was told its
 * wait for another category's queue (`notified.category`: a transfer's new wait not yet recorded;
 * neither the instant nor the experts compare).
 */
export function waitSlip(
  c: Pick<Case, 'state' | 'notified' | 'slip' | 'category'>,
  place: { waitMinutes: number; agentsOnDuty: number },
  now: Date,
): WaitSlipReason | undefined {
  if (c.state !== 'waiting' || c.slip || !c.notified?.expectedAt) return undefined;
  if (c.notified.category !== undefined && c.notified.category !== c.category) return undefined;
  const told = Date.parse(c.notified.expectedAt);
  const expected = now.getTime() + place.waitMinutes * 60_000;
  if (!Number.isFinite(told) || expected - told <= WAIT_SLIP_MINUTES * 60_000) return undefined;
  return c.notified.agentsOnDuty !== undefined && place.agentsOnDuty < c.notified.agentsOnDuty ? 'fewer_experts' : 'longer_cases';
}

/**
 * What the ratepayer is told with a place (or a slip, a release, a transfer) in the queue of
 * `category` (a code): the baseline for later updates. `place.waitMinutes` is the forecast's whole
 * minutes (the message rounds them for saying: describeWait).
 */
export function placeTold(place: { position: number; waitMinutes: number; agentsOnDuty: number }, now: Date, category: string): PlaceTold {
  return {
    position: place.position,
    at: now.toISOString(),
    expectedAt: new Date(now.getTime() + place.waitMinutes * 60_000).toISOString(),
    agentsOnDuty: place.agentsOnDuty,
    category,
  };
}

/**
 * A new case with the place and wait its ratepayer is told as it is queued: the baseline for
 * place updates and slips (`notified`) and the promise the supervisors' figures hold it to
 * (`waitPromised`, never changed afterwards).
 */
export function queuedWithPlace(c: Case, place: { position: number; waitMinutes: number; agentsOnDuty: number }, now: Date): Case {
  return { ...c, notified: placeTold(place, now, c.category), waitPromised: { minutes: place.waitMinutes, at: now.toISOString() } };
}

/** The scheduler, as the audit trail names it for what happens at a session's closing. */
const SCHEDULER: Actor = { kind: 'system', id: 'scheduler', name: 'Session scheduler' };

/**
 * The ratepayer answers the satisfaction survey of a resolved case: once (CaseRuleError
 * 'already_done' for a second answer; 'not_resolved' for a case not resolved). The audit trail
 * records the rating, not the comment (free text is not for every reader of the trail).
 * `answer.rating` is a whole number 1–5, checked by the caller (bot/ratepayers/feedback.ts).
 */
export function answerSurvey(c: Case, now: Date, by: Actor, answer: { rating: number; comment?: string }): Case {
  if (c.state !== 'resolved') throw new CaseRuleError('The survey is only for a resolved case.', 'not_resolved');
  if (c.survey) throw new CaseRuleError('The survey of this case is already answered.', 'already_done');
  return {
    ...touch(c, now, by, 'survey answered', `rating ${answer.rating}`),
    survey: { rating: answer.rating, ...(answer.comment ? { comment: maskIdNumbersIn(answer.comment) } : {}), at: now.toISOString() },
  };
}

/**
 * The ratepayer is warned that the session `sessionId` closes soon with their case still
 * waiting (the closing card): once per session (CaseRuleError 'already_done' when already
 * warned of this one; 'not_waiting' once the case is no longer waiting). Recorded before the
 * card is sent, so two scheduler rounds never warn twice.
 */
export function offerClosing(c: Case, now: Date, sessionId: string): Case {
  if (c.state !== 'waiting') throw new CaseRuleError('Only a waiting case is offered a choice at closing.', 'not_waiting');
  if (c.closingOffered === sessionId) throw new CaseRuleError('The ratepayer was already told this session is closing.', 'already_done');
  return { ...touch(c, now, SCHEDULER, 'closing offered', sessionId), closingOffered: sessionId };
}

/**
 * The ratepayer chooses, on the closing card, to keep their place for the next session or to be
 * called back (`choice.callbackAt`, an ISO instant checked by bot/ratepayers/sessionClose.ts). Only
 * while the case waits (CaseRuleError 'not_waiting' or 'closed'); a later choice replaces an
 * earlier one.
 */
export function chooseAtClosing(c: Case, now: Date, by: Actor, choice: ClosingChoice): Case {
  if (c.state !== 'waiting')
    throw new CaseRuleError(
      isClosed(c) ? 'This case is already closed.' : 'An expert is already working on this case.',
      isClosed(c) ? 'closed' : 'not_waiting',
    );
  const detail = choice.choice === 'callback' ? `callback at ${choice.callbackAt}` : 'keep place for the next session';
  return { ...touch(c, now, by, 'closing choice', detail), closingChoice: choice };
}

/** Queue keys of carried-over cases start with this: it sorts before any time, so they go first. */
const CARRIED_PREFIX = '!';

/**
 * Moves a case still waiting when its session closed to the next session, ahead of the cases
 * that join it then (its queue key gets the carried-over prefix, once).
 */
export function carryOver(c: Case, now: Date, nextSessionId: string): Case {
  if (c.state !== 'waiting') throw new CaseRuleError('Only a waiting case is carried over.', 'not_waiting');
  const by = SCHEDULER;
  const choice = c.closingChoice?.choice === 'callback' ? 'callback requested' : 'place kept';
  return {
    ...touch(c, now, by, 'carried over', `${c.sessionId} → ${nextSessionId} (${choice})`),
    sessionId: nextSessionId,
    queueKey: c.queueKey.startsWith(CARRIED_PREFIX) ? c.queueKey : `${CARRIED_PREFIX}${c.queueKey}`,
    carriedOver: { fromSession: c.sessionId, at: now.toISOString() },
  };
}

/** The instant a queue key was made (carried-over prefix removed), if it holds one. */
export function queueKeyTime(queueKey: string): string | undefined {
  const at = queueKey.replace(/^!+/, '').split('~')[0];
  return at && Number.isFinite(Date.parse(at)) ? at : undefined;
}

/** An arrangement as recorded on a case: the plan, and who agreed it when. */
export interface RecordedArrangement extends ArrangementPlan {
  agreedAt: string;
  agreedBy: { staffId: string; name: string };
  /** Recorded while a dispute was open: the dispute it leaves out, and the arrears the undisputed part was taken from. */
  leavesOut?: DisputeLeftOut;
}

/**
 * Issue 20: the expert lodges a formal dispute (built and checked by bot/domain/dispute.ts) on
 * the case they are working on. Once per case (CaseRuleError 'already_done'); only while in
 * progress, by the assignee or a supervisor (as every expert action). The trail names the
 * dispute's reference and deadline, not the amounts.
 */
export function lodgeDispute(c: Case, now: Date, by: Actor, dispute: Dispute, canOverride = false): Case {
  requireAssignee(c, by.id, canOverride);
  if (c.dispute) throw new CaseRuleError(`Dispute ${formatDisputeReference(c.dispute.reference)} is already lodged on this case.`, 'already_done');
  return withEmailCopy({ ...touch(c, now, by, 'dispute lodged', `${dispute.reference}, investigation due ${dispute.investigationDueOn}`), dispute }, now, 'dispute');
}

/**
 * Issue 20: the written copy by email of what a rules change tells the ratepayer (the dispute
 * receipt, the arrangement summary), when the intake has an address: a receipt already sent to the
 * chat (its chat copy is the transcript message written in the same change, delivered and
 * recovered as every bot message), so the receipts' delivery (bot/backOffice/receipts.ts) sends
 * only its email, retrying as it does for every receipt. Without an address: nothing to add.
 */
function withEmailCopy(c: Case, now: Date, kind: 'dispute' | 'arrangement'): Case {
  const email = c.intake.email;
  if (typeof email !== 'string' || !email.includes('@')) return c;
  const next = withReceipt(c, now, { kind });
  const receipts = next.receipts!.map((r, i, all) => (i === all.length - 1 ? { ...r, sent: { chat: now.toISOString() } } : r));
  return { ...next, receipts };
}

/**
 * Issue 20: the expert records the arrangement agreed with the ratepayer (a plan from
 * bot/domain/arrangement.ts). While in progress, by the assignee or a supervisor; a later one
 * replaces an earlier one (the trail keeps both).
 *
 * While a dispute is open (Municipal Systems Act s102), the arrangement may cover only the
 * undisputed arrears: `arrearsCents` (the account's arrears, the disputed amount included) is then
 * required and the plan's debt must be at most `arrearsCents − dispute.totalCents`
 * (dispute.ts `arrangementBesideDispute`); CaseRuleError 'invalid' otherwise, saying why and what to
 * do. The arrangement then records what it leaves out (`leavesOut`), and so does the trail.
 */
export function recordArrangement(c: Case, now: Date, by: Actor, plan: ArrangementPlan, canOverride = false, arrearsCents?: number): Case {
  requireAssignee(c, by.id, canOverride);
  let leavesOut: DisputeLeftOut | undefined;
  if (disputeOpen(c.dispute)) {
    const beside = arrangementBesideDispute(c.dispute, plan.debtCents, arrearsCents);
    if (!beside.ok) throw new CaseRuleError(`${beside.problem} Nothing was saved.`, 'invalid');
    leavesOut = beside.leftOut;
  }
  const arrangement: RecordedArrangement = { ...plan, agreedAt: now.toISOString(), agreedBy: { staffId: by.id, name: by.name }, ...(leavesOut ? { leavesOut } : {}) };
  const detail = `${plan.accountType}, ${plan.months} months${leavesOut ? `, leaves out dispute ${leavesOut.reference}` : ''}`;
  return withEmailCopy({ ...touch(c, now, by, 'arrangement recorded', detail), arrangement }, now, 'arrangement');
}

/**
 * Issue 20: the expert records an ESP registration (bot/domain/indigent.ts). While in progress,
 * by the assignee or a supervisor; a later one replaces an earlier one (and its reminder). One
 * recorded above the income threshold (`aboveThreshold`, confirmed by the expert: indigent.ts
 * `espIncomeProblem`) says so on the audit trail.
 */
export function recordEspRegistration(c: Case, now: Date, by: Actor, registration: EspRegistration, canOverride = false): Case {
  requireAssignee(c, by.id, canOverride);
  // Above the threshold: the expert's explicit confirmation is on the trail with the comparison (tester 10, finding 9).
  const above = registration.aboveThreshold;
  const detail = above
    ? `lapses ${registration.lapsesOn}; income ${formatCentsForTrail(above.incomeCents)} above the threshold ${formatCentsForTrail(above.thresholdCents)} (from ${above.thresholdFrom}), confirmed`
    : `lapses ${registration.lapsesOn}`;
  return { ...touch(c, now, by, 'ESP registration recorded', detail), espRegistration: registration };
}

/**
 * Issue 20: the scheduler marks the ESP lapse reminder as sent and writes it on the transcript
 * (`message`) in the same write, before it is delivered, so it goes out once whichever instance
 * runs the job, and a crash after the write leaves it to delivery recovery. CaseRuleError
 * 'already_done' when already marked; 'invalid' without a registration. Works on a closed case:
 * the reminder comes months after the case closed.
 */
export function markEspReminded(c: Case, now: Date, message: TranscriptEntry): Case {
  if (!c.espRegistration) throw new CaseRuleError('This case has no ESP registration.', 'invalid');
  if (c.espRegistration.remindedAt) throw new CaseRuleError('The ESP reminder was already sent.', 'already_done');
  return {
    ...touch(c, now, SCHEDULER, 'ESP reminder sent', `lapses ${c.espRegistration.lapsesOn}`),
    espRegistration: { ...c.espRegistration, remindedAt: now.toISOString() },
    transcript: [...(c.transcript ?? []), message],
  };
}
