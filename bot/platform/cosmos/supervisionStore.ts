/**
 * The supervisors' records in Cosmos DB (container `supervision`, partition key `/id`) and the
 * read of a session's cases from `cases` (projected: no intake, no ratepayer, no transcript).
 */
import type { Container, SqlParameter } from '@azure/cosmos';
import { expertOutcome, expertSpells, handlingMinutesOf, type Case } from '../../domain/case.js';
import type { SessionCase, WaitSpell } from '../../domain/sessionReport.js';
import type {
  AlertRecord,
  ChannelRegistration,
  SessionCaseReader,
  SessionWindow,
  SummaryCardRecord,
  SupervisionStore,
} from '../ports/supervision.js';
import { statusOf } from './statusOf.js';

function clean<T>(resource: unknown): T {
  const { _rid, _self, _ts, _attachments, _etag, ...rest } = resource as Record<string, unknown>;
  return rest as T;
}

/** The Cosmos DB implementation of the supervision store. */
export class CosmosSupervisionStore implements SupervisionStore {
  constructor(private readonly container: Container) {}

  async saveRegistration(r: ChannelRegistration): Promise<void> {
    await this.container.items.upsert(r);
  }

  async deleteRegistration(id: string): Promise<void> {
    try {
      await this.container.item(id, id).delete();
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
  }

  listRegistrations(programmeId: string): Promise<ChannelRegistration[]> {
    return this.query<ChannelRegistration>(`SELECT * FROM c WHERE c.kind = 'registration' AND c.programmeId = @programmeId`, { programmeId });
  }

  getSummaryCard(id: string): Promise<SummaryCardRecord | undefined> {
    return this.read<SummaryCardRecord>(id);
  }

  async saveSummaryCard(r: SummaryCardRecord): Promise<void> {
    await this.container.items.upsert(r);
  }

  async createAlert(a: AlertRecord): Promise<boolean> {
    try {
      await this.container.items.create(a);
      return true;
    } catch (error) {
      if (statusOf(error) === 409) return false;
      throw error;
    }
  }

  getAlert(id: string): Promise<AlertRecord | undefined> {
    return this.read<AlertRecord>(id);
  }

  async saveAlert(a: AlertRecord): Promise<void> {
    await this.container.items.upsert(a);
  }

  async deleteAlert(id: string): Promise<void> {
    await this.deleteRegistration(id);
  }

  listOpenAlerts(scope: string): Promise<AlertRecord[]> {
    return this.query<AlertRecord>(
      `SELECT * FROM c WHERE c.kind = 'alert' AND c.scope = @scope AND NOT IS_DEFINED(c.taken) AND IS_DEFINED(c.activityId)`,
      { scope },
    );
  }

  alertsForCase(reference: string): Promise<AlertRecord[]> {
    return this.query<AlertRecord>(`SELECT * FROM c WHERE c.kind = 'alert' AND c.reference = @reference`, { reference });
  }

  private async read<T>(id: string): Promise<T | undefined> {
    try {
      const { resource } = await this.container.item(id, id).read();
      return resource ? clean<T>(resource) : undefined;
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  private async query<T>(query: string, values: Record<string, SqlParameter['value']>): Promise<T[]> {
    const parameters = Object.entries(values).map(([name, value]) => ({ name: `@${name}`, value }));
    const { resources } = await this.container.items.query({ query, parameters }).fetchAll();
    return resources.map((r) => clean<T>(r));
  }
}

type CaseRow = Pick<
  Case,
  'id' | 'category' | 'region' | 'sessionId' | 'state' | 'queueKey' | 'createdAt' | 'closedAt' | 'assignedTo' | 'outcome' | 'handlingMinutes' | 'survey' | 'audit' | 'waitPromised' | 'language' | 'referral' | 'reopened' | 'ratepayer' | 'carriedOver'
>;

/**
 * Whether the case was carried over from `sessionId` to a later one: its last move
 * (`carriedOver.fromSession`) or an earlier one named on its audit trail (case.ts carryOver writes
 * "carried over" with "<from> → <to> (…)").
 */
function carriedFrom(c: CaseRow, sessionId: string): boolean {
  return c.carriedOver?.fromSession === sessionId || (c.audit ?? []).some((e) => e.action === 'carried over' && e.detail?.startsWith(`${sessionId} → `) === true);
}

/**
 * A case carried over from `session` as it stood when that session closed (SessionCase.carriedTo):
 * waiting, its waits cut at the close and the last one not served; nothing that happened to it in
 * a later session (an expert, an outcome, a survey).
 */
function asAtClose(c: SessionCase, session: SessionWindow): SessionCase {
  const close = session.closesAt.toISOString();
  const waits = (c.waits ?? [{ from: c.queuedAt }]).filter((w) => w.from < close).map((w) => (w.to !== undefined && w.to <= close ? w : { from: w.from, to: close }));
  return {
    id: c.id,
    category: c.category,
    ...(c.region ? { region: c.region } : {}),
    sessionId: session.id,
    state: 'waiting',
    queuedAt: c.queuedAt,
    waits,
    ...(c.promisedWaitMinutes !== undefined ? { promisedWaitMinutes: c.promisedWaitMinutes } : {}),
    ...(c.language ? { language: c.language } : {}),
    ...(c.channelId ? { channelId: c.channelId } : {}),
    carriedTo: c.sessionId,
  };
}

/** The time a case joined the queue: the first part of its queue key (kept across release and transfer). */
function queuedAt(c: CaseRow): string {
  const fromKey = c.queueKey?.split('~')[0];
  return fromKey && Number.isFinite(Date.parse(fromKey)) ? fromKey : c.createdAt;
}

/** Audit actions that put a case back in the queue after an expert had it (case.ts releaseCase, transferCase; followThrough.ts reopenCase). */
const BACK_IN_QUEUE = new Set(['released', 'transferred', 'reopened']);
/** Audit actions by which an expert takes a waiting case (case.ts claimCase, assignCase). */
const TAKEN = new Set(['claimed', 'assigned']);

/**
 * The case's spells in the queue from its audit trail (SessionCase.waits): the first from joining
 * (`queuedAt`), each later one from a release, transfer or reopening; each ends when an expert
 * takes the case, or when it closes while waiting, or is still open.
 */
function waitSpellsOf(c: CaseRow, joined: string): WaitSpell[] {
  const spells: WaitSpell[] = [];
  let since: string | undefined = joined;
  for (const e of c.audit ?? []) {
    if (since !== undefined && TAKEN.has(e.action)) {
      spells.push({ from: since, to: e.at, taken: true });
      since = undefined;
    } else if (since === undefined && BACK_IN_QUEUE.has(e.action)) since = e.at;
  }
  if (since !== undefined) {
    if (c.closedAt) spells.push({ from: since, to: c.closedAt });
    // With an expert, though the trail names no taking (an older case): taken when assigned.
    else if (c.state === 'in_progress') spells.push({ from: since, to: c.assignedTo?.since ?? since, taken: true });
    else spells.push({ from: since });
  }
  return spells;
}

/** Maps a stored case to the figures' view of it. */
function toSessionCase(c: CaseRow): SessionCase {
  // Who handled it and for how long, from the audit trail: every expert's turn, not only the last one's (tester 7, finding 12).
  const spells = expertSpells({ audit: c.audit ?? [] });
  const handlingMinutes = handlingMinutesOf(spells) ?? c.handlingMinutes;
  const decided = c.outcome ? expertOutcome({ audit: c.audit ?? [] }) : undefined;
  const firstTaken = (c.audit ?? []).find((e) => e.action === 'claimed' || e.action === 'assigned')?.at ?? c.assignedTo?.since;
  const joined = queuedAt(c);
  return {
    id: c.id,
    category: c.category,
    ...(c.region ? { region: c.region } : {}),
    sessionId: c.sessionId,
    state: c.state,
    queuedAt: joined,
    ...(firstTaken ? { firstClaimedAt: firstTaken } : {}),
    waits: waitSpellsOf(c, joined),
    ...(c.assignedTo ? { assignedTo: c.assignedTo } : {}),
    ...(spells.length ? { experts: spells.map((s) => s.name) } : {}),
    ...(c.outcome ? { outcome: c.outcome.kind } : {}),
    ...(decided ? { expertOutcome: decided } : {}),
    ...(typeof handlingMinutes === 'number' ? { handlingMinutes } : {}),
    ...(c.closedAt ? { closedAt: c.closedAt } : {}),
    ...(c.survey ? { survey: { rating: c.survey.rating } } : {}),
    ...(typeof c.waitPromised?.minutes === 'number' ? { promisedWaitMinutes: c.waitPromised.minutes } : {}),
    ...(c.language ? { language: c.language } : {}),
    // Issue 19: only the referral's instants and the reopen count (no update texts).
    ...(c.referral ? { referredAt: c.referral.referredAt, dueDate: c.referral.dueDate, dueAt: c.referral.dueAt, ...(c.referral.done ? { referralDoneAt: c.referral.done.at } : {}) } : {}),
    ...(c.reopened ? { reopenedCount: c.reopened.count, ...(c.reopened.preferred ? { previousExpert: c.reopened.preferred } : {}) } : {}),
    ...(c.ratepayer?.channelId ? { channelId: c.ratepayer.channelId } : {}),
  };
}

/** Reads a session's cases from the `cases` container. */
export class CosmosSessionCaseReader implements SessionCaseReader {
  constructor(private readonly cases: Container) {}

  async forSession(programmeId: string, session: SessionWindow): Promise<SessionCase[]> {
    const { resources } = await this.cases.items
      .query<CaseRow>({
        query: `SELECT c.id, c.category, c.region, c.sessionId, c.state, c.queueKey, c.createdAt, c.closedAt, c.assignedTo,
                       c.outcome, c.handlingMinutes, c.survey, c.audit, c.waitPromised, c.language, c.referral, c.reopened, c.ratepayer, c.carriedOver
                  FROM c WHERE c.programmeId = @programmeId
                   AND (c.sessionId = @sessionId OR c.state = 'waiting' OR c.state = 'in_progress'
                        OR c.carriedOver.fromSession = @sessionId
                        OR (c.closedAt >= @opensAt AND c.closedAt < @closesAt))`,
        parameters: [
          { name: '@programmeId', value: programmeId },
          { name: '@sessionId', value: session.id },
          { name: '@opensAt', value: session.opensAt.toISOString() },
          { name: '@closesAt', value: session.closesAt.toISOString() },
        ],
      })
      .fetchAll();
    // Cases queued ahead for a later session (details left outside hours) are not this session's,
    // but those carried over from it at its close are, as they stood then (a case carried twice
    // and since closed is found only through its last move: its audit trail is not queried).
    const later = (c: CaseRow) => /^\d{4}-\d{2}-\d{2}T/.test(c.sessionId) && c.sessionId > session.id;
    return resources.flatMap((c) => (!later(c) ? [toSessionCase(c)] : carriedFrom(c, session.id) ? [asAtClose(toSessionCase(c), session)] : []));
  }
}
