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
import type { OpenForms } from '../ports/openForms.js';
import type { FeedbackService } from '../../ratepayers/feedback.js';
import type { IntakeService } from '../../ratepayers/intake.js';
import type { RelayService } from '../../ratepayers/relay.js';
import type { SessionCloseService } from '../../ratepayers/sessionClose.js';
import type { Supervision } from '../../supervisors/index.js';
import { registerAssign } from './features/assign.js';
import { registerMonitor } from './features/monitor.js';
import { registerPersonalOnly } from './features/personalOnly.js';
import { registerWelcomeOnInstall } from './features/welcome.js';
import { settleLanguage } from '../../ratepayers/features/language.js';
import { ratepayerRoutes } from '../../ratepayers/routes.js';
import { isPersonal, turnOf } from './context.js';
import type { RatepayerFollowUp } from '../../backOffice/ratepayerFollowUp.js';
import { onAction, onAnyMessage, onMessage } from './routes.js';
import { keepOpenForm, recallOpenForm } from './openFormMemory.js';

/** What the bot's features need. */
export interface BotDependencies {
  adapter: TeamsAdapter;
  intake: IntakeService;
  relay: RelayService;
  feedback: FeedbackService;
  sessionClose: SessionCloseService;
  conversations: ConversationStore;
  /** The unsent intake form a Teams chat was last offered (./openFormMemory.ts), on the conversation's document. */
  openForms: OpenForms;
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
  // The ratepayer's language, settled before any route answers (issue 16): every reply of the turn
  // uses it. And the Teams chat's unsent intake form as the turn's open form, so a language chosen
  // now sends it again in that language (./openFormMemory.ts); both from the turn's one read.
  app.turn('beforeTurn', async (context) => {
    const { type } = context.activity;
    if ((type === 'message' || type === 'conversationUpdate') && isPersonal(context)) {
      await recallOpenForm(context, turnOf(context), deps.openForms);
      await settleLanguage(turnOf(context), deps);
    }
    return true;
  });
  // The intake form the turn sent, or the one it submitted, remembered with the record of the activity.
  app.turn('afterTurn', async (context) => {
    if (isPersonal(context)) await keepOpenForm(context, turnOf(context), deps.openForms);
    return true;
  });
  // Supervisors' commands in channels come first: they never reach the ratepayer routes.
  registerMonitor(app, deps);
  registerAssign(app, deps);
  // Everything else in a channel or group chat is a ratepayer route: answered with a link to the personal chat.
  registerPersonalOnly(app);
  // The ratepayer's features: handlers of the conversation core, in their rank (bot/ratepayers/routes.ts).
  const routes = ratepayerRoutes(deps);
  for (const route of routes.ranked) {
    if ('action' in route) onAction(app, route.action, route.handler);
    else onMessage(app, route.message, route.handler);
  }
  // Only conversationUpdate: its place among the message routes changes nothing.
  registerWelcomeOnInstall(app, deps);
  onAnyMessage(app, routes.otherwise);
  return app;
}
