// Ratepayer Desk in Azure: one Linux web app running the service (bot endpoint, tab and tab API),
// its user-assigned managed identity (the bot's identity and the Cosmos DB and Translator client),
// the Azure Bot with the Teams channel, Azure Cosmos DB, Azure AI Translator and Application Insights.
//
// Deployed by teamsapp.yml (arm/deploy) with infra/azure.parameters.json; its outputs are written
// to env/.env.<environment> in upper case and used by the Teams app manifest and the deploy stage.
// tests/deploy/consistency.test.ts reads this file: keep the app settings, outputs and container
// loop in the shapes it understands (one `name: value` per line in the app settings object).

@description('Lower-case letters and digits used to name every resource (web app host name, Cosmos DB account).')
@minLength(4)
@maxLength(20)
param resourceBaseName string

@description('Region for the web app, Cosmos DB and monitoring. POPIA s72: personal information stays in South Africa unless there is a reason and a lawful basis to move it.')
param location string = 'southafricanorth'

@description('App Service plan SKU. B1 is enough for a pilot; P0v3 or above for zone redundancy and autoscale.')
param webAppSku string = 'B1'

@description('Number of web app instances. The service is stateless (all state in Cosmos DB), so any number can run.')
@minValue(1)
@maxValue(30)
param instanceCount int = 1

@description('Azure Bot SKU: F0 (free, standard channels such as Teams are free) or S1.')
@allowed([
  'F0'
  'S1'
])
param botServiceSku string = 'F0'

@maxLength(42)
@description('Name of the bot shown in Azure.')
param botDisplayName string

@description('Path of the programme definition the service loads, relative to the deployed folder (the web app starts in it).')
param serviceDefinition string = 'bot/definitions/joburg-region-b-pilot.json'

@description('Client id of the Entra app used for Teams SSO in the tab (aadApp/create). The tab API accepts tokens with this audience.')
param m365ClientId string

@description('Tenant of that Entra app.')
param m365TenantId string = tenant().tenantId

@description('Entra authority host.')
param m365AuthorityHost string = 'https://login.microsoftonline.com'

@description('Cosmos DB database name.')
param cosmosDatabaseName string = 'ratepayer-desk'

@description('Serverless Cosmos DB (pay per request; right for a pilot). Set false for provisioned autoscale throughput.')
param cosmosServerless bool = true

@description('Maximum autoscale throughput of the database when cosmosServerless is false.')
param cosmosMaxThroughput int = 1000

@description('Region of the Azure AI Translator resource (issue 16). Default: the same region as everything else (southafricanorth). Translator processes text at its nearest datacentre or in a named geography (Americas, Asia Pacific, Europe, Switzerland), never only in South Africa, wherever the resource is: docs/security.md, POPIA s72.')
param translatorLocation string = location

@description('Azure AI Translator pricing tier: F0 (free, 2 million characters a month, one per subscription) or S1 (pay as you go).')
@allowed([
  'F0'
  'S1'
])
param translatorSku string = 'S1'

// The optional features below are strings because the toolkit passes them from env/.env.<env>
// (infra/azure.parameters.json: WHATSAPP_CHANNEL_ID, SMS_FROM, SECRET_WHATSAPP_EVENTS_SECRET,
// CREATE_EVENT_SUBSCRIPTION, EMAIL_RECEIPTS) and a placeholder is always text, never empty: 'off'
// and 'false' say a feature is off (docs/deploy.md, "Optional features").

@description('WhatsApp (issue 18): the channel registration id (a GUID) of the City\'s WhatsApp Business number, shown in the Communication Services resource once the number is connected there (docs/whatsapp.md). Empty or \'off\': WhatsApp off.')
param whatsappChannelId string = ''

@description('SMS notices: the sender (E.164 number or alphanumeric id). Empty or \'off\': SMS off. ACS SMS does not reach South African numbers today (docs/whatsapp.md).')
param smsFrom string = ''

@secure()
@description('A random secret of at least 32 characters, generated once and kept (openssl rand -base64 32), from SECRET_WHATSAPP_EVENTS_SECRET in env/.env.<env>.user (never committed): Event Grid puts it in the webhook URL, and WhatsApp conversation ids are derived with it. Empty or \'off\' when WhatsApp and SMS are off.')
param whatsappEventsSecret string = ''

@description('\'true\': create the Event Grid subscription to the service\'s webhook. Event Grid validates the webhook when the subscription is created, so the service must already run: \'false\' on the first provision, \'true\' once it is deployed (docs/deploy.md).')
@allowed([
  'true'
  'false'
])
param enableEventSubscription string = 'false'

