/**
 * Intake: greeting a ratepayer for a category, telling them about sessions, checking their
 * card, and queuing exactly one case per card submission.
 */
import { nextSessionAfter, openSessionAt, type SessionSlot } from '../domain/calendar.js';
import { addAskedDetails, CaseRuleError, cancelCase, changeLanguage, changedIntakeFields, noteFromRatepayer, openCase, queuedWithPlace, ratepayerActor, updateIntake, type Case, type RatepayerIdentity, type TranscriptEntry } from '../domain/case.js';
import { randomUUID } from 'node:crypto';
import { detailsSentLines } from '../platform/cards/ratepayerCards.js';
import { detailsAddedWords } from './features/moreDetails.js';
import { matchCategory } from '../domain/categoryMatch.js';
import { checkIntake, intakeContextOf } from '../domain/intakeForm.js';
import { carriedAnswers, type IntakeFieldName } from '../domain/intakeFields.js';
import { askedFieldsOf } from '../domain/transferDetails.js';
import { normaliseReference, referenceFromSeed } from '../domain/reference.js';
import { linkFollowingCase, mayFollow } from '../domain/followThrough.js';
import { UNNAMED } from './turn.js';
import { routeFor } from '../domain/supplier.js';
import { categoryByCode, type Category, type ServiceDefinition } from '../domain/serviceDefinition.js';
import type { CaseStore, StoredCase } from '../platform/ports/caseStore.js';
import type { StoredConversation } from '../platform/ports/conversationStore.js';
import { CaseKeepsChangingError, changeCase, type CaseChange } from '../platform/flow/caseChanges.js';
import type { Clock } from '../platform/ports/clock.js';
import type { ConversationCases } from './conversationCases.js';
import type { CaseEvents } from '../platform/flow/caseEvents.js';
import type { Place, QueueService } from './queue.js';
import type { Message } from '../domain/message.js';
import { DEFAULT_LOCALE, localeOf, type Locale } from '../messages/index.js';
import { caseWithExpert, limitsApplyTo, refuseOpenCase, type OpenCaseRefusal } from '../domain/openCaseLimits.js';
import type { OpenCaseClaims } from '../platform/ports/openCaseClaims.js';

/** Attempts at a free reference before giving up (a clash is ~1 in a million per attempt). */
const REFERENCE_ATTEMPTS = 8;

/**
 * How long an open-case claim whose case the store does not show open still counts as held: the
 * form holding it may be between its claim and its save (seconds, a slow Cosmos write included).
 */
const CLAIM_SETTLE_MS = 60_000;

/** Whether the ratepayer can be served now, later, or not at all. */
export interface SessionNews {
  open?: SessionSlot;
  next?: SessionSlot;
}

/** A queued case and where it stands. */
export interface QueuedCase {
  case: StoredCase;
  place: Place;
  session: SessionSlot | undefined;
}

/** The answer to a card submission. */
export type SubmitResult =
  | { kind: 'queued'; queued: QueuedCase }
  /**
   * The same card again. `changed`: the fields whose answers differ from the case's. `updated`:
   * they were saved on the waiting case (else the case is with an expert, or closed).
   */
  | { kind: 'duplicate'; queued: QueuedCase; changed: IntakeFieldName[]; updated: boolean }
  /**
   * The same card again, while its case waits, with another municipal account number than the
   * case's: not taken as a correction (an old form still open higher up the chat, filled in for
   * another account, replaced the waiting case's query without a word: tester 7, finding 9). The
   * case stays as it is; `typed`: what the card carried, as typed, for a form of its own.
   */
  | { kind: 'another_account'; queued: QueuedCase; category: Category; typed: Record<string, string> }
  /** A card sent to another conversation: refused without a word about its case. */
  | { kind: 'foreign' }
  /** `typed`: what the card carries back; `cut`: fields too long for it to carry whole (see bot/domain/intakeForm.ts). */
  | { kind: 'invalid'; category: Category; errors: Partial<Record<IntakeFieldName, Message>>; typed: Record<string, string>; cut: IntakeFieldName[] }
  | { kind: 'unknown_category' }
  /** Issue 20: the supplier the ratepayer chose is not the City's to help with (Eskom-direct): not queued; `text` says where to go. */
  /** Not queued: `supplierId`'s words (in the ratepayer's language: supplierWordsIn) say where to go instead; `supplier` and `text` are the definition's English. */
  | { kind: 'elsewhere'; category: Category; supplier: string; text: string; supplierId: string }
  /** Refused by the open-case limits (bot/domain/openCaseLimits.ts): nothing about the other case is said. */
  | { kind: 'limited'; category: Category; why: OpenCaseRefusal }
  | { kind: 'no_session'; category: Category };

