/**
 * The back-office API's contract (issue 19; docs/api.md, "Back office"): the shapes the service
 * sends the tab's back-office view. Types only.
 */
import type { Referral } from '../../domain/case.js';
import type { FollowStage } from '../../domain/followThrough.js';
import type { CasePage } from './tabApi.js';

/** One open referral as the back-office list shows it: no personal details. */
export interface ReferralItem {
  reference: string;
  displayReference: string;
  category: string;
  categoryName: string;
  team: { code: string; name: string };
  dueDate: string;
  dueAt: string;
  stage: FollowStage;
  /** The escalation level reached under the current due date, if any (its name). */
  escalatedTo?: string;
  /** Whether the team was reminded of the current due date (it is near). */
  reminded: boolean;
  referredAt: string;
  lastUpdateAt?: string;
  /**
   * When the ratepayer last wrote in their chat about the referral (Referral.fromRatepayer), only
   * while that is at or after the team's last update to them: a message not yet answered (tester
   * 11, finding 6). ISO instant.
   */
  ratepayerWroteAt?: string;
  /** When the referral investigates a formal dispute still open (issue 20): what the list marks it with. */
  dispute?: ReferralDispute;
}

/**
 * The formal dispute a referral investigates (Municipal Systems Act s102): its reference, the
 * disputed total and the amount the ratepayer keeps paying (cents), the by-laws' investigation date
 * (local "YYYY-MM-DD", the latest due date the referral may have), and the credit-control hold on
 * the disputed amount, which lasts while it is open (always true here: settled disputes are not listed).
 */
export interface ReferralDispute {
  reference: string;
  totalCents: number;
  keepPayingCents: number;
  investigationDueOn: string;
  appealFrom: string;
  creditControlHold: true;
}

/** GET /api/back-office/referrals: the person's teams' open referrals, soonest due first. */
export interface ReferralList {
  teams: { code: string; name: string }[];
  referrals: ReferralItem[];
}

/** GET /api/back-office/referrals/:reference: the case page with its referral and what the person may do. */
export interface ReferralPage extends CasePage {
  referral: Referral;
  stage: FollowStage;
  backOffice: { update: boolean; done: boolean; moreTime: boolean; note: boolean };
}