@description('\'true\': email receipts (issue 19): an Email Communication Services resource with an Azure-managed domain, linked to the Communication Services resource; the service sends receipts from DoNotReply@ that domain with the managed identity (no key). \'false\': receipts go to the chat only. A custom domain of the City is a hand step (docs/deploy.md).')
@allowed([
  'true'
  'false'
])
param enableEmailReceipts string = 'false'

var whatsappChannel = whatsappChannelId == 'off' ? '' : whatsappChannelId
var smsSender = smsFrom == 'off' ? '' : smsFrom
var eventsSecret = whatsappEventsSecret == 'off' ? '' : whatsappEventsSecret
var createEventSubscription = enableEventSubscription == 'true'
var emailReceipts = enableEmailReceipts == 'true'
var acsOn = !empty(whatsappChannel) || !empty(smsSender)
// The Communication Services resource serves WhatsApp and SMS, and email receipts through its linked domain.
var acsResourceOn = acsOn || emailReceipts
// Contributor on the Communication Services resource only: what its data plane (messages, SMS, email) accepts for Entra callers.
var acsRoleId = 'b24988ac-6180-42a0-ab88-20f7382dd24c'

var webAppName = resourceBaseName
var cosmosAccountName = '${resourceBaseName}-cosmos'
// Cosmos DB Built-in Data Contributor: read and write items, read metadata; no keys, no control plane.
var cosmosDataContributorRoleId = '00000000-0000-0000-0000-000000000002'
// Cognitive Services User: call Azure AI services' APIs (the data plane); no keys, no management.
var cognitiveServicesUserRoleId = 'a97b65f3-24c7-4388-baec-2e87135dc908'
var translatorName = '${resourceBaseName}-translator'
// The containers the service uses, generated from CONTAINER_DEFINITIONS (npm run infra:containers).
var cosmosContainers = loadJsonContent('cosmos-containers.json')

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${resourceBaseName}-identity'
  location: location
}

resource logAnalytics 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${resourceBaseName}-logs'
  location: location
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: 30
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${resourceBaseName}-insights'
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'Node.JS'
    WorkspaceResourceId: logAnalytics.id
  }
}

resource cosmosAccount 'Microsoft.DocumentDB/databaseAccounts@2024-05-15' = {
  name: cosmosAccountName
  location: location
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    consistencyPolicy: {
      defaultConsistencyLevel: 'Session'
    }
    locations: [
      {
        locationName: location
        failoverPriority: 0
        isZoneRedundant: false
      }
    ]
    capabilities: cosmosServerless ? [
      {
        name: 'EnableServerless'
      }
    ] : []
    // Entra ID only: account keys cannot be used, so none can leak through app settings.
    disableLocalAuth: true
    disableKeyBasedMetadataWriteAccess: true
    minimalTlsVersion: 'Tls12'
    publicNetworkAccess: 'Enabled'
  }
}

resource cosmosDatabase 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2024-05-15' = {
  parent: cosmosAccount
  name: cosmosDatabaseName
  properties: {
    resource: {
      id: cosmosDatabaseName
    }
    options: cosmosServerless ? {} : {
      autoscaleSettings: {
        maxThroughput: cosmosMaxThroughput
      }
    }
  }
}

// Each element is the ARM `resource` object of a container: id, partitionKey, indexingPolicy, defaultTtl.
resource cosmosContainerResources 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-05-15' = [for container in cosmosContainers: {
  parent: cosmosDatabase
  name: container.id
  properties: {
    resource: container
  }
}]

resource cosmosDataRole 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2024-05-15' = {
  parent: cosmosAccount
  name: guid(cosmosAccount.id, identity.id, cosmosDataContributorRoleId)
  properties: {
    roleDefinitionId: '${cosmosAccount.id}/sqlRoleDefinitions/${cosmosDataContributorRoleId}'
    principalId: identity.properties.principalId
    scope: cosmosAccount.id
  }
}

// Machine translation between ratepayer and expert (issue 16): Text Translation REST v3. Entra ID
// only (no keys), which needs the resource's custom subdomain endpoint.
resource translator 'Microsoft.CognitiveServices/accounts@2024-10-01' = {
  name: translatorName
  location: translatorLocation
  kind: 'TextTranslation'
  sku: {
    name: translatorSku
  }
  properties: {
    customSubDomainName: translatorName
    disableLocalAuth: true
    publicNetworkAccess: 'Enabled'
  }
}