/**
 * The answer to the details asked after a transfer (addDetails). `invalid`: an error per wrong
 * field and what was typed (nothing lost); `closed`, `not_needed` (answered already, or no longer
 * asked): nothing changed; `not_found`: no such case in this chat.
 */
export type DetailsResult =
  | { kind: 'added'; case: StoredCase; fields: IntakeFieldName[] }
  | { kind: 'invalid'; case: StoredCase; errors: Partial<Record<IntakeFieldName, Message>>; typed: Record<string, string>; cut: IntakeFieldName[] }
  | { kind: 'closed' | 'not_needed'; case: StoredCase }
  | { kind: 'not_found' };

/** A card submission as the bot received it. */
export interface Submission {
  category: string;
  draftId: string;
  values: unknown;
  ratepayer: RatepayerIdentity;
  /** Where to reach the ratepayer later (kept with the cases noted on the conversation). */
  conversation: StoredConversation;
  /** The ratepayer's language for this turn (a catalogue code), recorded on the case. */
  language?: Locale;
}

/** The intake service. */
export class IntakeService {
  private sessionsThisMinute: { minute: number; news: SessionNews } | undefined;

  constructor(
    readonly definition: ServiceDefinition,
    private readonly cases: CaseStore,
    private readonly conversationCases: ConversationCases,
    private readonly queue: QueueService,
    private readonly clock: Clock,
    /** Where queued, corrected and cancelled cases are published (the agents' tabs). */
    private readonly events: CaseEvents,
    /** One open case per mobile number and category, race-proof (bot/platform/ports/openCaseClaims.ts); none: the query check only. */
    private readonly claims?: OpenCaseClaims,
    /**
     * Whether the web chat's ratepayers are texted when an expert is ready and when the case is
     * resolved (bot/ratepayers/smsNotices.ts): the intake form's notice then says so.
     */
    readonly textsWebChat = false,
  ) {}

  /** The region a ratepayer is served in; a programme with one region needs no question. */
  get region(): string | undefined {
    return this.definition.regions.length === 1 ? this.definition.regions[0]?.code : undefined;
  }

  /** The category the text names, if any. */
  categoryFor(text: string): Category | undefined {
    return categoryByCode(this.definition, text.trim().toLowerCase()) ?? matchCategory(this.definition.categories, text);
  }

  /** The session open now and, when none is, the next one. */
  sessions(): SessionNews {
    const now = this.clock.now();
    // Sessions start and end on whole minutes, so within a minute the answer cannot change; a
    // turn asks several times (the card, the check, the reply) and the calendar's arithmetic is not free.
    const minute = Math.floor(now.getTime() / 60_000);
    if (this.sessionsThisMinute?.minute === minute) return this.sessionsThisMinute.news;
    const open = openSessionAt(this.definition, now, this.region);
    const next = open ? undefined : nextSessionAfter(this.definition, now, this.region);
    const news: SessionNews = open ? { open } : next ? { next } : {};
    this.sessionsThisMinute = { minute, news };
    return news;
  }

