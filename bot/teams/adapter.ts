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
import type { BotAuth } from '../config/settings.js';

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
class RatepayerDeskAdapter extends TeamsAdapter {
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
export function createAdapter(auth: BotAuth, endpoints: BotEndpointOverrides = {}): TeamsAdapter {
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
  adapter.onTurnError = async (context, error) => {
    console.error(`[bot] turn failed for conversation ${context.activity.conversation?.id}:`, error);
    await context.sendActivity(
      'Sorry, something went wrong on our side and your last message was not processed. Please try again in a moment; nothing you sent before is lost.',
    );
  };
  return adapter;
}
