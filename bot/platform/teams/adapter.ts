/**
 * The Bot Framework adapter (Teams AI's TeamsAdapter, a CloudAdapter). With no app id it does
 * no authentication at all, which is why local mode binds to 127.0.0.1 only.
 */
import {
  ConfigurationServiceClientCredentialFactory,
  type Activity,
  type ConfigurationBotFrameworkAuthenticationOptions,
  type InvokeResponse,
  type TurnContext,
} from 'botbuilder';
import { TeamsAdapter } from '@microsoft/teams-ai';
import { AuthenticationError, type AuthenticateRequestResult } from 'botframework-connector';
import { z } from 'zod';
import type { BotAuth } from '../config/settings.js';
import { isLoopbackUrl } from '../http/edgeGuards.js';
import { log } from '../log.js';
import { t } from '../../messages/index.js';
import { localeOfContext } from './context.js';
import { sendPlainTextByDefault } from './textFormat.js';

/**
 * The Bot Framework's authentication endpoints, when they must differ from the public cloud's:
 * tests point inbound validation at a local OpenID metadata document and key set.
 */
export type BotEndpointOverrides = Partial<
  Pick<
    ConfigurationBotFrameworkAuthenticationOptions,
    | 'ToBotFromChannelOpenIdMetadataUrl'
    | 'ToBotFromChannelTokenIssuer'
    | 'ToBotFromEmulatorOpenIdMetadataUrl'
    | 'ToChannelFromBotLoginUrl'
    | 'ToChannelFromBotOAuthScope'
    | 'OAuthUrl'
    | 'CallerId'
    | 'ValidateAuthority'
  >
>;

/**
 * Teams AI's adapter, with one correction: a token whose signature does not verify reaches the
 * SDK as a plain JsonWebTokenError and would be answered 500; it is a refusal, so 401.
 */
export class RatepayerDeskAdapter extends TeamsAdapter {
  /** Runs one checked activity (see `handleBotRequest`): the SDK's authentication, then the bot. */
  run(authHeader: string, activity: Activity, logic: TurnLogic): Promise<InvokeResponse | undefined> {
    return this.processActivity(authHeader, activity, logic);
  }

  protected override processActivity(authHeader: string, activity: Activity, logic: TurnLogic): Promise<InvokeResponse | undefined>;
  protected override processActivity(
    authenticateRequestResult: AuthenticateRequestResult,
    activity: Activity,
    logic: TurnLogic,
  ): Promise<InvokeResponse | undefined>;
  protected override async processActivity(
    auth: string | AuthenticateRequestResult,
    activity: Activity,
    logic: TurnLogic,
  ): Promise<InvokeResponse | undefined> {
    try {
      // The base class takes either form at run time; the cast only picks an overload.
      return await super.processActivity(auth as string, activity, logic);
    } catch (error) {
      const name = (error as Error)?.name;
      if (name === 'JsonWebTokenError' || name === 'NotBeforeError')
        throw new AuthenticationError(`Unauthorized: ${(error as Error).message}`, 401);
      throw error;
    }
  }
}

type TurnLogic = (context: TurnContext) => Promise<void>;

/** Creates the adapter for the configured bot identity. */
export function createAdapter(auth: BotAuth, endpoints: BotEndpointOverrides = {}): RatepayerDeskAdapter {
  const credentials =
    auth.kind === 'none'
      ? {}
      : auth.kind === 'UserAssignedMsi'
        ? { MicrosoftAppId: auth.appId, MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppTenantId: auth.tenantId }
        : {
            MicrosoftAppId: auth.appId,
            MicrosoftAppPassword: auth.password,
            MicrosoftAppType: auth.kind,
            ...(auth.tenantId ? { MicrosoftAppTenantId: auth.tenantId } : {}),
          };
  const adapter = new RatepayerDeskAdapter({ ...credentials, ...endpoints }, new ConfigurationServiceClientCredentialFactory(credentials));
  // Text is shown as written, never rendered: what staff and ratepayers typed is quoted back (textFormat.ts).
  adapter.use(async (context, next) => {
    sendPlainTextByDefault(context);
    await next();
  });
  adapter.onTurnError = async (context, error) => {
    log.error({ err: error, component: 'bot', conversation: context.activity.conversation?.id, activity: context.activity.type }, 'turn failed');
    await context.sendActivity(t(localeOfContext(context), 'turn.failed'));
  };
  return adapter;
}