  /** Checks a card and queues its case once, however often the same card arrives. */
  async submit(submission: Submission): Promise<SubmitResult> {
    const category = categoryByCode(this.definition, submission.category);
    if (!category) return { kind: 'unknown_category' };
    const checked = checkIntake(category, submission.values, intakeContextOf(this.definition));
    if (!checked.ok) return { kind: 'invalid', category, errors: checked.errors, typed: checked.typed, cut: checked.cut };
    // Issue 20: who bills the meter decides whose experts take the case, or that the City cannot help.
    const route = routeFor(this.definition.rules, typeof checked.values.supplier === 'string' ? checked.values.supplier : undefined, category.code);
    if (route.kind === 'elsewhere') return { kind: 'elsewhere', category, supplier: route.supplier, text: route.text, supplierId: route.id };
    const { open, next } = this.sessions();
    const session = open ?? next;
    if (!session) return { kind: 'no_session', category };
    const why = await this.refusal(submission, category, checked.values);
    if (why) return { kind: 'limited', category, why };
    // The query above cannot see a form saved at the same moment; the claim can (one wins).
    if (!(await this.claimOpenCase(submission, route.category, checked.values))) return { kind: 'limited', category, why: 'same_number_open' };
    const follows = await this.earlierToFollow(submission);

    for (let attempt = 0; attempt < REFERENCE_ATTEMPTS; attempt++) {
      const candidate = openCase({
        reference: referenceFromSeed(submission.draftId, attempt),
        programmeId: this.definition.programme.id,
        category: route.category,
        ...(this.region ? { region: this.region } : {}),
        sessionId: session.id,
        draftId: submission.draftId,
        // A channel that gives no name (the public web chat): the account holder's name from the form, for the expert to address them by.
        ratepayer: submission.ratepayer.displayName === UNNAMED && typeof checked.values.accountHolder === 'string' && checked.values.accountHolder ? { ...submission.ratepayer, displayName: checked.values.accountHolder } : submission.ratepayer,
        intake: checked.values,
        ...(submission.language ? { language: submission.language } : {}),
        ...(follows ? { follows } : {}),
        now: this.clock.now(),
      });
      // Counted before the case is saved (the cases ahead of it are those with earlier keys), so
      // the place the ratepayer is shown, the baseline for later "you moved up" updates, is
      // saved with the case instead of in a second write.
      const [place] = await Promise.all([this.queue.placeOf(candidate), this.conversationCases.opening(submission.conversation, candidate.id)]);
      const result = await this.cases.create(queuedWithPlace(candidate, place, this.clock.now()));
      if (result.created) {
        await this.linkEarlier(result.case, submission.ratepayer);
        await this.announce('case.queued', result.case);
        return { kind: 'queued', queued: { case: result.case, place, session: this.sessionOf(result.case) } };
      }
      // The same card again (a double click, Teams retrying the activity, or a correction): one case only.
      if (result.existing.draftId === submission.draftId) {
        // A card is bound to the chat it was sent to: from any other, its case is none of the sender's business.
        if (result.existing.ratepayer.conversationId !== submission.ratepayer.conversationId) return { kind: 'foreign' };
        // The first try may have stopped between saving the case and linking the earlier one.
        await this.linkEarlier(result.existing, submission.ratepayer);
        const changed = changedIntakeFields(result.existing.intake, checked.values) as IntakeFieldName[];
        if (changed.includes('accountNumber') && result.existing.intake.accountNumber && result.existing.state === 'waiting') {
          return { kind: 'another_account', queued: await this.describe(result.existing), category, typed: typedOn(category, submission.values) };
        }
        if (changed.length && result.existing.state === 'waiting') {
          const updated = await this.correct(result.existing, submission.ratepayer, checked.values);
          if (updated) return { kind: 'duplicate', queued: await this.describe(updated), changed, updated: true };
        }
        // The first try may have stopped (a crash, a timeout) between saving the case and telling
        // the tabs: tell them again. Tabs ignore an event for a version they already have.
        if (result.existing.state === 'waiting') await this.announce('case.queued', result.existing);
        return { kind: 'duplicate', queued: await this.describe(result.existing), changed, updated: false };
      }
    }
    throw new Error(`No free case reference after ${REFERENCE_ATTEMPTS} attempts`);
  }

