/** What the conversation's features need from the services. */
import type { Clock } from '../../ports/clock.js';
import type { FeedbackService } from '../../services/feedback.js';
import type { IntakeService } from '../../services/intake.js';
import type { SessionCloseService } from '../../services/sessionClose.js';

/** The services a feature reads and changes cases through, and the clock. */
export interface ConversationDeps {
  intake: IntakeService;
  feedback: FeedbackService;
  sessionClose: SessionCloseService;
  clock: Clock;
}
