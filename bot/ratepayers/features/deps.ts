/** What the conversation's features need from the services. */
import type { Clock } from '../../platform/ports/clock.js';
import type { FeedbackService } from '../feedback.js';
import type { IntakeService } from '../intake.js';
import type { SessionCloseService } from '../sessionClose.js';

/** The services a feature reads and changes cases through, and the clock. */
export interface ConversationDeps {
  intake: IntakeService;
  feedback: FeedbackService;
  sessionClose: SessionCloseService;
  clock: Clock;
}