  /**
   * The earlier case a new case follows (issue 19): the form offered after the reopen period
   * carries its reference (`values.follows`); it counts only for a finished case of the same chat
   * (mayFollow), otherwise the new case opens unlinked (the form is the ratepayer's, the link is not
   * something they typed).
   */
  private async earlierToFollow(submission: Submission): Promise<string | undefined> {
    const raw = (submission.values as Record<string, unknown> | null)?.follows;
    const id = typeof raw === 'string' && raw ? normaliseReference(raw) : undefined;
    const earlier = id ? await this.cases.get(id) : undefined;
    return earlier && mayFollow(earlier, submission.ratepayer.conversationId) ? earlier.id : undefined;
  }

  /**
   * One read-decide-write of a case through the lifecycle (changeCase); a case that keeps changing
   * under every attempt (CaseKeepsChangingError) is answered as missing, as if it had gone: each
   * caller says what that means for the ratepayer, rather than failing the turn.
   */
  private change(id: string, decide: (current: StoredCase) => Case | undefined, options?: { known?: StoredCase; attempts?: number }): Promise<CaseChange> {
    return changeCase(this.cases, id, decide, options).catch((error: unknown) => {
      if (error instanceof CaseKeepsChangingError) return { kind: 'missing' as const };
      throw error;
    });
  }

  /** Records on the earlier case, through the lifecycle, that `later` follows it; once. */
  private async linkEarlier(later: Case, ratepayer: RatepayerIdentity): Promise<void> {
    if (!later.follows) return;
    const result = await this.change(later.follows, (current) => {
      const linked = linkFollowingCase(current, this.clock.now(), ratepayerActor(ratepayer), later.id);
      return linked === current ? undefined : linked;
    });
    if (result.kind === 'saved') await this.announce('case.updated', result.saved);
  }

  /**
   * Saves the ratepayer's corrected answers on their waiting case, through the lifecycle (its
   * audit trail names the fields), and tells the tabs. Undefined when the case stopped waiting
   * meanwhile (an expert claimed it): then the correction is for the expert, in the chat.
   */
  private async correct(c: StoredCase, ratepayer: RatepayerIdentity, values: Case['intake']): Promise<StoredCase | undefined> {
    const result = await this.change(
      c.id,
      (current) =>
        current.state === 'waiting' && changedIntakeFields(current.intake, values).length
          ? updateIntake(current, this.clock.now(), ratepayerActor(ratepayer), values)
          : undefined,
      { known: c, attempts: 5 },
    );
    if (result.kind !== 'saved') return undefined;
    await this.announce('case.updated', result.saved);
    return result.saved;
  }

