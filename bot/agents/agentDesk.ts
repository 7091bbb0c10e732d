/**
 * The agents' desk: what the queue tab does to cases. Reads and checks who may act, applies the
 * lifecycle rules of domain/case.ts, writes with the case's ETag (re-reading and deciding again
 * when someone else wrote first), and publishes every change (bot/platform/flow/caseEvents.ts).
 */
import { randomUUID } from 'node:crypto';
import { mayChange, mayClaim, mayView, queueCategories, staffActor, worksCategory, type StaffIdentity } from '../domain/access.js';
import {
  addNote,
  botLineWantsTranslation,
  CaseRuleError,
  ChatWithOtherExpertError,
  claimCase,
  intakeAnswersWantingTranslation,
  markNoShow,
  recordView,
  releaseCase,
  resolveCase,
  setTranslation,
  transferCase,
  translateBotLines,
  translateIntakeAnswers,
  viewNeedsRecording,
  type Case,
  type EntryTranslation,
  type Outcome,
  type SummaryInLanguage,
} from '../domain/case.js';
import { claimOrder, languagesOf, type LanguagePreference } from '../domain/assignment.js';
import { localParts } from '../domain/calendar.js';
import { overdueFrom, preferenceAllows, referralForCase } from '../domain/followThrough.js';
import type { DutyRoster } from './dutyRoster.js';
import { normaliseReference } from '../domain/reference.js';
import { categoryByCode, type ServiceDefinition } from '../domain/serviceDefinition.js';
import { checkAccountNumber } from '../domain/validation.js';
import type { CaseStore, StoredCase } from '../platform/ports/caseStore.js';
import type { Clock } from '../platform/ports/clock.js';
import type { SearchAudit, SearchRecord } from '../platform/ports/searchAudit.js';
import type { QueueEventKind, WorkItem } from '../platform/ports/queueEvents.js';
import { CaseKeepsChangingError, changeCase, type CaseChange } from '../platform/flow/caseChanges.js';
import type { CaseEvents } from '../platform/flow/caseEvents.js';
import { DeskError, withOtherExpert } from '../platform/flow/errors.js';
import { ChatClaimKeepsChangingError, holdChat, type HeldChat } from '../platform/flow/chatClaim.js';
import type { ChatClaims } from '../platform/ports/chatClaims.js';
import { toCasePage, toMovedAway, toQueueItem, toSummary, toWorkItem } from './caseViews.js';
import { TranslationFailedError, type Translator } from '../platform/ports/translator.js';
import { errorLogger } from '../platform/log.js';
import { DEFAULT_LOCALE, localeOf } from '../messages/index.js';
import type { CaseMovedAway, CasePage, CaseSummary, QueueView } from '../platform/contract/tabApi.js';

/** Where a bot line's translation failing is logged (the reference and the error, never the text). */
const botLineLog = errorLogger('case-page');
/** Where a chat claim not given up is logged (the reference only; the next taker takes it over). */
const claimLog = errorLogger('claims');

/**
 * The case as this page shows it, with translations of its bot lines (`lines`, by entry id) and
 * intake answers (`answers`, by field name) not kept on it (nothing is written, nothing audited).
 */
function shownWith(c: Case, lines: ReadonlyMap<string, EntryTranslation>, answers: ReadonlyMap<string, EntryTranslation>): Case {
  return {
    ...c,
    transcript: (c.transcript ?? []).map((e) => (lines.has(e.id) ? { ...e, translation: lines.get(e.id)! } : e)),
    ...(answers.size ? { intakeTranslations: { ...c.intakeTranslations, ...Object.fromEntries(answers) } } : {}),
  };
}

/** Cases one queue read returns at most. */
const QUEUE_LIMIT = 200;
/** Earlier cases of an account shown on a case page. */
const HISTORY_LIMIT = 20;
/** After a lost claim race, the next case is picked at random among this many of the oldest. */
const CLAIM_SPREAD = 8;

/** A resolution as the tab submits it. */
export interface Resolution {
  outcome: Outcome;
  summary: string;
  dueDate?: string;
}

