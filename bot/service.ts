/**
 * The composition root: builds the service from its settings (stores, services, bot, HTTP) and
 * starts it. Everything here is wiring; behaviour lives in the folders it wires together.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLocalSigningKey, entraTokenRules, localTokenRules, type LocalSigningKey, type TokenRules } from './platform/auth/tokens.js';
import type { Settings } from './platform/config/settings.js';
import { loadDefinition } from './platform/config/definition.js';
import { CosmosCaseStore } from './platform/cosmos/caseStore.js';
import { CosmosConversationStore } from './platform/cosmos/conversationStore.js';
import { CosmosLeaseStore } from './platform/cosmos/leaseStore.js';
import { CosmosOpenCaseClaims } from './platform/cosmos/openCaseClaimStore.js';
import { CosmosChatClaims } from './platform/cosmos/chatClaimStore.js';
import { releasingOpenCaseClaims } from './platform/flow/openCaseClaimRelease.js';
import { CosmosSessionCaseReader, CosmosSupervisionStore } from './platform/cosmos/supervisionStore.js';
import { registerSupervisorApi } from './platform/http/supervisorApi.js';
import { registerRulesApi } from './platform/http/rulesApi.js';
import { CityRulesDesk } from './agents/cityRulesDesk.js';
import { DisputeExport } from './supervisors/disputeExport.js';
import { Supervision, type SupervisionOptions } from './supervisors/index.js';
import { openCosmos, type CosmosContainers } from './platform/cosmos/database.js';
import { CosmosQueueEventLog } from './platform/cosmos/eventLog.js';
import { CosmosPresenceStore } from './platform/cosmos/presenceStore.js';
import { CosmosSearchAudit } from './platform/cosmos/searchAuditStore.js';
import { CosmosStaffBindings } from './platform/cosmos/staffBindingStore.js';
import type { EmbeddedCosmos } from './platform/cosmos/embeddedServer.js';
import type { ServiceDefinition } from './domain/serviceDefinition.js';
import { createAuthenticator } from './platform/http/authenticate.js';
import { createHttpServer } from './platform/http/server.js';
import { registerTabApi, type TabApi } from './platform/http/tabApi.js';
import { registerTabStatic } from './platform/http/tabStatic.js';
import { systemClock, type Clock } from './platform/ports/clock.js';
import { ConversationCases } from './ratepayers/conversationCases.js';
import { DeliveryRecovery } from './platform/scheduler/deliveryRecovery.js';
import { AgentDesk } from './agents/agentDesk.js';
import { DefinitionDutyRoster } from './agents/dutyRoster.js';
import { LiveQueueEvents, type LiveEventOptions } from './agents/liveEvents.js';
import { PresenceDutyRoster, PresenceTracker } from './agents/presence.js';
import { IntakeService } from './ratepayers/intake.js';
import { QueueService } from './ratepayers/queue.js';
import { SessionScheduler, type SchedulerOptions } from './platform/scheduler/sessionScheduler.js';
import { createAdapter, handleBotRequest, type BotEndpointOverrides } from './platform/teams/adapter.js';
import { OUTAGE_BUDGET_MS, ProactiveMessenger, TEAMS_LIMITS, type PacingOptions } from './platform/teams/proactiveMessenger.js';
import { FeedbackService } from './ratepayers/feedback.js';
import { CaseEvents } from './platform/flow/caseEvents.js';
import { RatepayerUpdates, SLIP_CHECK_EVERY_MS, type PlaceUpdateTiming } from './ratepayers/ratepayerUpdates.js';
import { CityRulesUpdates } from './ratepayers/cityRulesUpdates.js';
import { EspReminders } from './ratepayers/espReminders.js';
import { ReceiptService } from './backOffice/receipts.js';
import { RatepayerFollowUp } from './backOffice/ratepayerFollowUp.js';
import { BackOfficeDesk } from './backOffice/backOfficeDesk.js';
import { FollowThroughJobs } from './backOffice/followThroughJobs.js';
import { FollowThroughAlerts } from './supervisors/followThroughAlerts.js';
import { registerBackOfficeApi } from './platform/http/backOfficeApi.js';
import { acsEmailSenderFor } from './platform/email/acsEmail.js';
import { RelayService } from './ratepayers/relay.js';
import { SessionCloseService } from './ratepayers/sessionClose.js';
import { RetentionSweep } from './platform/scheduler/retention.js';
import { createBotApplication } from './platform/teams/application.js';
import { rateLimited } from './platform/http/rateLimit.js';
import { DEFAULT_RATE_LIMITS, type RateLimits } from './platform/http/rateLimiter.js';
import { guardConversations } from './platform/teams/conversationGuard.js';
import { gateActivities } from './platform/teams/activityGate.js';
import { oncePerActivity } from './platform/teams/redelivery.js';
import { log } from './platform/log.js';
import { calendarIsOver } from './domain/calendar.js';
import { translatorFromSettings } from './platform/translator/client.js';
import type { Translator } from './platform/ports/translator.js';
import { ChannelMessengers } from './platform/channelMessengers.js';
import { acsClientFor } from './platform/acs/client.js';
import { WHATSAPP, WhatsAppChannel } from './platform/whatsapp/channel.js';
import { WhatsAppMessages } from './platform/whatsapp/messages.js';
import { registerWhatsAppWebhook } from './platform/whatsapp/webhook.js';
import { AcsSmsSender } from './platform/sms/acsSms.js';
import { SmsNotices } from './platform/sms/notices.js';
import { smsFallback } from './platform/sms/fallback.js';
import { CosmosMediaStore } from './platform/cosmos/mediaStore.js';
import { ratepayerRoutes } from './ratepayers/routes.js';
import { presetChatLanguage, settleLanguage } from './ratepayers/features/language.js';
import type { Messenger } from './platform/ports/messenger.js';
import { registerWebChatPage } from './platform/webchat/page.js';
import { registerWebChatToken } from './platform/webchat/token.js';
import type { RateLimit } from './platform/http/rateLimiter.js';
import type { SmsSender } from './platform/ports/sms.js';
import { SmsNotices as WebChatSmsNotices } from './ratepayers/smsNotices.js';

/** Where `npm run build:tab` puts the built tab. */
const TAB_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../tab/dist');
/** Where `npm run build:web` puts the public chat page. */
const WEB_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../web/dist');