  /**
   * The ratepayer answers the details asked after a transfer (`values.reference`: the case; the
   * asked fields' answers). Checked by the intake's own rules (checkIntake over exactly the asked
   * fields, all required), then added to the intake through the lifecycle (addAskedDetails, an
   * audit entry by the ratepayer) and published so the tabs update. A case of another chat is
   * `not_found`; a closed case or one with nothing asked changes nothing.
   */
  async addDetails(conversationId: string, ratepayer: RatepayerIdentity, values: Record<string, unknown>): Promise<DetailsResult> {
    const id = typeof values.reference === 'string' ? normaliseReference(values.reference) : undefined;
    const c = id ? await this.cases.get(id) : undefined;
    if (!c || c.ratepayer.conversationId !== conversationId) return { kind: 'not_found' };
    let outcome: DetailsResult | undefined;
    // What the decision found when it leaves the case as it is (nothing written).
    const refuse = (found: DetailsResult): undefined => {
      outcome = found;
      return undefined;
    };
    const result = await this.change(
      c.id,
      (current) => {
        if (current.ratepayer.conversationId !== conversationId) return refuse({ kind: 'not_found' });
        if (current.state !== 'waiting' && current.state !== 'in_progress') return refuse({ kind: 'closed', case: current });
        const asked = current.detailsAsked;
        const category = asked ? categoryByCode(this.definition, asked.category) : undefined;
        if (!asked || !category) return refuse({ kind: 'not_needed', case: current });
        const checked = checkIntake(askedFieldsOf(category, asked.fields), values, intakeContextOf(this.definition));
        if (!checked.ok) return refuse({ kind: 'invalid', case: current, errors: checked.errors, typed: checked.typed, cut: checked.cut });
        try {
          const now = this.clock.now();
          const added = addAskedDetails(
            current,
            now,
            ratepayerActor(ratepayer),
            checked.values,
            this.detailsSentLine(current, asked.fields, checked.values, now),
            this.detailsAddedLine(current, asked.fields, now),
          );
          outcome = { kind: 'added', case: current, fields: asked.fields };
          return added;
        } catch (error) {
          if (!(error instanceof CaseRuleError)) throw error;
          return refuse({ kind: error.reason === 'closed' ? 'closed' : 'not_needed', case: current });
        }
      },
      { known: c, attempts: 5 },
    );
    if (result.kind === 'saved') {
      await this.announce('case.updated', result.saved);
      return { kind: 'added', case: result.saved, fields: outcome?.kind === 'added' ? outcome.fields : [] };
    }
    return outcome ?? { kind: 'not_found' };
  }

  /**
   * The ratepayer's transcript line for the details they sent: "Label: value" lines in their
   * language (what they filled in, as the form named it), with the same lines from the catalogue
   * in the experts' language kept as its `catalogue` translation (field labels and choices in
   * English, never codes; an ID number masked). Values they typed are as typed in both.
   */
  private detailsSentLine(c: Case, fields: readonly IntakeFieldName[], values: Readonly<Record<string, string | number>>, now: Date): TranscriptEntry {
    const locale = localeOf(c);
    const text = detailsSentLines(this.definition, values, fields, locale);
    return {
      id: randomUUID(),
      at: now.toISOString(),
      from: 'ratepayer',
      author: c.ratepayer.displayName,
      text,
      ...(locale !== DEFAULT_LOCALE
        ? { translation: { status: 'catalogue' as const, from: locale, to: DEFAULT_LOCALE, text: detailsSentLines(this.definition, values, fields, DEFAULT_LOCALE) } }
        : {}),
    };
  }

  /**
   * The bot's answer to the details, for the transcript, as the turn's reply says it
   * (answerMoreDetails): in the ratepayer's language, with the catalogue's words in the experts'
   * as its `catalogue` translation. No `sender`: the turn's reply delivers it, so delivery recovery
   * (which resends what lost its named sender) leaves it alone.
   */
  private detailsAddedLine(c: Case, fields: readonly IntakeFieldName[], now: Date): TranscriptEntry {
    const locale = localeOf(c);
    return {
      id: randomUUID(),
      at: now.toISOString(),
      from: 'system',
      author: this.definition.programme.name,
      text: detailsAddedWords(locale, fields, c.id),
      ...(locale !== DEFAULT_LOCALE ? { translation: { status: 'catalogue' as const, from: locale, to: DEFAULT_LOCALE, text: detailsAddedWords(DEFAULT_LOCALE, fields, c.id) } } : {}),
    };
  }

  /**
   * Records a newly chosen language on the conversation's open cases (issue 16), through the
   * lifecycle, so messages sent outside a turn (place updates, connected, summary) use it; the
   * tabs are told (the expert sees the language). Closed cases keep theirs.
   */
  async changeLanguage(conversationId: string, ratepayer: RatepayerIdentity, language: Locale): Promise<void> {
    for (const c of await this.conversationCases.openCasesOf(conversationId)) {
      const result = await this.change(
        c.id,
        (current) => {
          const changed = changeLanguage(current, this.clock.now(), ratepayerActor(ratepayer), language);
          return changed === current ? undefined : changed;
        },
        { known: c, attempts: 5 },
      );
      if (result.kind === 'saved') await this.announce('case.updated', result.saved);
    }
  }

