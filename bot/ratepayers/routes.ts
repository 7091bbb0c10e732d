/**
 * The ratepayer's features in the order they are tried, whatever the channel: commands before
 * free text, and the category from free text last. Each channel's adapter puts this one list on
 * its own dispatch (Teams: bot/platform/teams/application.ts; WhatsApp:
 * bot/platform/whatsapp/conversation.ts), so a feature and its rank are written once.
 */
import type { RelayService } from './relay.js';
import type { Handler, Turn } from './turn.js';
import { asksMyCases, asksStatus, status } from './features/status.js';
import { asksMyData, myData } from './features/myData.js';
import { noteOnReferral, writesAboutReferral } from './features/referralNote.js';
import { courtesy, isCourtesyTurn } from './features/courtesy.js';
import { isGreeting, welcome } from './features/welcome.js';
import { categoryFromText, chooseCategory } from './features/categoryChoice.js';
import { answerSurvey } from './features/survey.js';
import { asksCancel, cancel, endChat } from './features/cancel.js';
import { filesWithoutCase, noCaseForFiles, relay, writesAboutOpenCase } from './features/relay.js';
import { submitIntake } from './features/intakeSubmit.js';
import { chooseAtClosing } from './features/closingChoice.js';
import { answerMoreDetails } from './features/moreDetails.js';
import { asksReopen, asksStatusOf, reopen, statusOf } from './features/followUp.js';
import type { RatepayerFollowUp } from '../backOffice/ratepayerFollowUp.js';
import { asksLanguage, changeLanguageCommand, chooseLanguageAction, type LanguageDeps } from './features/language.js';

/** What the ratepayer's features need; `followUp`: finished cases' status and reopening (issue 19), when the service has it. */
export type RatepayerDeps = LanguageDeps & { relay: RelayService; followUp?: RatepayerFollowUp };

/** A route: typed words the test accepts, or a pressed button / sent form with this verb. */
export type RatepayerRoute = { message: (turn: Turn) => boolean | Promise<boolean>; handler: Handler } | { action: string; handler: Handler };

/** The ranked routes, and the handler of every message none of them takes (the category from free text). */
export function ratepayerRoutes(deps: RatepayerDeps): { ranked: RatepayerRoute[]; otherwise: Handler } {
  return {
    ranked: [
      // The language command works at any time, in any served language ("language", "ulimi", "taal"…).
      { message: asksLanguage, handler: (turn) => changeLanguageCommand(turn, deps) },
      { action: 'language.choose', handler: (turn) => chooseLanguageAction(turn, deps) },
      { message: asksStatus, handler: (turn) => status(turn, deps) },
      { message: asksMyCases, handler: (turn) => status(turn, deps, true) },
      { action: 'case.status', handler: (turn) => status(turn, deps) },
      // A finished case: "status K7M-3PQ" (with proof from another chat) and "not resolved" / "reopen K7M-3PQ" (issue 19).
      ...followUpRoutes(deps),
      { message: asksCancel, handler: (turn) => cancel(turn, deps) },
      { action: 'case.cancel', handler: (turn) => cancel(turn, deps) },
      { action: 'case.endChat', handler: (turn) => endChat(turn, deps) },
      { message: asksMyData, handler: (turn) => myData(turn, deps) },
      { action: 'intake.submit', handler: (turn) => submitIntake(turn, deps) },
      { action: 'survey.submit', handler: (turn) => answerSurvey(turn, deps) },
      { action: 'closing.choose', handler: (turn) => chooseAtClosing(turn, deps) },
      // The details a transferred case's new category needs (bot/ratepayers/features/moreDetails.ts).
      { action: 'details.submit', handler: (turn) => answerMoreDetails(turn, deps) },
      // A ratepayer with an open case is talking about it, greetings included.
      { message: (turn) => writesAboutOpenCase(turn, deps), handler: (turn) => relay(turn, deps) },
      // No open case: a file has nowhere to go yet.
      { message: (turn) => filesWithoutCase(turn, deps), handler: (turn) => noCaseForFiles(turn, deps) },
      // Thanks and goodbyes with nothing open: a courteous word, not the category picker.
      { message: isCourtesyTurn, handler: (turn) => courtesy(turn, deps) },
      { message: (turn) => isGreeting(turn.text), handler: (turn) => welcome(turn, deps) },
      // A case still open with the back office: other words are for it, unless they name a category exactly (tester 11, finding 6).
      { message: (turn) => writesAboutReferral(turn, deps), handler: (turn) => noteOnReferral(turn, deps) },
      { action: 'category.choose', handler: (turn) => chooseCategory(turn, deps) },
    ],
    // The free-text category route is last and catches everything else.
    otherwise: (turn) => categoryFromText(turn, deps),
  };
}

function followUpRoutes(deps: RatepayerDeps): RatepayerRoute[] {
  const followUp = deps.followUp;
  if (!followUp) return [];
  return [
    { message: asksStatusOf, handler: (turn) => statusOf(turn, followUp) },
    { message: asksReopen, handler: (turn) => reopen(turn, followUp, deps) },
    { action: 'case.reopen', handler: (turn) => reopen(turn, followUp, deps) },
  ];
}

/** The answer of the first route that takes the turn, tried in rank as the Teams application tries them (an action by its verb; every route test sees every message). */
export async function routeTurn(routes: ReturnType<typeof ratepayerRoutes>, turn: Turn): ReturnType<Handler> {
  for (const route of routes.ranked) {
    if ('action' in route ? turn.action?.verb === route.action : await route.message(turn)) return route.handler(turn);
  }
  return routes.otherwise(turn);
}