/**
 * How long a stop lets requests under way finish (a Bot Framework turn waiting on the store or
 * the connector) before their connections are cut: Teams retries an activity it got no answer for.
 */
const REQUEST_GRACE_MS = 3_000;

/** A running service. */
export interface RunningService {
  url: string;
  /** The agents' queue tab (in local mode: open it in a browser and sign in as anyone listed). */
  tabUrl: string;
  /** The public chat page (with Direct Line settings only); `?category=<code>` per category. */
  chatUrl?: string;
  settings: Settings;
  definition: ServiceDefinition;
  /** Where the data is: the embedded server's endpoint in local mode. */
  cosmosEndpoint: string;
  embedded: boolean;
  /** Session work done once across instances (register jobs with onSessionEvent / onTick). */
  scheduler: SessionScheduler;
  /** Stops cleanly, in a few seconds whatever the network does (see bot/platform/shutdown.ts for the signals). */
  close(): Promise<void>;
}

/** Overrides for tests: a clock, an already open database, a shared local signing key. */
export interface ServiceOptions {
  clock?: Clock;
  /** Teams' sending limits and retry policy for proactive messages; tests shorten the waits. */
  pacing?: PacingOptions;
  /** Where the bot checks inbound tokens; tests point it at a local OpenID metadata document. */
  botEndpoints?: BotEndpointOverrides;
  containers?: CosmosContainers;
  definition?: ServiceDefinition;
  /** Local mode: the key local sign-in tokens are minted with (instances that share it accept each other's tokens). */
  localSigningKey?: LocalSigningKey;
  /** Tuning of the live event polling. */
  liveEvents?: LiveEventOptions;
  /** Where the built tab is (default tab/dist). */
  tabDist?: string;
  /** Scheduler tuning; `start: false` leaves it stopped (tests then call `scheduler.tick()`). */
  scheduler?: SchedulerOptions & { start?: boolean };
  /** Supervisors' channel tuning (the summary card's least update interval). */
  supervision?: SupervisionOptions;
  /** Rate limits per signed-in person (tab API) and per conversation (bot); default DEFAULT_RATE_LIMITS. */
  rateLimits?: Partial<RateLimits>;
  /** The translator (issue 16); default: from the settings' TRANSLATOR_*, or none. */
  translator?: Translator;
  /** The public chat page: where it is built (default web/dist) and its token route's limit per address. */
  webChat?: { dist?: string; tokenLimit?: RateLimit };
  /** Where the web chat's SMS notices go (bot/ratepayers/smsNotices.ts); none: no SMS is sent. */
  sms?: SmsSender;
  /** How place updates wait for a burst of queue changes to settle (tests give their own timers). */
  placeUpdates?: PlaceUpdateTiming;
}