  /**
   * Claims "one open case per mobile number and category" for this form (forms from the open
   * doors with a mobile number; bot/platform/ports/openCaseClaims.ts); false when another form
   * holds it: its case is open, or it is younger than CLAIM_SETTLE_MS (still being saved). A
   * claim whose case closed without giving it up is taken over, conditionally on its version.
   */
  private async claimOpenCase(submission: Submission, category: string, values: Case['intake']): Promise<boolean> {
    const mobile = typeof values.mobile === 'string' ? values.mobile : undefined;
    if (!this.claims || !mobile || !limitsApplyTo(submission.ratepayer.channelId)) return true;
    const key = { programmeId: this.definition.programme.id, category, mobile };
    const now = this.clock.now();
    const result = await this.claims.claim(key, submission.draftId, now);
    if (result.claimed || result.current.holder === submission.draftId) return true;
    if (now.getTime() - Date.parse(result.current.claimedAt) < CLAIM_SETTLE_MS) return false;
    const open = await this.cases.listOpenByMobile(key.programmeId, category, mobile, 5);
    if (open.some((c) => c.draftId === result.current.holder)) return false;
    return this.claims.takeOver(key, submission.draftId, now, result.current);
  }

  /** Whether the open-case limits refuse this form (bot/domain/openCaseLimits.ts): the friendly first check; claimOpenCase is the race-proof one. */
  private async refusal(submission: Submission, category: Category, values: Case['intake']): Promise<OpenCaseRefusal | undefined> {
    const limited = limitsApplyTo(submission.ratepayer.channelId);
    const mobile = typeof values.mobile === 'string' ? values.mobile : undefined;
    const [inConversation, sameNumber] = await Promise.all([
      this.conversationCases.openCasesOf(submission.ratepayer.conversationId),
      limited && mobile ? this.cases.listOpenByMobile(this.definition.programme.id, category.code, mobile, 5) : Promise.resolve([]),
    ]);
    // Every channel: no second case while an expert is talking to them in this chat.
    if (caseWithExpert(inConversation, submission.draftId)) return 'with_expert';
    return limited ? refuseOpenCase(submission.draftId, inConversation, sameNumber) : undefined;
  }

  /** The case of this chat an expert is talking to the ratepayer about, if any (bot/domain/openCaseLimits.ts caseWithExpert). */
  async caseWithExpert(conversationId: string): Promise<StoredCase | undefined> {
    return caseWithExpert(await this.conversationCases.openCasesOf(conversationId));
  }

  /**
   * What a new form for `category` in this conversation starts with (carriedAnswers,
   * bot/domain/intakeFields.ts): the shared answers of the conversation's latest noted case
   * (ConversationCases.latestOf: open, or closed and not yet forgotten, which the conversation's
   * next read of its open cases does); empty for a conversation without one, at no request of its
   * own. Only this conversation's cases: never another chat's, whatever number or account they share.
   */
  async carriedAnswers(conversationId: string, category: Category): Promise<Record<string, string>> {
    const latest = await this.conversationCases.latestOf(conversationId);
    return latest ? carriedAnswers(latest.intake, category.fields) : {};
  }

  /**
   * The ratepayer's open cases in this conversation and where each stands: those in a queue or
   * with an expert, then those referred to the back office and not yet done (tester 11, finding 4:
   * the City still owes an answer on them), the latest referred first.
   */
  async status(conversationId: string): Promise<QueuedCase[]> {
    const [open, referred] = await Promise.all([this.conversationCases.openCasesOf(conversationId), this.conversationCases.openReferralsOf(conversationId)]);
    return Promise.all([...open, ...referred].map((c) => this.describe(c)));
  }

  /** The conversation's cases referred to the back office and not yet done, the latest referred first (ConversationCases.openReferralsOf). */
  openReferrals(conversationId: string): Promise<StoredCase[]> {
    return this.conversationCases.openReferralsOf(conversationId);
  }

