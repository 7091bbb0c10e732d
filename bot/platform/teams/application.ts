/**
 * The bot: one Teams AI Application with every route ranked in the one list below. The ratepayer
 * features are handlers of the conversation core (bot/ratepayers/features: a Turn in, replies
 * out), put on the application by ./routes.ts; the supervisors' commands, the personal-chat-only
 * answer and the welcome on install are Teams features (./features). Every botbuilder and Teams
 * AI import stays in this folder, so moving to the Teams SDK or the Microsoft 365 Agents SDK is
 * this folder's work and the composition root's (docs/architecture.md, The conversation core).
 */
import { Application, TurnState, type TeamsAdapter } from '@microsoft/teams-ai';
import type { Clock } from '../ports/clock.js';
import type { ConversationStore } from '../ports/conversationStore.js';
import type { FeedbackService } from '../../ratepayers/feedback.js';
import type { IntakeService } from '../../ratepayers/intake.js';
import type { RelayService } from '../../ratepayers/relay.js';
import type { SessionCloseService } from '../../ratepayers/sessionClose.js';
import type { Supervision } from '../../supervisors/index.js';
import { registerAssign } from './features/assign.js';
import { registerMonitor } from './features/monitor.js';
import { registerPersonalOnly } from './features/personalOnly.js';
import { registerWelcomeOnInstall } from './features/welcome.js';
import { asksMyCases, asksStatus, status } from '../../ratepayers/features/status.js';
import { asksMyData, myData } from '../../ratepayers/features/myData.js';
import { courtesy, isCourtesyTurn } from '../../ratepayers/features/courtesy.js';
import { isGreeting, welcome } from '../../ratepayers/features/welcome.js';
import { categoryFromText, chooseCategory } from '../../ratepayers/features/categoryChoice.js';
import { answerSurvey } from '../../ratepayers/features/survey.js';
import { asksCancel, cancel, endChat } from '../../ratepayers/features/cancel.js';
import { filesWithoutCase, noCaseForFiles, relay, writesAboutOpenCase } from '../../ratepayers/features/relay.js';
import { submitIntake } from '../../ratepayers/features/intakeSubmit.js';
import { chooseAtClosing } from '../../ratepayers/features/closingChoice.js';
import { asksReopen, asksStatusOf, reopen, statusOf } from '../../ratepayers/features/followUp.js';
import type { RatepayerFollowUp } from '../../backOffice/ratepayerFollowUp.js';
import { onAction, onAnyMessage, onMessage } from './routes.js';

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
  /** After the session (issue 19): reopening and "status K7M-3PQ"; without it those routes are not registered. */
  followUp?: RatepayerFollowUp;
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
  // The ratepayer's features: handlers of the conversation core, ranked here.
  onMessage(app, asksStatus, (turn) => status(turn, deps));
  onMessage(app, asksMyCases, (turn) => status(turn, deps, true));
  onAction(app, 'case.status', (turn) => status(turn, deps));
  const followUp = deps.followUp;
  if (followUp) {
    onMessage(app, asksStatusOf, (turn) => statusOf(turn, followUp));
    onMessage(app, asksReopen, (turn) => reopen(turn, followUp, deps.clock));
    onAction(app, 'case.reopen', (turn) => reopen(turn, followUp, deps.clock));
  }
  onMessage(app, asksCancel, (turn) => cancel(turn, deps));
  onAction(app, 'case.cancel', (turn) => cancel(turn, deps));
  onAction(app, 'case.endChat', (turn) => endChat(turn, deps));
  onMessage(app, asksMyData, (turn) => myData(turn, deps));
  onAction(app, 'intake.submit', (turn) => submitIntake(turn, deps));
  onAction(app, 'survey.submit', (turn) => answerSurvey(turn, deps));
  onAction(app, 'closing.choose', (turn) => chooseAtClosing(turn, deps));
  // A ratepayer with an open case is talking about it, greetings included.
  onMessage(app, (turn) => writesAboutOpenCase(turn, deps), (turn) => relay(turn, deps));
  // No open case: a file has nowhere to go yet.
  onMessage(app, (turn) => filesWithoutCase(turn, deps), (turn) => noCaseForFiles(turn, deps));
  // Thanks and goodbyes with nothing open: a courteous word, not the category picker.
  onMessage(app, isCourtesyTurn, (turn) => courtesy(turn, deps));
  registerWelcomeOnInstall(app, deps);
  onMessage(app, (turn) => isGreeting(turn.text), (turn) => welcome(turn, deps));
  onAction(app, 'category.choose', (turn) => chooseCategory(turn, deps));
  // The free-text category route is last and catches everything else.
  onAnyMessage(app, (turn) => categoryFromText(turn, deps));
  return app;
}
