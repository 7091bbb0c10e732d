/**
 * What the supervisors' channel work keeps: which channel is the supervisors' channel of the
 * programme (and region), the summary card posted for each session there, and one alert per
 * case that waited too long. Plus the read of a session's cases, without personal details.
 */
import type { SessionCase } from '../../domain/sessionReport.js';

/** A channel registered with "monitor": the supervisors' channel for a programme, or one region of it. */
export interface ChannelRegistration {
  /** `registration:<programme>:<region or "all">`: one channel per scope; registering again moves it. */
  id: string;
  kind: 'registration';
  programmeId: string;
  region?: string;
  /** The channel's conversation id (the proactive messenger's reference is kept under it). */
  conversationId: string;
  channelName?: string;
  registeredBy: { id: string; name: string };
  registeredAt: string;
}

/** The live summary card of one session in one registered channel. */
export interface SummaryCardRecord {
  /** `summary:<scope>:<session id>` */
  id: string;
  kind: 'summary';
  scope: string;
  sessionId: string;
  conversationId: string;
  activityId: string;
  /** What the card showed last (an update is sent only when this changes). */
  fingerprint: string;
  postedAt: string;
  updatedAt: string;
  reportActivityId?: string;
  reportPostedAt?: string;
  ttl?: number;
}

/** An alert about one case that waited past its category's limit. */
export interface AlertRecord {
  /** `alert:<scope>:<case reference>`: created once, so a case is alerted once. */
  id: string;
  kind: 'alert';
  scope: string;
  reference: string;
  category: string;
  sessionId: string;
  conversationId: string;
  activityId?: string;
  raisedAt: string;
  waitMinutes: number;
  /** Set when the case left the queue: who has it (assigned from the card, or taken in the tab), or how it closed. */
  taken?: { staffId?: string; name?: string; by?: string; at: string; how: 'assigned' | 'claimed' | 'closed' };
  ttl?: number;
}

/** Where registrations, summary cards and alerts live (the `supervision` container). */
export interface SupervisionStore {
  saveRegistration(r: ChannelRegistration): Promise<void>;
  deleteRegistration(id: string): Promise<void>;
  listRegistrations(programmeId: string): Promise<ChannelRegistration[]>;
  getSummaryCard(id: string): Promise<SummaryCardRecord | undefined>;
  saveSummaryCard(r: SummaryCardRecord): Promise<void>;
  /** Creates the alert unless one exists with its id: true when this call created it. */
  createAlert(a: AlertRecord): Promise<boolean>;
  getAlert(id: string): Promise<AlertRecord | undefined>;
  saveAlert(a: AlertRecord): Promise<void>;
  deleteAlert(id: string): Promise<void>;
  /** Alerts of a scope whose case has not been taken yet. */
  listOpenAlerts(scope: string): Promise<AlertRecord[]>;
  /** Every alert about one case (any scope). */
  alertsForCase(reference: string): Promise<AlertRecord[]>;
}

/** A session as the reader needs it. */
export interface SessionWindow {
  id: string;
  opensAt: Date;
  closesAt: Date;
}

/** Reads the cases the supervisors' figures cover. */
export interface SessionCaseReader {
  /**
   * The cases of a session: queued for it, closed while it was open, or open now (waiting or
   * with an expert, whatever session they came from: they are in today's queue).
   */
  forSession(programmeId: string, session: SessionWindow): Promise<SessionCase[]>;
}