/** The desk service. */
/** How an action changes a case: who may, and the rule that makes the change. */
interface ChangeHow {
  allowed: (c: StoredCase) => ReturnType<typeof mayChange>;
  apply: (c: StoredCase, now: Date) => Case;
  conflictDetail?: (c: StoredCase) => Record<string, unknown>;
  /** The case as just read, saving the first read. */
  known?: StoredCase;
}

export class AgentDesk {
  constructor(
    readonly definition: ServiceDefinition,
    private readonly cases: CaseStore,
    /** Where every change is published; its listeners may write on the change (what the ratepayer is told with it). */
    private readonly events: CaseEvents,
    private readonly clock: Clock,
    /** Where every search is recorded (who searched for what, when); without it, searches are refused. */
    private readonly searchAudit?: SearchAudit,
    /** Who is on duty now (presence), for the language preference of claim-next (issue 16); without it, oldest first only. */
    private readonly team?: { presentAgents(): Promise<StaffIdentity[]> },
    /** Who is on duty (present), for the earlier expert's preference on reopened cases (issue 19). */
    private readonly roster?: DutyRoster,
    /** One expert per chat, race-proof (bot/platform/flow/chatClaim.ts); without it, the rule is checked on the cases as read only. */
    private readonly chatClaims?: ChatClaims,
  ) {}

  /**
   * What claim-next needs to prefer an agent who speaks the ratepayer's language (issue 16): who
   * is free (present, no case in progress). Read only when a waiting case is in another language
   * than English; undefined (oldest first) without presence or when it cannot be read.
   */
  private async languagePreference(waiting: readonly Case[]): Promise<LanguagePreference | undefined> {
    if (!this.team || !waiting.some((c) => c.language && c.language !== 'en')) return undefined;
    try {
      const [present, working] = await Promise.all([
        this.team.presentAgents(),
        this.cases.listInProgress(this.definition.programme.id, {}, QUEUE_LIMIT),
      ]);
      const busy = new Set(working.map((c) => c.assignedTo?.staffId));
      return {
        now: this.clock.now(),
        speaks: (staffId) => languagesOf(this.definition.staff, staffId),
        freeAgents: present.filter((a) => !busy.has(a.id)),
        waitLimitMinutes: (category) => categoryByCode(this.definition, category)?.waitLimitMinutes ?? 20,
      };
    } catch {
      // The preference is a nicety: without it the agent still gets the oldest case.
      return undefined;
    }
  }

  private get allCategories(): string[] {
    return this.definition.categories.map((c) => c.code);
  }

  /** The waiting cases of the person's categories, oldest first, and the cases being worked on. */
  async queueFor(staff: StaffIdentity): Promise<QueueView> {
    const categories = queueCategories(staff, this.allCategories);
    const programmeId = this.definition.programme.id;
    const [waiting, working] = await Promise.all([
      categories.length ? this.cases.listWaiting(programmeId, categories, QUEUE_LIMIT) : [],
      this.cases.listInProgress(programmeId, staff.role === 'supervisor' ? {} : { categories }, QUEUE_LIMIT),
    ]);
    const mineToo = staff.role === 'supervisor' ? [] : await this.cases.listInProgress(programmeId, { staffId: staff.id }, QUEUE_LIMIT);
    const workItems = [...working, ...mineToo.filter((m) => !working.some((w) => w.id === m.id))]
      .map((c) => toWorkItem(c, this.definition))
      .filter((w): w is WorkItem => !!w);
    return {
      categories: categories.map((code) => {
        const c = categoryByCode(this.definition, code)!;
        return { code, name: c.name, waitLimitMinutes: c.waitLimitMinutes };
      }),
      waiting: waiting.filter((c) => worksCategory(staff, c.category, c.region)).map((c) => toQueueItem(c, this.definition)),
      mine: workItems.filter((w) => w.assignedTo.staffId === staff.id),
      others: workItems.filter((w) => w.assignedTo.staffId !== staff.id),
      serverTime: this.clock.now().toISOString(),
    };
  }

