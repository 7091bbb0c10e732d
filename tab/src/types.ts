/** The API's shapes, taken from the service's own types so the two cannot drift apart. */
export type { QueueEvent, QueueItem, WorkItem } from '../../bot/ports/queueEvents.js';
export type { CasePage, CaseSummary } from '../../bot/services/caseViews.js';
export type { QueueView } from '../../bot/services/agentDesk.js';
export type { StaffIdentity } from '../../bot/domain/access.js';
export type { TranscriptEntry, Delivery } from '../../bot/domain/case.js';

/** GET /api/config. */
export interface TabConfig {
  mode: 'local' | 'azure';
  signIn: 'local' | 'teams';
  programme: { id: string; name: string };
  /** The programme's regions: the views a channel tab can be pinned to. */
  regions: { code: string; name: string }[];
  clientId?: string;
}

/** GET /api/me. */
export interface Me {
  staff: import('../../bot/domain/access.js').StaffIdentity;
  categories: { code: string; name: string; waitLimitMinutes: number }[];
  outcomes: import('../../bot/domain/case.js').Outcome[];
  /** The most a message to the ratepayer, and a note or summary, may hold, in characters. */
  limits: { messageCharacters: number; noteCharacters: number };
}

/** A person the local sign-in offers. */
export interface LocalStaff {
  id: string;
  name: string;
  role: 'agent' | 'supervisor';
  skills: string[];
  skillNames: string[];
}