async function openStore(settings: Settings): Promise<{ containers: CosmosContainers; endpoint: string; embedded?: EmbeddedCosmos }> {
  if (settings.store.kind === 'embedded') {
    const { startEmbeddedCosmos } = await import('./platform/cosmos/embeddedServer.js');
    const embedded = await startEmbeddedCosmos(settings.store.port);
    const containers = await openCosmos({ endpoint: embedded.endpoint, key: embedded.key, auth: 'key', databaseId: 'ratepayer-desk', ...settings.cosmosTimeouts });
    return { containers, endpoint: embedded.endpoint, embedded };
  }
  const s = settings.store;
  const containers = await openCosmos(
    s.key
      ? { endpoint: s.endpoint, databaseId: s.databaseId, auth: 'key', key: s.key, ...settings.cosmosTimeouts }
      : { endpoint: s.endpoint, databaseId: s.databaseId, auth: 'identity', ...settings.cosmosTimeouts, ...(s.managedIdentityClientId ? { managedIdentityClientId: s.managedIdentityClientId } : {}) },
  );
  return { containers, endpoint: s.endpoint };
}

/** Builds and starts the service on its port. */
export async function startService(settings: Settings, options: ServiceOptions = {}): Promise<RunningService> {
  const definition = options.definition ?? loadDefinition(settings.definitionPath);
  const clock = options.clock ?? systemClock;
  // A definition whose sessions are all over is valid, but every ratepayer would be told that no
  // more sessions are planned: said at start, where the IT team looks (tester 10, finding 13).
  if (calendarIsOver(definition, clock.now()))
    log.warn(
      { component: 'service', programme: definition.programme.id },
      `No session of "${definition.programme.name}" is open now or planned ahead: ratepayers will be told that no more sessions are planned. Add the coming sessions to the calendar of the service definition (docs/deploy.md, step 2) and deploy again.`,
    );
  const store = options.containers
    ? { containers: options.containers, endpoint: 'provided' }
    : await openStore(settings);
  const { containers } = store;

  // Issue 17: one open case per mobile number and category, claimed in Cosmos (race-proof) and given up when the case closes.
  const openCaseClaims = new CosmosOpenCaseClaims(containers.leases);
  const cases = releasingOpenCaseClaims(new CosmosCaseStore(containers.cases), openCaseClaims, (error) =>
    log.warn({ err: error, component: 'open-case-claims' }, 'an open-case claim was not given up; the next form for that number takes it over'),
  );
  const conversations = new CosmosConversationStore(containers.conversations, { personalTtlSeconds: definition.limits.retentionDays * 86_400 });
  const logError = (error: unknown) => log.error({ err: error, component: 'live-events' }, 'live events failed');
  const events = new LiveQueueEvents(new CosmosQueueEventLog(containers.events, definition.programme.id), {
    onError: logError,
    ...options.liveEvents,
  });
  const presenceStore = new CosmosPresenceStore(containers.presence);
  const presence = new PresenceTracker(presenceStore, clock, logError);
  const roster = new PresenceDutyRoster(presenceStore, clock, new DefinitionDutyRoster(definition));
  const queue = new QueueService(definition, cases, roster, clock);
  const adapter = createAdapter(settings.bot, options.botEndpoints);
  const teamsMessenger = new ProactiveMessenger(adapter, settings.bot.kind === 'none' ? '' : settings.bot.appId, conversations, options.pacing ?? { ...TEAMS_LIMITS, outageBudgetMs: OUTAGE_BUDGET_MS });
  // A ratepayer is told things through their conversation's channel; supervisors are on Teams only.
  const channelMessengers: Record<string, Messenger> = {};
  const messenger = new ChannelMessengers(conversations, channelMessengers, teamsMessenger);
  const conversationCases = new ConversationCases(conversations, cases, clock);
  const { start: startScheduler = true, ...schedulerOptions } = options.scheduler ?? {};
  // Named on the messages this instance delivers and in its heartbeat (DeliveryRecovery).
  const instanceId = schedulerOptions.instanceId ?? `instance-${randomBytes(4).toString('hex')}`;
  // Every saved change to a case is published here (one error policy), to the live event log and
  // then to the listeners below.
  const caseEvents = new CaseEvents(definition, events);
  // Machine translation between ratepayer and expert (issue 16): Azure AI Translator, or the local stand-in.
  const translator = options.translator ?? (settings.translator ? translatorFromSettings(settings.translator) : undefined);
  const relay = new RelayService(definition, cases, conversationCases, messenger, caseEvents, clock, instanceId, undefined, translator);
  // The listeners of case changes, in order. Changes made here are told to the ratepayer from
  // here: once, whatever the number of instances.
  // The queue first: what it forecasts must know of a change before the places are told.
  // The web chat's SMS notices (below) are on with the web chat and an SMS sender: ACS's when SMS is
  // configured, else the one given. The intake's privacy notice says so (POPIA s18).
  const textsWebChat = !!settings.webChat && !!(settings.acs?.smsFrom || options.sms);
  const ratepayerUpdates = new RatepayerUpdates(definition, cases, queue, relay, clock, textsWebChat, options.placeUpdates);
  caseEvents.listen(queue, ratepayerUpdates);
  // Issue 20: the dispute receipt, the arrangement summary and the ESP dates, with the change.
  caseEvents.listen(new CityRulesUpdates(definition, relay));
  // Issue 19: receipts after what the change itself tells the ratepayer (the summary card first).
  const emailSender = settings.email ? await acsEmailSenderFor(settings.email) : undefined;
  const receipts = new ReceiptService(definition, cases, relay, clock, emailSender);
  caseEvents.listen(receipts);
  // The public chat page's address, for the SMS notices (known once the server listens).
  let chatUrl = '';
  const intake = new IntakeService(definition, cases, conversationCases, queue, clock, caseEvents, openCaseClaims, textsWebChat);
  // One expert per chat: two experts taking two cases of one chat at the same instant, one gets it (bot/platform/flow/chatClaim.ts).
  const chatClaims = new CosmosChatClaims(containers.leases);
  const desk = new AgentDesk(
    definition,
    cases,
    caseEvents,
    clock,
    new CosmosSearchAudit(containers.searches),
    // Claim-next leaves a ratepayer for a free agent who speaks their language (issue 16).
    { presentAgents: async () => (await roster.onDuty()).filter((a) => a.present).map((a) => a.staff) },
    // And a reopened case for its earlier expert while on duty (issue 19).
    roster,
    chatClaims,
  );
  // A resolution's summary reaches the ratepayer in their language, as the expert's messages do (issue 16).
  desk.translateSummariesWith((c, summary) => relay.translatedSummary(c, summary));
  if (translator) desk.translateBotLinesWith(translator);
  const feedback = new FeedbackService(cases, clock);
  const leases = new CosmosLeaseStore(containers.leases);
  const scheduler = new SessionScheduler(definition, leases, clock, { ...schedulerOptions, instanceId });
  const sessionCases = new CosmosSessionCaseReader(containers.cases);
  const supervision = new Supervision(
    definition,
    new CosmosSupervisionStore(containers.supervision),
    sessionCases,
    cases,
    teamsMessenger,
    presenceStore,
    caseEvents,
    clock,
    { ...options.supervision, chatClaims },
  );
  scheduler.onSessionEvent((event) => supervision.onSessionEvent(event));
  const sessionClose = new SessionCloseService(definition, cases, queue, relay, clock);
  scheduler.onSessionEvent((event) => sessionClose.handle(event));
  scheduler.onTick((tick) => supervision.onTick(tick));
  // Where Cosmos DB's TTL deletes closed cases this finds nothing; elsewhere it does the TTL's work.
  const retention = new RetentionSweep(definition, cases, conversations);
  scheduler.onTick(async (tick) => void (await retention.sweep(tick.now)));
  // Waits that slip with no queue getting shorter (an expert gone): looked for once a minute.
  let slipsCheckedAt = 0;
  scheduler.onTick(async (tick) => {
    if (Math.abs(tick.now.getTime() - slipsCheckedAt) < SLIP_CHECK_EVERY_MS) return;
    slipsCheckedAt = tick.now.getTime();
    await ratepayerUpdates.checkSlips();
  });
  // Finished cases' status and reopening, from any channel (issue 19).
  const followThroughAlerts = new FollowThroughAlerts(definition, new CosmosSupervisionStore(containers.supervision), messenger);
  const followUp = new RatepayerFollowUp(definition, cases, conversations, caseEvents, clock, conversations, followThroughAlerts);
  // WhatsApp (issue 18): Communication Services' messages in through Event Grid, out through its REST API.
  let whatsapp: WhatsAppChannel | undefined;
  let sms: SmsNotices | undefined;
  const photos = new CosmosMediaStore(containers.media);
  const acsClient = settings.acs ? await acsClientFor(settings.acs) : undefined;
  if (settings.acs?.smsFrom && acsClient) {
    sms = new SmsNotices(new AcsSmsSender(acsClient, settings.acs.smsFrom), {
      definition,
      conversations,
      cases,
      processed: conversations,
      clock,
      idKey: settings.acs.eventsSecret,
      whatsappConversationOf: (phone) => whatsapp?.conversationIdOf(phone) ?? '',
    });
  }
  // A notice that matters goes by SMS when the ratepayer's chat cannot take it.
  if (sms) relay.fallBackTo(smsFallback(sms));
  // The public web chat's ratepayers may have closed the page: the news that matters goes by SMS
  // too, through the SMS notices above when SMS is on (opt-outs, pacing), else through the sender
  // given (locally, the outbox npm start prints).
  const webChatSms: SmsSender | undefined = sms ?? options.sms;
  if (settings.webChat && webChatSms) caseEvents.listen(new WebChatSmsNotices(definition, webChatSms, () => chatUrl));
  if (settings.acs?.whatsappChannelId && acsClient) {
    whatsapp = new WhatsAppChannel({
      definition,
      conversations,
      routes: ratepayerRoutes({ intake, feedback, sessionClose, clock, relay, conversations, followUp }),
      settleLanguage: (turn) => settleLanguage(turn, { intake, feedback, sessionClose, clock, conversations }),
      messages: new WhatsAppMessages(acsClient, settings.acs.whatsappChannelId),
      media: photos,
      ...(sms ? { sms } : {}),
      processed: conversations,
      clock,
      idKey: settings.acs.eventsSecret,
      onDeliveryFailed: (conversationId, entryId, reason) => relay.recordLateFailure(conversationId, entryId, reason),
    });
    channelMessengers[WHATSAPP] = whatsapp;
  }
  // Issue 19: reminders and escalations of back-office referrals, once across instances (the lease holder).
  const followThrough = new FollowThroughJobs(definition, cases, caseEvents, relay, followThroughAlerts);
  scheduler.onTick(async (tick) => void (await followThrough.run(tick.now)));
  // Receipts that did not get through (chat or email down) are sent again, once a minute.
  let receiptsRetriedAt = 0;
  scheduler.onTick(async (tick) => {
    if (tick.now.getTime() - receiptsRetriedAt < 60_000) return;
    receiptsRetriedAt = tick.now.getTime();
    await receipts.retry(tick.now);
  });
  const recovery = new DeliveryRecovery(definition, cases, relay, leases, clock, instanceId);
  scheduler.onTick(async (tick) => void (await recovery.run(tick.now)));
  // Issue 20: ESP registrations are reminded of a month before they lapse (the lease holder looks every 15 minutes).
  const espReminders = new EspReminders(definition, cases, relay, clock);
  scheduler.onTick(async (tick) => void (await espReminders.run(tick.now)));

  const tabAuth = settings.tabAuth ?? { kind: 'local' as const };
  if (tabAuth.kind === 'local' && settings.mode !== 'local') throw new Error('Azure mode needs the Teams SSO settings (M365_CLIENT_ID, M365_TENANT_ID, TAB_ENDPOINT)');
  const localSigningKey = tabAuth.kind === 'local' ? (options.localSigningKey ?? (await createLocalSigningKey())) : undefined;
  const tokenRules: TokenRules = localSigningKey ? localTokenRules(localSigningKey) : entraTokenRules(tabAuth as Extract<typeof tabAuth, { kind: 'entra' }>);
  let tabApi: TabApi | undefined;
  const rateLimits = { ...DEFAULT_RATE_LIMITS, ...options.rateLimits };
  // One allowance per person across the tab and supervisor APIs.
  const authenticate = rateLimited(
    createAuthenticator(tokenRules, definition, clock, {
      bindings: new CosmosStaffBindings(containers.staffBindings),
      onMismatch: (mismatch) => supervision.identityAlert(mismatch),
    }),
    rateLimits.api,
  );

  const botDeps = { adapter, intake, relay, feedback, sessionClose, conversations, openForms: conversations, clock, supervision, followUp };
  const bot = createBotApplication(botDeps);
  // One limiter for every turn: a ratepayer flooding the bot is slowed down, others are not. Then
  // the gate: only activities with something to read reach the routes (bot/platform/teams/activityGate.ts).
  // Then each activity once: a resend of one already processed is ignored (bot/platform/teams/redelivery.ts).
  const turn = guardConversations(
    rateLimits.bot,
    gateActivities(botDeps, oncePerActivity(conversations, clock, (context) => bot.run(context).then(() => undefined))),
  );

  const server = createHttpServer({
    mode: settings.mode,
    // Local mode: no Bot Framework token binds the serviceUrl, so only loopback ones are let in.
    processActivity: async (req, res) => {
      const answer = await handleBotRequest(adapter, { body: req.body, authorization: req.headers.authorization }, turn, { localOnly: settings.bot.kind === 'none' });
      res.send(answer.status, answer.body);
    },
    health: async () => {
      await containers.database.read();
      return { ok: true };
    },
    routes: [
      (s) => {
        tabApi = registerTabApi(s, {
          desk,
          relay,
          media: photos,
          authenticate,
          events,
          presence,
          definition,
          clock,
          mode: settings.mode,
          ...(localSigningKey ? { localSignIn: localSigningKey } : {}),
          ...(tabAuth.kind === 'entra' ? { clientId: tabAuth.clientId } : {}),
        });
      },
      (s) => registerSupervisorApi(s, { supervision, authenticate, clock }),
      // Issue 20: the City's rules on the case page (dispute, arrangement, ESP registration).
      (s) => registerRulesApi(s, { rules: new CityRulesDesk(definition, desk, clock), disputes: new DisputeExport(definition, cases, clock), authenticate }),
      (s) => registerBackOfficeApi(s, { backOffice: new BackOfficeDesk(definition, cases, caseEvents, relay, clock, (c, staff) => desk.withBotLinesTranslated(c, staff)), authenticate }),
      (s) => registerTabStatic(s, options.tabDist ?? TAB_DIST),
      ...(settings.acs ? [(s: Parameters<typeof registerWhatsAppWebhook>[0]) => registerWhatsAppWebhook(s, { secret: settings.acs!.eventsSecret, ...(whatsapp ? { whatsapp } : {}), ...(sms ? { sms } : {}), rateLimit: rateLimits.bot })] : []),
      // The public web page and its Direct Line token route, when the Direct Line channel is configured.
      (s) => {
        if (!settings.webChat) return;
        registerWebChatToken(s, settings.webChat, {
          behindProxy: settings.mode === 'azure',
          categories: definition.categories.map((c) => c.code),
          presetLanguage: (conversationId, locale) => presetChatLanguage(conversations, definition, conversationId, locale),
          languageOf: async (conversationId) => (await conversations.languageOf(conversationId))?.language,
          ...(options.webChat?.tokenLimit ? { limit: options.webChat.tokenLimit } : {}),
        });
        registerWebChatPage(s, {
          distDir: options.webChat?.dist ?? WEB_DIST,
          definition,
          directLineEndpoint: settings.webChat.endpoint,
          frameAncestors: settings.webChat.frameAncestors ?? [],
          behindProxy: settings.mode === 'azure',
          // The QR codes point at the service's public origin in Azure (TAB_ENDPOINT), else where the request came.
          ...(settings.tabAuth?.kind === 'entra' ? { publicOrigin: settings.tabAuth.tabEndpoint } : {}),
        });
      },
    ],
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, settings.host, () => resolve());
  });
  if (startScheduler) scheduler.start();
  const address = server.address() as AddressInfo;
  const url = `http://${settings.host === '0.0.0.0' ? 'localhost' : settings.host}:${address.port}`;
  chatUrl = tabAuth.kind === 'entra' ? `${tabAuth.tabEndpoint}/chat/` : `${url}/chat/`;
  return {
    url,
    tabUrl: tabAuth.kind === 'entra' ? `${tabAuth.tabEndpoint}/tab/` : `${url}/tab/`,
    ...(settings.webChat ? { chatUrl } : {}),
    settings,
    definition,
    cosmosEndpoint: store.endpoint,
    embedded: 'embedded' in store && !!store.embedded,
    scheduler,
    close: async () => {
      // A clean stop within STOP_BUDGET_MS whatever the network does: no new requests; what the
      // messenger has not delivered is abandoned unrecorded (delivery recovery sends it, as after
      // a crash); the scheduler's round is not waited for long, and its leases are given up so
      // another instance takes over at once; requests still open are cut after a short grace.
      const httpServer = (server as unknown as { server: import('node:http').Server }).server;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      tabApi?.close();
      httpServer.closeIdleConnections();
      messenger.close();
      const requestsEnded = Promise.race([closed, new Promise((resolve) => setTimeout(resolve, REQUEST_GRACE_MS).unref())]);
      await Promise.all([scheduler.stop(), requestsEnded, ratepayerUpdates.stop()]);
      events.close();
      presence.close();
      httpServer.closeAllConnections();
      containers.client.dispose();
      if ('embedded' in store && store.embedded) await store.embedded.close();
    },
  };
}