  /**
   * Claims the oldest waiting case the person may take. A case whose ratepayer is talking with
   * another expert about another case of the same chat (one expert per chat, claim) is skipped,
   * not an error: it waits for that case to be done, and the next case is taken instead.
   */
  async claimNext(staff: StaffIdentity): Promise<CasePage> {
    const categories = queueCategories(staff, this.allCategories);
    let heldBack = 0;
    for (let round = 0; round < 3; round++) {
      const listed = await this.cases.listWaiting(this.definition.programme.id, categories, 20);
      const ordered = claimOrder(staff, listed, await this.languagePreference(listed));
      // A reopened case waits for its earlier expert while they are on duty (for a while).
      const now = this.clock.now();
      const present = ordered.some((c) => c.reopened?.preferred) && this.roster ? new Set((await this.roster.onDuty()).filter((a) => a.present).map((a) => a.staff.id)) : new Set<string>();
      const waiting = ordered.filter((c) => preferenceAllows(c, staff.id, present, now));
      if (waiting.length === 0) break;
      let lostARace = false;
      heldBack = 0;
      while (waiting.length > 0) {
        // The oldest first. After losing a race, one of the next few at random rather than the
        // next in line: the other agents who lost are all about to try the next in line.
        const pick = lostARace ? Math.floor(Math.random() * Math.min(waiting.length, CLAIM_SPREAD)) : 0;
        const [candidate] = waiting.splice(pick, 1);
        try {
          return await this.claim(staff, candidate!.id);
        } catch (error) {
          // Its ratepayer is with another expert in the same chat: it waits; the next one is taken.
          if (error instanceof DeskError && error.kind === 'ratepayer_with_other_expert') {
            heldBack++;
            continue;
          }
          // Someone else took it first.
          if (error instanceof DeskError && error.kind === 'conflict') {
            lostARace = true;
            continue;
          }
          throw error;
        }
      }
      // Only cases held back were left (none lost to a colleague): reading again would find the same ones.
      if (heldBack > 0 && !lostARace) break;
    }
    if (heldBack > 0)
      throw new DeskError(
        'queue_empty',
        `No case you can take is waiting: ${heldBack === 1 ? 'the one waiting is of a ratepayer' : `the ${heldBack} waiting are of ratepayers`} already talking with another expert in the same chat, and ${heldBack === 1 ? 'waits' : 'wait'} until that is done.`,
      );
    throw new DeskError('queue_empty', 'No case is waiting in your categories.');
  }

  /**
   * Claims one case; when someone else has it, says who. Refused (DeskError
   * 'ratepayer_with_other_expert', 409) while another case of the same chat is with another
   * expert (bot/domain/case.ts otherExpertInChat): the chat is held for the claimer first
   * (holdChat: its claim taken conditionally, then its cases read), and the claim is decided on
   * those cases and written with the case's ETag. Two experts clicking two cases of one chat at the
   * same instant: one gets it, the other is refused (the guarantee and its window: chatClaim.ts).
   */
  async claim(staff: StaffIdentity, reference: string): Promise<CasePage> {
    const id = this.reference(reference);
    const known = await this.cases.get(id);
    if (!known) throw new DeskError('not_found', `There is no case ${id}.`);
    const refusal = mayClaim(staff, known);
    if (refusal) throw DeskError.refused(refusal, this.definition);
    // A case no longer waiting is refused with who has it (change, below), holding nothing.
    const held: HeldChat = known.state === 'waiting' ? await this.holdChat(staff, known) : { sameChat: [], giveUp: async () => undefined };
    try {
      return await this.change(staff, id, 'case.claimed', {
        allowed: (c) => mayClaim(staff, c),
        apply: (c, now) => claimCase(c, now, staff, held.sameChat),
        conflictDetail: (c) => (c.assignedTo ? { assignedTo: c.assignedTo } : {}),
        known,
      });
    } catch (error) {
      // Not claimed: the chat is not held for a claim that was not made. (Claimed, but the answer
      // failed after the write: the case in progress keeps the chat by itself, as every taker reads it.)
      await held.giveUp().catch((e: unknown) => claimLog(`giving up the chat claim for ${id} failed`, e));
      throw error;
    }
  }

