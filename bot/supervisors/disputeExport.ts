/**
 * The hand-over of open disputes (issue 20): the City's billing system cannot be reached from
 * here, so the disputes lodged on cases are exported for it, per account, with a credit-control
 * hold flag (Municipal Systems Act s102: no credit control on a disputed amount while the dispute
 * is open). JSON for a system that polls (GET /api/supervisor/disputes) and CSV for a person who
 * loads it (GET /api/supervisor/disputes.csv); supervisors only. The integration point is
 * documented in docs/domain-rules.md.
 */
import { localParts } from '../domain/calendar.js';
import { formatDisputeReference } from '../domain/dispute.js';
import { formatReference } from '../domain/reference.js';
import type { ServiceDefinition } from '../domain/serviceDefinition.js';
import type { CaseStore } from '../platform/ports/caseStore.js';
import type { Clock } from '../platform/ports/clock.js';
import type { DisputeHandOver } from '../platform/contract/tabApi.js';
import { csvCell } from './csv.js';

/** Open disputes read at most (the oldest first). */
const LIMIT = 5000;

/** The CSV's columns: one row per open dispute; account numbers are what the billing system matches on. */
const COLUMNS = [
  'account_number',
  'credit_control_hold',
  'dispute_reference',
  'case_reference',
  'category',
  'statement_date',
  'disputed_rands',
  'keep_paying_rands',
  'lodged_on',
  'investigation_due_on',
  'appeal_from',
  'overdue',
] as const;

const rands = (cents: number) => (cents / 100).toFixed(2);

/** The export. */
export class DisputeExport {
  constructor(
    private readonly definition: ServiceDefinition,
    private readonly cases: CaseStore,
    private readonly clock: Clock,
  ) {}

  /** The open disputes grouped by account, accounts in the order of their oldest dispute. */
  async handOver(): Promise<DisputeHandOver> {
    const now = this.clock.now();
    const today = localParts(now, this.definition.timeZone).date;
    const accounts = new Map<string | null, DisputeHandOver['accounts'][number]>();
    for (const c of await this.cases.listOpenDisputes(this.definition.programme.id, LIMIT)) {
      const d = c.dispute!;
      const key = c.accountNumber ?? null;
      let account = accounts.get(key);
      if (!account) accounts.set(key, (account = { accountNumber: key, creditControlHold: true, disputedCents: 0, disputes: [] }));
      account.disputedCents += d.totalCents;
      account.disputes.push({
        reference: d.reference,
        caseReference: c.id,
        category: c.category,
        statementDate: d.statementDate,
        totalCents: d.totalCents,
        keepPayingCents: d.keepPayingCents,
        lodgedOn: d.lodgedOn,
        investigationDueOn: d.investigationDueOn,
        appealFrom: d.appealFrom,
        overdue: today > d.investigationDueOn,
      });
    }
    return { generatedAt: now.toISOString(), today, accounts: [...accounts.values()] };
  }

  /** The same as CSV, one row per dispute, amounts in rands as plain numbers (14000.12). */
  async csv(): Promise<string> {
    const { accounts } = await this.handOver();
    const rows = accounts.flatMap((a) =>
      a.disputes.map((d) =>
        [
          a.accountNumber ?? '',
          a.creditControlHold ? 'yes' : 'no',
          // As the cases export (csv.ts) and the receipt write them ("K7M-3PQ", "K7M-3PQ-D1"), so the two CSVs join on case_reference = reference.
          formatDisputeReference(d.reference),
          formatReference(d.caseReference),
          d.category,
          d.statementDate,
          rands(d.totalCents),
          rands(d.keepPayingCents),
          d.lodgedOn,
          d.investigationDueOn,
          d.appealFrom,
          d.overdue ? 'yes' : 'no',
        ]
          .map(csvCell)
          .join(','),
      ),
    );
    return [COLUMNS.join(','), ...rows].join('\r\n') + '\r\n';
  }
}