  /**
   * Keeps what the ratepayer wrote on the open referral `caseId` of this conversation, for the
   * back office (noteFromRatepayer, with its audit entry), and tells the tabs. The saved case, or
   * undefined when the referral was done (or is not this chat's) by the time of the write.
   */
  async noteForBackOffice(conversationId: string, ratepayer: RatepayerIdentity, caseId: string, text: string): Promise<Case | undefined> {
    const now = this.clock.now();
    const result = await this.change(caseId, (current) =>
      current.ratepayer.conversationId === conversationId && current.referral && !current.referral.done ? noteFromRatepayer(current, now, ratepayerActor(ratepayer), text) : undefined,
    );
    if (result.kind !== 'saved') return undefined;
    await this.announce('case.updated', result.saved);
    return result.saved;
  }

  /** The conversation's recent cases, open and closed, newest first, with places for the waiting ones. */
  async myCases(conversationId: string, limit = 10): Promise<QueuedCase[]> {
    const recent = await this.cases.listForConversation(conversationId, limit);
    return Promise.all(recent.map((c) => this.describe(c)));
  }

  /**
   * Takes one waiting case of this conversation out of the queue (never another chat's case).
   * `not_open`: the case is not open in this conversation (already cancelled, closed, or not
   * theirs); `with_expert`: an expert has it (claimed, perhaps between our read and our write).
   */
  async cancel(
    conversationId: string,
    ratepayer: RatepayerIdentity,
    caseId: string,
  ): Promise<{ kind: 'cancelled' | 'with_expert'; case: Case } | { kind: 'not_open' }> {
    const c = (await this.conversationCases.openCasesOf(conversationId)).find((open) => open.id === caseId);
    if (!c) return { kind: 'not_open' };
    const outcome = await this.cancelOne(c, ratepayer);
    return outcome.state === 'cancelled'
      ? { kind: 'cancelled', case: outcome }
      : outcome.state === 'in_progress'
        ? { kind: 'with_expert', case: outcome }
        : { kind: 'not_open' };
  }

  private async cancelOne(c: StoredCase, ratepayer: RatepayerIdentity): Promise<Case> {
    // An expert may claim the case between our read and our write: then it is not cancelled.
    const result = await this.change(
      c.id,
      (current) =>
        current.state === 'waiting'
          ? cancelCase(current, this.clock.now(), ratepayerActor(ratepayer), this.definition.limits.retentionDays)
          : undefined,
      { known: c, attempts: 5 },
    );
    if (result.kind === 'saved') {
      await this.announce('case.cancelled', result.saved);
      return result.saved;
    }
    return result.kind === 'unchanged' ? result.current : c;
  }

  /** Tells the agents' tabs (bot/platform/flow/caseEvents.ts: a lost event never fails the ratepayer's request). */
  private announce(kind: 'case.queued' | 'case.cancelled' | 'case.updated', c: Case): Promise<void> {
    // Not the ratepayer's channel id or name: events reach every open tab and the shared log.
    return this.events.publish({ kind, after: c, by: { kind: 'ratepayer', id: 'ratepayer', name: 'Ratepayer' } });
  }

  private async describe(c: StoredCase): Promise<QueuedCase> {
    return { case: c, place: await this.queue.placeOf(c), session: this.sessionOf(c) };
  }

  /** The session a case is queued for, or the one open now (or next) when its own has passed. */
  private sessionOf(c: Case): SessionSlot | undefined {
    const { open, next } = this.sessions();
    return open?.id === c.sessionId ? open : next?.id === c.sessionId ? next : (open ?? next);
  }
}

/** The category's answers a card carried, as typed (strings only): what a form of their own starts with. */
function typedOn(category: Category, values: unknown): Record<string, string> {
  const carried = (values ?? {}) as Record<string, unknown>;
  return Object.fromEntries(category.fields.flatMap(({ name }) => (typeof carried[name] === 'string' ? [[name, carried[name] as string]] : [])));
}