  /** holdChat (bot/platform/flow/chatClaim.ts), its refusals as the desk's coded errors. */
  private async holdChat(staff: StaffIdentity, c: StoredCase): Promise<HeldChat> {
    try {
      return await holdChat(this.chatClaims, this.cases, c, staff, this.clock.now(), 'claim');
    } catch (error) {
      if (error instanceof ChatWithOtherExpertError) {
        const { message, detail } = withOtherExpert(error.busy, this.definition);
        throw new DeskError('ratepayer_with_other_expert', message, detail);
      }
      if (error instanceof ChatClaimKeepsChangingError) throw new DeskError('conflict', error.message);
      throw error;
    }
  }

  /** Hands the case back to its queue, in its old place. */
  release(staff: StaffIdentity, reference: string, note?: string): Promise<CasePage> {
    return this.change(staff, reference, 'case.released', {
      allowed: (c) => mayChange(staff, c),
      apply: (c, now) => releaseCase(c, now, staffActor(staff), staff.role === 'supervisor', note),
    });
  }

  /**
   * Moves the case to another category's queue, keeping its wait, with a note saying why. An
   * expert who moves it out of their own categories may no longer see it (mayView): they get
   * where it went and nothing of the ratepayer's (CaseMovedAway), as the case page would refuse
   * them from now on; the tab closes the case.
   */
  async transfer(staff: StaffIdentity, reference: string, toCategory: string, note: string): Promise<CasePage | CaseMovedAway> {
    if (!categoryByCode(this.definition, toCategory))
      throw new DeskError('invalid', `There is no category "${toCategory}".`, { field: 'toCategory' });
    const moved = await this.changed(staff, reference, 'case.transferred', {
      allowed: (c) => mayChange(staff, c),
      apply: (c, now) => transferCase(c, now, staffActor(staff), categoryByCode(this.definition, toCategory)!, note, staff.role === 'supervisor'),
    });
    return mayView(staff, moved) ? toMovedAway(moved, this.definition) : this.page(moved, staff);
  }

  private summaryTranslator?: (c: Case, summary: string) => Promise<SummaryInLanguage>;

  /**
   * How a resolution's summary is put into the ratepayer's language (issue 16; the relay's
   * Translator, bot/service.ts: RelayService.translatedSummary): nothing when the ratepayer shares
   * the experts' language or the expert turned translation off; `untranslated` when translation
   * failed (the summary then goes as written, marked so).
   */
  translateSummariesWith(translate: (c: Case, summary: string) => Promise<SummaryInLanguage>): void {
    this.summaryTranslator = translate;
  }

  private botLineTranslator?: Translator;

  /**
   * The Translator (issue 16's port, bot/service.ts) that puts the bot's lines into the experts'
   * language where the transcript has no catalogue words for them (see casePage). None: such
   * lines are shown as written, marked untranslated.
   */
  translateBotLinesWith(translator: Translator): void {
    this.botLineTranslator = translator;
  }