resource translatorUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: translator
  name: guid(translator.id, identity.id, cognitiveServicesUserRoleId)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', cognitiveServicesUserRoleId)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: '${resourceBaseName}-plan'
  location: location
  kind: 'linux'
  sku: {
    name: webAppSku
    capacity: instanceCount
  }
  properties: {
    reserved: true
  }
}

resource webApp 'Microsoft.Web/sites@2023-12-01' = {
  name: webAppName
  location: location
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // Stateless service: no sticky sessions, any instance answers any request.
    clientAffinityEnabled: false
    siteConfig: {
      linuxFxVersion: 'NODE|24-lts'
      appCommandLine: 'node bot/main.js'
      alwaysOn: true
      healthCheckPath: '/health'
      ftpsState: 'Disabled'
      minTlsVersion: '1.2'
      http20Enabled: true
    }
  }
}

// The app settings are a child resource so that TAB_ENDPOINT can use the web app's host name.
resource webAppSettings 'Microsoft.Web/sites/config@2023-12-01' = {
  parent: webApp
  name: 'appsettings'
  properties: {
    SERVICE_DEFINITION: serviceDefinition
    BOT_ID: identity.properties.clientId
    BOT_TYPE: 'UserAssignedMsi'
    BOT_TENANT_ID: identity.properties.tenantId
    COSMOS_ENDPOINT: cosmosAccount.properties.documentEndpoint
    COSMOS_DATABASE: cosmosDatabaseName
    COSMOS_MANAGED_IDENTITY_CLIENT_ID: identity.properties.clientId
    M365_CLIENT_ID: m365ClientId
    M365_TENANT_ID: m365TenantId
    M365_AUTHORITY_HOST: m365AuthorityHost
    TAB_ENDPOINT: 'https://${webApp.properties.defaultHostName}'
    TRANSLATOR_ENDPOINT: 'https://${translator.properties.customSubDomainName}.cognitiveservices.azure.com/translator/text/v3.0'
    TRANSLATOR_MANAGED_IDENTITY_CLIENT_ID: identity.properties.clientId
    ACS_ENDPOINT: acsOn ? 'https://${acs.properties.hostName}' : ''
    // Email receipts (issue 19): the same resource, its linked Azure-managed domain's DoNotReply sender, the managed identity.
    ACS_EMAIL_ENDPOINT: emailReceipts ? 'https://${acs.properties.hostName}' : ''
    ACS_EMAIL_SENDER: emailReceipts ? 'DoNotReply@${emailDomain.properties.mailFromSenderDomain}' : ''
    ACS_EMAIL_MANAGED_IDENTITY_CLIENT_ID: emailReceipts ? identity.properties.clientId : ''
    ACS_MANAGED_IDENTITY_CLIENT_ID: acsOn ? identity.properties.clientId : ''
    WHATSAPP_CHANNEL_ID: whatsappChannel
    WHATSAPP_EVENTS_SECRET: acsOn ? eventsSecret : ''
    SMS_FROM: smsSender
    // The public web chat (issue 17): the Direct Line site's secret, exchanged by the service for
    // short-lived tokens (POST /api/webchat/token); it never reaches a browser.
    DIRECT_LINE_SECRET: directLineChannel.listChannelWithKeys().properties.properties.sites[0].key
    APPLICATIONINSIGHTS_CONNECTION_STRING: appInsights.properties.ConnectionString
    ApplicationInsightsAgent_EXTENSION_VERSION: '~3'
    WEBSITE_RUN_FROM_PACKAGE: '1'
    SCM_DO_BUILD_DURING_DEPLOYMENT: 'false'
  }
  dependsOn: [
    cosmosDataRole
    cosmosContainerResources
    translatorUser
  ]
}

// WhatsApp and SMS (issue 18): Communication Services, its data kept in Africa; the identity's
// role on it (no connection string in the settings); its events to the service's webhook through
// an Event Grid system topic (Event Grid schema, one event per request).
resource acs 'Microsoft.Communication/communicationServices@2023-04-01' = if (acsResourceOn) {
  name: '${resourceBaseName}-acs'
  location: 'global'
  properties: {
    dataLocation: 'Africa'
    linkedDomains: emailReceipts ? [
      emailDomain.id
    ] : []
  }
}

