/** What the conversation's features need from the services. */
import type { IntakeService } from '../../services/intake.js';

/** The services a feature reads and changes cases through. */
export interface ConversationDeps {
  intake: IntakeService;
}