  /**
   * The bot's lines of the case, and the ratepayer's free-text intake answers (the query), in the
   * experts' language for this person: a bot line where no catalogue words were kept with it
   * (TranscriptEntry.translation), an answer that has none kept (Case.intakeTranslations;
   * tester 7, finding 3). Each is machine-translated once and kept on the case (translateBotLines,
   * translateIntakeAnswers, on the audit trail), so later views, this person's or another's, ask
   * nothing. Nothing is asked when the person speaks the case's language (the definition's
   * staff[].languages), the case is in the experts' language, or the expert turned translation
   * off. A failure is kept too, marked, and tried again on a view BOT_LINE_RETRY_MS later. Never
   * throws for the translation: the page shows the originals. The back office's referral page
   * shows a case through it too (bot/service.ts), so both read the same conversation.
   */
  async withBotLinesTranslated(c: Case | StoredCase, staff: StaffIdentity): Promise<Case> {
    const from = localeOf(c);
    const to = DEFAULT_LOCALE;
    if (from === to || c.translationOff || languagesOf(this.definition.staff, staff.id).includes(from)) return c;
    const now = this.clock.now();
    // The query first: it is what the expert reads first.
    const wanted: { kind: 'answer' | 'line'; key: string; text: string }[] = [
      ...intakeAnswersWantingTranslation(c, from, to, now).map((name) => ({ kind: 'answer' as const, key: name, text: String(c.intake[name]) })),
      ...(c.transcript ?? []).filter((e) => botLineWantsTranslation(e, from, to, now)).map((e) => ({ kind: 'line' as const, key: e.id, text: e.text })),
    ];
    if (!wanted.length) return c;
    const lines = new Map<string, EntryTranslation>();
    const answers = new Map<string, EntryTranslation>();
    const resultsOf = (w: (typeof wanted)[number]) => (w.kind === 'line' ? lines : answers);
    const at = now.toISOString();
    const translator = this.botLineTranslator;
    if (!translator) {
      // Nothing left the service: shown marked, nothing kept.
      for (const w of wanted) resultsOf(w).set(w.key, { status: 'failed', from, to, reason: 'machine translation is not set up for this service', at });
      return shownWith(c, lines, answers);
    }
    for (const w of wanted) {
      try {
        resultsOf(w).set(w.key, { status: 'translated', from, to, text: (await translator.translate(w.text, from, to)).text });
      } catch (error) {
        // The reference only: the text is the ratepayer's business (POPIA).
        if (w.kind === 'line') botLineLog(`translating a bot line on ${c.id} failed`, error);
        else botLineLog(`translating an intake answer on ${c.id} failed`, error);
        const reason = error instanceof TranslationFailedError ? error.reason : 'the translation could not be made';
        // One failure is enough for this view: the service is likely down for the others too.
        for (const rest of wanted) if (!resultsOf(rest).has(rest.key)) resultsOf(rest).set(rest.key, { status: 'failed', from, to, reason, at });
        break;
      }
    }
    // The answers as they were translated: one changed meanwhile keeps no translation of the old words.
    const sources = new Map(wanted.filter((w) => w.kind === 'answer').map((w) => [w.key, w.text]));
    const keep = (current: Case): Case | undefined => {
      const withLines = lines.size ? translateBotLines(current, now, staffActor(staff), lines) : undefined;
      const withAnswers = answers.size ? translateIntakeAnswers(withLines ?? current, now, staffActor(staff), answers, sources) : undefined;
      return withAnswers ?? withLines;
    };
    try {
      const kept = await changeCase(this.cases, c.id, keep, { ...('etag' in c ? { known: c } : {}), attempts: 3 });
      if (kept.kind === 'saved') return kept.saved;
      if (kept.kind === 'unchanged') return kept.current;
    } catch (error) {
      botLineLog(`keeping translations for staff on ${c.id} failed`, error);
    }
    // Not kept (the case kept changing): shown this time, asked again next time.
    return shownWith(c, lines, answers);
  }

  /** Closes the case with an outcome and a summary (translated for the ratepayer where it can be). */
  async resolve(staff: StaffIdentity, reference: string, resolution: Resolution): Promise<CasePage> {
    const current = this.summaryTranslator ? await this.cases.get(this.reference(reference)) : undefined;
    const inLanguage = current && this.summaryTranslator ? await this.summaryTranslator(current, resolution.summary) : {};
    const outcome = { kind: resolution.outcome, summary: resolution.summary, ...inLanguage };
    if (resolution.dueDate && resolution.outcome !== 'referred_back_office')
      throw new DeskError('invalid', 'Only a referral to the back office has a due date.', { field: 'dueDate' });
    return this.change(staff, reference, 'case.resolved', {
      allowed: (c) => mayChange(staff, c),
      apply: (c, now) => {
        // Issue 19: the owner team and due date come from the definition (issue 20: an open dispute's
        // investigation deadline); an expert may name an earlier date.
        const referral = resolution.outcome === 'referred_back_office' ? referralForCase(this.definition, c, now) : undefined;
        if (referral && resolution.dueDate) {
          if (resolution.dueDate < localParts(now, this.definition.timeZone).date)
            throw new DeskError('invalid', 'The due date is in the past.', { field: 'dueDate' });
          if (resolution.dueDate > referral.dueDate)
            throw new DeskError('invalid', `${referral.subject.startsWith('dispute ') ? "The dispute's investigation is due" : "The programme's response time for this category ends"} on ${referral.dueDate}: choose that date or an earlier one.`, { field: 'dueDate' });
          Object.assign(referral, { dueDate: resolution.dueDate, dueAt: overdueFrom(resolution.dueDate, this.definition.timeZone).toISOString() });
        }
        return resolveCase(c, now, staffActor(staff), outcome, this.definition.limits.retentionDays, staff.role === 'supervisor', referral);
      },
    });
  }

