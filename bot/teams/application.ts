/**
 * The bot: one Teams AI Application with the ratepayer routes registered on it, one feature a
 * file. Every botbuilder and Teams AI import stays in this folder, so moving to the Teams SDK or
 * the Microsoft 365 Agents SDK is one folder's work.
 */
import { Application, TurnState, type TeamsAdapter } from '@microsoft/teams-ai';
import type { Clock } from '../ports/clock.js';
import type { ConversationStore } from '../ports/conversationStore.js';
import type { FeedbackService } from '../services/feedback.js';
import type { IntakeService } from '../services/intake.js';
import type { RelayService } from '../services/relay.js';
import type { SessionCloseService } from '../services/sessionClose.js';
import type { Supervision } from '../services/supervision/index.js';
import { registerAssign } from './features/assign.js';
import { registerMonitor } from './features/monitor.js';
import { registerCancel } from './features/cancel.js';
import { registerCategoryChoice } from './features/categoryChoice.js';
import { registerClosingChoice } from './features/closingChoice.js';
import { registerCourtesy } from './features/courtesy.js';
import { registerIntakeSubmit } from './features/intakeSubmit.js';
import { registerMyData } from './features/myData.js';
import { registerPersonalOnly } from './features/personalOnly.js';
import { registerRelay } from './features/relay.js';
import { registerStatus } from './features/status.js';
import { registerSurvey } from './features/survey.js';
import { registerWelcome } from './features/welcome.js';

/** What the bot's features need. */
export interface BotDependencies {
  adapter: TeamsAdapter;
  intake: IntakeService;
  relay: RelayService;
  feedback: FeedbackService;
  sessionClose: SessionCloseService;
  conversations: ConversationStore;
  clock: Clock;
  /** The supervisors' channel ("monitor", alerts' "Assign"); without it those routes are not registered. */
  supervision?: Supervision;
}

/** The application type every feature registers on. */
export type BotApplication = Application<TurnState>;

/** Builds the bot with all its routes. Order matters: commands before free text. */
export function createBotApplication(deps: BotDependencies): BotApplication {
  const app = new Application<TurnState>({
    adapter: deps.adapter,
    // Nothing is kept between turns in memory: state lives in Cosmos DB and in the cards.
    startTypingTimer: false,
    removeRecipientMention: true,
    longRunningMessages: false,
  });
  // Supervisors' commands in channels come first: they never reach the ratepayer routes.
  registerMonitor(app, deps);
  registerAssign(app, deps);
  // Everything else in a channel or group chat is a ratepayer route: answered with a link to the personal chat.
  registerPersonalOnly(app);
  registerStatus(app, deps);
  registerCancel(app, deps);
  registerMyData(app, deps);
  registerIntakeSubmit(app, deps);
  registerSurvey(app, deps);
  registerClosingChoice(app, deps);
  // A ratepayer with an open case is talking about it, greetings included.
  registerRelay(app, deps);
  // Thanks and goodbyes with nothing open: a courteous word, not the category picker.
  registerCourtesy(app, deps);
  registerWelcome(app, deps);
  registerCategoryChoice(app, deps);
  return app;
}