/** Ids as the Bot Framework sends them: short, printable. */
const id = z.string().min(1).max(512);

/**
 * The least an activity must have for the bot to handle it (the Bot Framework Activity schema,
 * https://github.com/microsoft/botframework-sdk/blob/main/specs/botframework-activity/botframework-activity.md):
 * a type, the channel, where to answer (`serviceUrl`) and the conversation and sender ids.
 * Anything else passes through as the channel sent it.
 */
const activitySchema = z
  .object({
    type: z.string().min(1).max(64),
    channelId: z.string().min(1).max(64),
    serviceUrl: z.string().max(2048).url(),
    conversation: z.object({ id }).passthrough(),
    from: z.object({ id }).passthrough(),
    recipient: z.object({ id }).passthrough().optional(),
  })
  .passthrough();

/** What the bot endpoint answers. */
export interface BotResponse {
  status: number;
  body?: unknown;
}

/** A short reason of ours for a malformed activity: which field, never the parser's text. */
function reasonOf(issues: z.ZodIssue[]): string {
  const fields = [...new Set(issues.map((i) => i.path.join('.') || 'body'))];
  return `The activity is malformed: ${fields.slice(0, 5).join(', ')} ${fields.length === 1 ? 'is' : 'are'} missing or not valid.`;
}

const LOCAL_SERVICE_URL = 'In local mode the activity\'s serviceUrl must be a loopback address (localhost, 127.0.0.0/8 or [::1]).';

/**
 * The bot endpoint: checks the activity (400 with a short reason), lets the SDK authenticate it
 * (401) and runs the bot. In local mode, where no Bot Framework token binds `serviceUrl`, only a
 * loopback one is accepted, so replies go nowhere but this machine. Failures are logged and
 * answered with a message of ours: no SDK, connector or stack text ever leaves the service.
 */
export async function handleBotRequest(
  adapter: RatepayerDeskAdapter,
  request: { body: unknown; authorization: string | undefined },
  logic: TurnLogic,
  options: { localOnly: boolean },
): Promise<BotResponse> {
  const parsed = activitySchema.safeParse(request.body);
  if (!parsed.success) return { status: 400, body: { error: 'invalid_activity', message: reasonOf(parsed.error.issues) } };
  if (options.localOnly && !isLoopbackUrl(parsed.data.serviceUrl)) return { status: 400, body: { error: 'invalid_activity', message: LOCAL_SERVICE_URL } };
  const activity = parsed.data as unknown as Activity & Record<string, unknown>;
  // As the SDK's own request handling does (validateAndFixActivity): times arrive as strings.
  for (const field of ['timestamp', 'localTimestamp', 'expiration'] as const) {
    const value = activity[field];
    if (typeof value === 'string') {
      activity[`raw${field[0]!.toUpperCase()}${field.slice(1)}`] = value;
      (activity as Record<string, unknown>)[field] = new Date(value);
    }
  }
  try {
    const invoke = await adapter.run(request.authorization ?? '', activity, logic);
    return { status: invoke?.status ?? 200, ...(invoke?.body !== undefined ? { body: invoke.body } : {}) };
  } catch (error) {
    if (error instanceof AuthenticationError || (error as { statusCode?: unknown })?.statusCode === 401) {
      log.warn({ component: 'bot', reason: (error as Error).message }, 'activity refused: not authenticated');
      return { status: 401, body: { error: 'unauthorized', message: 'The request is not signed by the Bot Framework for this bot.' } };
    }
    log.error({ err: error, component: 'bot', conversation: parsed.data.conversation.id, activity: parsed.data.type }, 'activity failed');
    return { status: 500, body: { error: 'internal', message: 'Something went wrong on the service; the activity was not processed.' } };
  }
}