// Email receipts (issue 19): ACS links only a domain of the same data location, so Africa here too.
resource emailService 'Microsoft.Communication/emailServices@2023-04-01' = if (emailReceipts) {
  name: '${resourceBaseName}-email'
  location: 'global'
  properties: {
    dataLocation: 'Africa'
  }
}

// An Azure-managed domain (<guid>.azurecomm.net, DoNotReply@ ready): no DNS work; open and click tracking off (POPIA).
resource emailDomain 'Microsoft.Communication/emailServices/domains@2023-04-01' = if (emailReceipts) {
  parent: emailService
  name: 'AzureManagedDomain'
  location: 'global'
  properties: {
    domainManagement: 'AzureManaged'
    userEngagementTracking: 'Disabled'
  }
}

resource acsRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (acsResourceOn) {
  name: guid(resourceGroup().id, '${resourceBaseName}-acs', identity.id, acsRoleId)
  scope: acs
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', acsRoleId)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource acsEvents 'Microsoft.EventGrid/systemTopics@2022-06-15' = if (acsOn) {
  name: '${resourceBaseName}-acs-events'
  location: 'global'
  properties: {
    source: acs.id
    topicType: 'Microsoft.Communication.CommunicationServices'
  }
}

resource acsToService 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2022-06-15' = if (acsOn && createEventSubscription) {
  parent: acsEvents
  name: 'to-service'
  properties: {
    destination: {
      endpointType: 'WebHook'
      properties: {
        endpointUrl: 'https://${webApp.properties.defaultHostName}/api/whatsapp/events?key=${eventsSecret}'
        maxEventsPerBatch: 1
        preferredBatchSizeInKilobytes: 64
      }
    }
    filter: {
      includedEventTypes: [
        'Microsoft.Communication.AdvancedMessageReceived'
        'Microsoft.Communication.AdvancedMessageDeliveryStatusUpdated'
        'Microsoft.Communication.SMSReceived'
      ]
    }
    eventDeliverySchema: 'EventGridSchema'
    retryPolicy: {
      maxDeliveryAttempts: 30
      eventTimeToLiveInMinutes: 1440
    }
  }
  dependsOn: [
    webAppSettings
  ]
}

// Register the web app as a bot whose identity is the managed identity (no password anywhere).
resource botService 'Microsoft.BotService/botServices@2022-09-15' = {
  name: resourceBaseName
  location: 'global'
  kind: 'azurebot'
  sku: {
    name: botServiceSku
  }
  properties: {
    displayName: botDisplayName
    endpoint: 'https://${webApp.properties.defaultHostName}/api/messages'
    msaAppId: identity.properties.clientId
    msaAppMSIResourceId: identity.id
    msaAppTenantId: identity.properties.tenantId
    msaAppType: 'UserAssignedMSI'
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: botService
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
  }
}

// The public web chat (issue 17): Bot Framework Web Chat on the service's /chat/ page, through
// Direct Line 3.0. Enhanced authentication (isSecureSiteEnabled): user ids come only from the
// tokens the service generates (dl_…), and only the service's own origin is trusted.
resource directLineChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: botService
  name: 'DirectLineChannel'
  location: 'global'
  properties: {
    channelName: 'DirectLineChannel'
    properties: {
      sites: [
        {
          siteName: 'Public web chat'
          isEnabled: true
          isV1Enabled: false
          isV3Enabled: true
          isSecureSiteEnabled: true
          trustedOrigins: [
            'https://${webApp.properties.defaultHostName}'
          ]
        }
      ]
    }
  }
}

// Written to env/.env.<environment> by Teams Toolkit (names in upper case).
output BOT_AZURE_APP_SERVICE_RESOURCE_ID string = webApp.id
output BOT_ID string = identity.properties.clientId
output BOT_TENANT_ID string = identity.properties.tenantId
output BOT_DOMAIN string = webApp.properties.defaultHostName
output TAB_DOMAIN string = webApp.properties.defaultHostName
output TAB_ENDPOINT string = 'https://${webApp.properties.defaultHostName}'
output AZURE_BOT_NAME string = botService.name
output COSMOS_ENDPOINT string = cosmosAccount.properties.documentEndpoint
output COSMOS_DATABASE string = cosmosDatabaseName
output MANAGED_IDENTITY_PRINCIPAL_ID string = identity.properties.principalId
output TRANSLATOR_ENDPOINT string = 'https://${translator.properties.customSubDomainName}.cognitiveservices.azure.com/translator/text/v3.0'
output ACS_RESOURCE_NAME string = acsResourceOn ? acs.name : ''
