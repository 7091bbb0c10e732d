/**
 * "monitor" (optionally with a region) in a team channel, mentioning the bot: the channel becomes
 * the supervisors' channel of the programme (or region). "stop monitoring" undoes it. Only
 * supervisors of the service definition can do either; everyone else is told so, politely.
 */
import type { TurnContext } from 'botbuilder';
import type { BotApplication, BotDependencies } from '../application.js';
import { conversationOf, typedText } from '../context.js';
import { staffOf } from '../staffOf.js';
import { SupervisionError } from '../../flow/errors.js';
import type { Supervision } from '../../../supervisors/index.js';

const MONITOR = /^monitor(?:\s+(?:region\s+)?([A-Za-z0-9-]{1,16}))?[\s.!]*$/i;
const STOP = /^(stop monitoring|unmonitor|stop monitor)[\s.!]*$/i;

const inChannelOrGroup = (context: TurnContext) => {
  const type = context.activity.conversation.conversationType;
  return type === 'channel' || type === 'groupChat';
};

/** The channel's own conversation id (a reply thread's id carries ";messageid=…"). */
function channelConversationId(context: TurnContext): string {
  const channelData = context.activity.channelData as { channel?: { id?: string } } | undefined;
  return channelData?.channel?.id ?? context.activity.conversation.id.split(';')[0]!;
}

async function checkSupervisor(context: TurnContext, deps: BotDependencies, what: string): Promise<{ id: string; name: string } | undefined> {
  const who = await staffOf(context, deps.supervision!.definition);
  if (who.kind === 'staff' && who.staff.role === 'supervisor') return who.staff;
  if (who.kind === 'unknown') {
    await context.sendActivity(`Sorry, I could not check who you are just now, so I cannot ${what}. Please try again in a moment.`);
    return undefined;
  }
  const name = who.kind === 'staff' ? who.staff.name : who.name;
  await context.sendActivity(`Thank you, ${name}, but only supervisors of the programme can ${what}. Please ask a supervisor.`);
  return undefined;
}

async function monitor(context: TurnContext, deps: BotDependencies, supervision: Supervision): Promise<void> {
  if (context.activity.conversation.conversationType !== 'channel') {
    await context.sendActivity('Monitoring works in a channel of a team: add me to the team and type "@Ratepayer Desk monitor" in the supervisors\' channel.');
    return;
  }
  const supervisor = await checkSupervisor(context, deps, 'make this the supervisors\' channel');
  if (!supervisor) return;
  const region = MONITOR.exec(typedText(context))?.[1];
  const regionCode = region ? supervision.definition.regions.find((r) => r.code.toLowerCase() === region.toLowerCase())?.code : undefined;
  if (region && !regionCode) {
    await context.sendActivity(`There is no region "${region}" in this programme. Regions: ${supervision.definition.regions.map((r) => r.code).join(', ')}.`);
    return;
  }
  const conversationId = channelConversationId(context);
  // Keep the channel's reference (the channel itself, not the thread) for the cards posted later.
  const stored = conversationOf(context, deps.clock.now());
  const reference = { ...stored.reference, conversation: { ...(stored.reference.conversation as object), id: conversationId } };
  await deps.conversations.save({ ...stored, id: conversationId, kind: 'channel', reference });
  const channelData = context.activity.channelData as { channel?: { name?: string } } | undefined;
  let replaced: string | undefined;
  try {
    ({ replaced } = await supervision.register({
      conversationId,
      ...(regionCode ? { region: regionCode } : {}),
      ...(channelData?.channel?.name ? { channelName: channelData.channel.name } : {}),
      by: { id: supervisor.id, name: supervisor.name },
    }));
  } catch (error) {
    if (error instanceof SupervisionError) {
      await context.sendActivity(error.message);
      return;
    }
    throw error;
  }
  const scope = regionCode ? `${supervision.definition.programme.name}, region ${regionCode}` : supervision.definition.programme.name;
  const session = supervision.openSession();
  await context.sendActivity(
    `Done, ${supervisor.name}: this channel is now the supervisors' channel for ${scope}. ` +
      'I will keep a live summary card of each session here, alert you when a case waits past its limit, and post a report when a session closes. ' +
      (replaced ? 'The channel that had this role before no longer gets these posts. ' : '') +
      (session ? 'A session is open now: its summary card follows.' : 'No session is open now; the summary card will appear when the next one opens.') +
      ' Type "@Ratepayer Desk stop monitoring" to undo this (in a channel, Teams passes a message to the bot only when it @mentions it).',
  );
  if (session) await supervision.refreshSummaries(session, { force: true, only: conversationId });
}

async function stopMonitoring(context: TurnContext, deps: BotDependencies, supervision: Supervision): Promise<void> {
  const supervisor = await checkSupervisor(context, deps, 'stop monitoring here');
  if (!supervisor) return;
  const removed = await supervision.unregister(channelConversationId(context));
  await context.sendActivity(
    removed.length
      ? `Done: this channel is no longer a supervisors' channel. I will not post summaries, alerts or reports here any more.`
      : 'This channel was not being monitored, so there was nothing to stop.',
  );
}

/** Registers "monitor" and "stop monitoring". */
export function registerMonitor(app: BotApplication, deps: BotDependencies): void {
  const supervision = deps.supervision;
  if (!supervision) return;
  app.message(
    async (context) => inChannelOrGroup(context) && STOP.test(typedText(context)),
    (context) => stopMonitoring(context, deps, supervision),
  );
  app.message(
    async (context) => inChannelOrGroup(context) && MONITOR.test(typedText(context)),
    (context) => monitor(context, deps, supervision),
  );
}
