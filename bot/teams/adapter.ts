/**
 * The Bot Framework adapter (Teams AI's TeamsAdapter, a CloudAdapter). With no app id it does
 * no authentication at all, which is why local mode binds to 127.0.0.1 only.
 */
import { ConfigurationServiceClientCredentialFactory } from 'botbuilder';
import { TeamsAdapter } from '@microsoft/teams-ai';
import type { BotAuth } from '../config/settings.js';

/** Creates the adapter for the configured bot identity. */
export function createAdapter(auth: BotAuth): TeamsAdapter {
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
  const adapter = new TeamsAdapter(credentials, new ConfigurationServiceClientCredentialFactory(credentials));
  adapter.onTurnError = async (context, error) => {
    console.error(`[bot] turn failed for conversation ${context.activity.conversation?.id}:`, error);
    await context.sendActivity(
      'Sorry, something went wrong on our side and your last message was not processed. Please try again in a moment; nothing you sent before is lost.',
    );
  };
  return adapter;
}