  /** Closes the case as a no-show: the ratepayer did not answer in time after being connected. */
  noShow(staff: StaffIdentity, reference: string): Promise<CasePage> {
    return this.change(staff, reference, 'case.no_show', {
      allowed: (c) => mayChange(staff, c),
      apply: (c, now) => markNoShow(c, now, staffActor(staff), this.definition.limits, staff.role === 'supervisor'),
    });
  }

  /**
   * Turns machine translation off for the case (the expert speaks the ratepayer's language) or on
   * again (issue 16): the assignee or a supervisor, while the case is open; on the audit trail.
   */
  translation(staff: StaffIdentity, reference: string, on: boolean): Promise<CasePage> {
    return this.change(staff, reference, 'case.updated', {
      allowed: (c) => mayChange(staff, c),
      apply: (c, now) => setTranslation(c, now, staffActor(staff), on),
    });
  }

  /** Keeps an internal note on the case. */
  note(staff: StaffIdentity, reference: string, text: string): Promise<CasePage> {
    return this.change(staff, reference, 'case.noted', {
      allowed: (c) => mayChange(staff, c),
      apply: (c, now) => addNote(c, now, staffActor(staff), text),
    });
  }

  /**
   * Applies another lifecycle rule to a case the person may change, with the same checks, ETag
   * retry and publication as the actions above (issue 20: bot/agents/cityRulesDesk.ts).
   */
  applyRule(staff: StaffIdentity, reference: string, kind: QueueEventKind, apply: (c: Case, now: Date) => Case): Promise<CasePage> {
    return this.change(staff, reference, kind, { allowed: (c) => mayChange(staff, c), apply });
  }

  /** The case page; the view is recorded on the case (at most once per person per ten minutes). */
  async casePage(staff: StaffIdentity, reference: string): Promise<CasePage> {
    const id = this.reference(reference);
    const result = await changeCase(this.cases, id, (c) => {
      const refusal = mayView(staff, c);
      if (refusal) throw DeskError.refused(refusal, this.definition);
      const now = this.clock.now();
      const actor = staffActor(staff);
      return viewNeedsRecording(c, now, actor) ? recordView(c, now, actor) : undefined;
    }).catch((error: unknown) => {
      if (error instanceof CaseKeepsChangingError) throw new DeskError('conflict', error.message);
      throw error;
    });
    if (result.kind === 'missing') throw new DeskError('not_found', `There is no case ${id}.`);
    return this.page(result.kind === 'saved' ? result.saved : result.current, staff);
  }

  /**
   * Finds cases by reference or by account number: summaries only (no personal details), and
   * only restricted lines for cases outside the person's categories. Every search is recorded on
   * the search audit trail before it is answered; if the record cannot be written, the search
   * fails (a store error), so no search goes unrecorded.
   */
  async search(staff: StaffIdentity, query: { reference?: string; accountNumber?: string }): Promise<CaseSummary[]> {
    let found: Case[];
    let recorded: SearchRecord['query'];
    if (query.reference !== undefined) {
      const id = normaliseReference(query.reference);
      if (!id) throw new DeskError('invalid', 'A case reference has six letters and digits, like K7M-3PQ.', { field: 'reference' });
      const c = await this.cases.get(id);
      found = c ? [c] : [];
      recorded = { reference: id };
    } else if (query.accountNumber !== undefined) {
      const checked = checkAccountNumber(query.accountNumber);
      if (!checked.ok) throw new DeskError('invalid', 'An account number has 9 digits.', { field: 'account' });
      found = await this.cases.listByAccount(checked.value, 50);
      recorded = { accountNumber: checked.value };
    } else {
      throw new DeskError('invalid', 'Search by reference or by account number.', { field: 'reference' });
    }
    if (!this.searchAudit) throw new Error('searches cannot be answered: no search audit trail is configured');
    await this.searchAudit.record({
      id: randomUUID(),
      programmeId: this.definition.programme.id,
      at: this.clock.now().toISOString(),
      by: { id: staff.id, name: staff.name, role: staff.role },
      query: recorded,
      found: found.length,
    });
    return found.map((c) => toSummary(c, this.definition, staff));
  }

  private reference(input: string): string {
    const id = normaliseReference(input);
    if (!id) throw new DeskError('invalid', `"${input.slice(0, 20)}" is not a case reference (six letters and digits, like K7M-3PQ).`, { field: 'reference' });
    return id;
  }

  /** The case page for the person, the bot's lines in their language first (withBotLinesTranslated). */
  private async page(shown: Case | StoredCase, staff: StaffIdentity): Promise<CasePage> {
    const c = await this.withBotLinesTranslated(shown, staff);
    const [history, earlier, later] = await Promise.all([
      c.accountNumber ? this.cases.listByAccount(c.accountNumber, HISTORY_LIMIT + 1) : [],
      // Issue 19: the case this one follows, and those that follow it (a deleted one is left out).
      c.follows ? this.cases.get(c.follows) : undefined,
      Promise.all((c.followedBy ?? []).map((id) => this.cases.get(id))),
    ]);
    return toCasePage(c, history, this.definition, staff, { ...(earlier ? { earlier } : {}), later: later.filter((l): l is NonNullable<typeof l> => !!l) });
  }

  /**
   * Reads, checks the person may act, applies the rule and writes with the ETag; when the case
   * changed in between, reads it again and decides again (so of twenty simultaneous claims one
   * wins and the others see who has it).
   */
  private async change(
    staff: StaffIdentity,
    reference: string,
    kind: QueueEventKind,
    how: ChangeHow,
  ): Promise<CasePage> {
    return this.page(await this.changed(staff, reference, kind, how), staff);
  }

  /** change's read-decide-write and publication; the case as saved (or as it was, when unchanged). */
  private async changed(
    staff: StaffIdentity,
    reference: string,
    kind: QueueEventKind,
    how: ChangeHow,
  ): Promise<StoredCase> {
    const id = this.reference(reference);
    let result: CaseChange;
    try {
      result = await changeCase(this.cases, id, (current) => {
        const refusal = how.allowed(current);
        if (refusal) throw DeskError.refused(refusal, this.definition);
        try {
          const now = this.clock.now();
          return this.events.withOutbox(kind, how.apply(current, now), now);
        } catch (error) {
          if (!(error instanceof CaseRuleError)) throw error;
          if (error instanceof ChatWithOtherExpertError) {
            const { message, detail } = withOtherExpert(error.busy, this.definition);
            throw new DeskError('ratepayer_with_other_expert', message, detail);
          }
          if (error.reason === 'invalid') throw new DeskError('invalid', error.message);
          if (error.reason === 'not_assignee') throw new DeskError('forbidden', error.message, { reason: 'someone_elses_case' });
          throw new DeskError('conflict', error.message, { state: current.state, ...(how.conflictDetail?.(current) ?? {}) });
        }
      }, how.known ? { known: how.known } : {});
    } catch (error) {
      if (error instanceof CaseKeepsChangingError) throw new DeskError('conflict', error.message);
      throw error;
    }
    if (result.kind === 'missing') throw new DeskError('not_found', `There is no case ${id}.`);
    if (result.kind === 'unchanged') return result.current;
    await this.events.publish({
      kind,
      before: result.before,
      after: result.saved,
      by: { kind: 'staff', id: staff.id, name: staff.name, role: staff.role },
    });
    return result.saved;
  }
}
