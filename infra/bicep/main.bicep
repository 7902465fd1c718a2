// PrecisionMed Serverless: the whole deployment, one module per concern (modules/). Deploy with
// `azd up` (azure.yaml, main.bicepparam) or `az deployment group create` with params/dev.bicepparam
// or params/prod.bicepparam. Access is by managed identity and RBAC only: no keys, connection
// strings with secrets or SAS anywhere in settings or outputs (docs/design.md, "Reliability and security rules").
targetScope = 'resourceGroup'

import { emrSubscriber } from 'modules/serviceBus.bicep'

@description('Azure region for every resource; defaults to the resource group\'s region.')
param location string = resourceGroup().location

@description('Environment name (azd environment); tags every resource and seeds the generated names.')
@minLength(1)
@maxLength(24)
param environmentName string

@description('Name of the lab data storage account (3-24 lowercase letters and digits, globally unique).')
@minLength(3)
@maxLength(24)
param labDataAccountName string = 'stlab${uniqueString(subscription().id, resourceGroup().id, environmentName)}'

@description('Name of the user-assigned managed identity the function app runs as.')
param identityName string = 'id-pmed-${environmentName}'

@description('Lab ids (folders under incoming/) the pipeline accepts; a file in any other folder is rejected. Empty: any well-formed lab id. Add a lab here when onboarding it.')
param knownLabs string[] = []

@description('Cosmos DB capacity: serverless (pay per request) or autoscale (provisioned, scales 10-100% of the maximum).')
@allowed([
  'serverless'
  'autoscale'
])
param cosmosCapacityMode string = 'serverless'

@description('Maximum RU/s of the Cosmos DB database when cosmosCapacityMode is autoscale.')
@minValue(1000)
param cosmosAutoscaleMaxThroughput int = 1000

@description('Memory of one function instance in MB.')
@allowed([
  512
  2048
  4096
])
param functionInstanceMemoryMB int = 2048

@description('Most function instances; bounds the load on Cosmos DB and the FHIR service.')
@minValue(1)
@maxValue(1000)
param functionMaximumInstanceCount int = 40

@description('Instances kept warm for the blob trigger (0: the first file of a quiet period waits for a cold start).')
@minValue(0)
@maxValue(20)
param blobTriggerAlwaysReady int = 0

@description('Create the Event Grid subscription that delivers new lab files to the blob trigger. Needs the code deployed (the webhook key and handshake exist only then): false on the first provision, true afterwards (azd\'s postdeploy hook sets it).')
param subscribeLabIntake bool = false

@description('EMRs that subscribe to notifications: one subscription each on the genomic-results and fhir-events topics; with principalId, that principal gets Azure Service Bus Data Receiver on its own subscriptions.')
param emrSubscribers emrSubscriber[] = []

@description('Private networking: a VNet with the function app integrated, private endpoints and DNS zones for storage, Cosmos DB, Service Bus (then Premium) and the FHIR service, and public network access off on all of them.')
param enablePrivateNetworking bool = false

@description('Address space of the VNet (private networking only); two /24 subnets are taken from it.')
param vnetAddressPrefix string = '10.40.0.0/16'

@description('Application (client) ID of the API\'s Entra ID app registration (app roles Genomics.Read, Genomics.Population, PrecisionMed.Operator); App Service authentication validates callers\' tokens for it. Empty: not configured, and the role-protected endpoints refuse every caller.')
param apiClientId string = ''

@description('E-mail addresses that receive the alerts (none: alerts show in the portal only).')
param alertEmailAddresses string[] = []

@description('Days Log Analytics keeps logs and telemetry.')
@minValue(30)
@maxValue(730)
param logRetentionInDays int = 30

@description('Days a deleted or overwritten lab file stays recoverable (blob and container soft delete, previous versions).')
@minValue(1)
@maxValue(365)
param softDeleteRetentionDays int = 14

@description('Days after which a file in archive/ moves to the cool tier.')
@minValue(1)
param archiveCoolAfterDays int = 30

@description('Days after which a file in archive/ moves to the cold tier (more than archiveCoolAfterDays).')
@minValue(2)
param archiveColdAfterDays int = 180

@description('FHIR writes: retries of a transient failure (429, 5xx, timeout) before the queue redelivers (Fhir__MaxRetries).')
@minValue(0)
@maxValue(10)
param fhirMaxRetries int = 5

@description('FHIR writes: first retry delay, then exponential with jitter unless Retry-After says otherwise (Fhir__RetryBaseDelay, hh:mm:ss).')
param fhirRetryBaseDelay string = '00:00:01'

@description('FHIR writes: timeout of one attempt (Fhir__AttemptTimeout, hh:mm:ss).')
param fhirAttemptTimeout string = '00:01:40'

@description('FHIR writes: budget of one request with all its retries and waits, well inside host.json functionTimeout (Fhir__TotalTimeout, hh:mm:ss).')
param fhirTotalTimeout string = '00:04:00'

@description('FHIR writes: requests in flight per instance at most; halved on 429, regained on success (Fhir__MaxConcurrency).')
@minValue(1)
@maxValue(256)
param fhirMaxConcurrency int = 16

@description('What the pipeline accepts (Limits__* and Pipeline__MaxInlineDocumentBytes); a file past a limit is rejected naming the setting. The defaults are the code\'s, sized for clinical files.')
param limits inputLimits = {
  maxFileBytes: 2147483648
  maxDecompressedBytes: 17179869184
  maxDecompressionRatio: '100'
  maxDocumentBytes: 134217728
  maxLineBytes: 67108864
  maxMessagesPerFile: 5000
  maxJsonDepth: 64
  maxInlineDocumentBytes: 1048576
}

@description('Failed function executions in 15 minutes that raise an alert.')
@minValue(0)
param functionFailureAlertThreshold int = 0

@description('FHIR 429 responses in 5 minutes that raise an alert.')
@minValue(0)
param fhirThrottleAlertThreshold int = 10

@description('The EHRs whose CDS Hooks JWTs are accepted: issuer|jwks-url pairs separated by ";" (an https JWKS URL each). Empty: every CDS call is refused (401) until an EHR is added.')
param cdsTrustedIssuers string = ''

@description('Browser origins allowed to call the HTTP API (the Function App\'s CORS), e.g. https://sandbox.cds-hooks.org: CDS Hooks says browser-based CDS clients need CORS. The API takes tokens and keys, never cookies (no credentials allowed). Empty: no CORS.')
param corsAllowedOrigins array = []

@description('Percentage of CDS Hooks calls (services and feedback) answered with a server error (5xx) in 15 minutes that raises an alert.')
@minValue(0)
@maxValue(100)
param cdsErrorRateAlertPercent int = 5

var resourceToken = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName))

var tags = {
  'azd-env-name': environmentName
  application: 'precisionmed-serverless'
}

// The blob-triggered function (src/Functions/Triggers/LabFileArrivedFunction.cs) Event Grid calls.
var labFileArrivedFunction = 'LabFileArrivedFunction'

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: {
    location: location
    tags: tags
    name: identityName
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    location: location
    tags: tags
    workspaceName: 'log-pmed-${environmentName}'
    appInsightsName: 'appi-pmed-${environmentName}'
    retentionInDays: logRetentionInDays
    appPrincipalId: identity.outputs.principalId
  }
}

module network 'modules/network.bicep' = {
  name: 'network'
  params: {
    location: location
    tags: tags
    enabled: enablePrivateNetworking
    name: 'vnet-pmed-${environmentName}'
    addressPrefix: vnetAddressPrefix
  }
}

module labStorage 'modules/labStorage.bicep' = {
  name: 'labStorage'
  params: {
    location: location
    tags: tags
    name: labDataAccountName
    appPrincipalId: identity.outputs.principalId
    softDeleteRetentionDays: softDeleteRetentionDays
    archiveCoolAfterDays: archiveCoolAfterDays
    archiveColdAfterDays: archiveColdAfterDays
    logAnalyticsWorkspaceId: monitoring.outputs.workspaceId
    privateNetworking: enablePrivateNetworking
    privateEndpointSubnetId: network.outputs.privateEndpointsSubnetId
    privateDnsZoneIds: network.outputs.dnsZoneIds
  }
}

module hostStorage 'modules/hostStorage.bicep' = {
  name: 'hostStorage'
  params: {
    location: location
    tags: tags
    name: 'stfn${resourceToken}'
    appPrincipalId: identity.outputs.principalId
    logAnalyticsWorkspaceId: monitoring.outputs.workspaceId
    privateNetworking: enablePrivateNetworking
    privateEndpointSubnetId: network.outputs.privateEndpointsSubnetId
    privateDnsZoneIds: network.outputs.dnsZoneIds
  }
}

module cosmos 'modules/cosmos.bicep' = {
  name: 'cosmos'
  params: {
    location: location
    tags: tags
    name: 'cosmos-pmed-${resourceToken}'
    capacityMode: cosmosCapacityMode
    autoscaleMaxThroughput: cosmosAutoscaleMaxThroughput
    appPrincipalId: identity.outputs.principalId
    logAnalyticsWorkspaceId: monitoring.outputs.workspaceId
    privateNetworking: enablePrivateNetworking
    privateEndpointSubnetId: network.outputs.privateEndpointsSubnetId
    privateDnsZoneIds: network.outputs.dnsZoneIds
  }
}

module fhir 'modules/fhir.bicep' = {
  name: 'fhir'
  params: {
    location: location
    tags: tags
    workspaceName: 'ahds${resourceToken}'
    fhirServiceName: 'fhir'
    appPrincipalId: identity.outputs.principalId
    logAnalyticsWorkspaceId: monitoring.outputs.workspaceId
    privateNetworking: enablePrivateNetworking
    privateEndpointSubnetId: network.outputs.privateEndpointsSubnetId
    privateDnsZoneIds: network.outputs.dnsZoneIds
  }
}

module serviceBus 'modules/serviceBus.bicep' = {
  name: 'serviceBus'
  params: {
    location: location
    tags: tags
    name: 'sb-pmed-${resourceToken}'
    // Private endpoints exist for Premium namespaces only.
    sku: enablePrivateNetworking ? 'Premium' : 'Standard'
    emrSubscribers: emrSubscribers
    appPrincipalId: identity.outputs.principalId
    logAnalyticsWorkspaceId: monitoring.outputs.workspaceId
    privateNetworking: enablePrivateNetworking
    privateEndpointSubnetId: network.outputs.privateEndpointsSubnetId
    privateDnsZoneIds: network.outputs.dnsZoneIds
  }
}

module fhirEvents 'modules/fhirEvents.bicep' = {
  name: 'fhirEvents'
  params: {
    location: location
    tags: tags
    healthWorkspaceName: fhir.outputs.workspaceName
    serviceBusNamespaceName: serviceBus.outputs.name
    topicName: serviceBus.outputs.fhirEventsTopicName
    systemTopicName: 'evgt-fhir-${environmentName}'
  }
}

// Every setting the code reads (tests/Infra.Tests/Bicep/CodeSettings.cs lists them from the
// options classes and functions.metadata). Connections are identity-based: a service URI, the
// credential kind and the user-assigned identity's client id; never a key.
var appSettings = {
  // Functions host storage.
  AzureWebJobsStorage__blobServiceUri: hostStorage.outputs.blobEndpoint
  AzureWebJobsStorage__queueServiceUri: hostStorage.outputs.queueEndpoint
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identity.outputs.clientId
  // Telemetry, authenticated with the identity (Application Insights has local auth off).
  APPLICATIONINSIGHTS_CONNECTION_STRING: monitoring.outputs.appInsightsConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identity.outputs.clientId};Authorization=AAD'
  // Lab data account: the triggers' connection `LabStorage` (Bindings.cs) and LabStorageOptions.
  LabStorage__blobServiceUri: labStorage.outputs.blobEndpoint
  LabStorage__queueServiceUri: labStorage.outputs.queueEndpoint
  LabStorage__credential: 'managedidentity'
  LabStorage__clientId: identity.outputs.clientId
  LabStorage__WorkQueueName: labStorage.outputs.workQueueName
  LabStorage__CreateIfMissing: 'false'
  // Cosmos DB (CosmosOptions): ledger and knowledge store.
  Cosmos__Endpoint: cosmos.outputs.endpoint
  Cosmos__Database: cosmos.outputs.databaseName
  Cosmos__LedgerContainer: cosmos.outputs.ledgerContainerName
  Cosmos__KnowledgeContainer: cosmos.outputs.knowledgeContainerName
  Cosmos__GenomicIndexContainer: cosmos.outputs.genomicIndexContainerName
  Cosmos__CdsFeedbackContainer: cosmos.outputs.cdsFeedbackContainerName
  Cosmos__ClientId: identity.outputs.clientId
  Cosmos__CreateIfMissing: 'false'
  // The knowledge store (KnowledgeOptions): the Cosmos container, not the embedded seed.
  Knowledge__Store: 'Cosmos'
  // CDS Hooks (CdsOptions): the EHRs trusted to call the services, by issuer and JWKS URL.
  Cds__TrustedIssuers: cdsTrustedIssuers
  // FHIR service (FhirOptions).
  Fhir__BaseUrl: fhir.outputs.fhirUrl
  Fhir__UseManagedIdentity: 'true'
  Fhir__ClientId: identity.outputs.clientId
  Fhir__MaxRetries: string(fhirMaxRetries)
  Fhir__RetryBaseDelay: fhirRetryBaseDelay
  Fhir__AttemptTimeout: fhirAttemptTimeout
  Fhir__TotalTimeout: fhirTotalTimeout
  Fhir__MaxConcurrency: string(fhirMaxConcurrency)
  // Hostile-input limits (LimitsOptions) and the inline document bound (PipelineOptions).
  Limits__MaxFileBytes: string(limits.maxFileBytes)
  Limits__MaxDecompressedBytes: string(limits.maxDecompressedBytes)
  Limits__MaxDecompressionRatio: limits.maxDecompressionRatio
  Limits__MaxDocumentBytes: string(limits.maxDocumentBytes)
  Limits__MaxLineBytes: string(limits.maxLineBytes)
  Limits__MaxMessagesPerFile: string(limits.maxMessagesPerFile)
  Limits__MaxJsonDepth: string(limits.maxJsonDepth)
  Pipeline__MaxInlineDocumentBytes: string(limits.maxInlineDocumentBytes)
  // Result notifications (NotificationOptions): GenomicResultAvailable on the Service Bus topic.
  Notifications__ServiceBusNamespace: serviceBus.outputs.fullyQualifiedNamespace
  Notifications__Topic: serviceBus.outputs.resultsTopicName
  Notifications__ClientId: identity.outputs.clientId
}

module functionApp 'modules/functionApp.bicep' = {
  name: 'functionApp'
  params: {
    location: location
    tags: tags
    planName: 'plan-pmed-${environmentName}'
    name: 'func-pmed-${resourceToken}'
    identityId: identity.outputs.id
    deploymentContainerUrl: hostStorage.outputs.deploymentContainerUrl
    instanceMemoryMB: functionInstanceMemoryMB
    maximumInstanceCount: functionMaximumInstanceCount
    blobTriggerAlwaysReady: blobTriggerAlwaysReady
    appSettings: appSettings
    // PipelineOptions.KnownLabs: the lab folders the pipeline reads (Pipeline__KnownLabs__0, ...).
    appSettingLists: {
      Pipeline__KnownLabs: knownLabs
    }
    logAnalyticsWorkspaceId: monitoring.outputs.workspaceId
    virtualNetworkSubnetId: network.outputs.functionsSubnetId
    apiClientId: apiClientId
    tenantId: tenant().tenantId
    corsAllowedOrigins: corsAllowedOrigins
  }
}

module labIntakeEvents 'modules/labIntakeEvents.bicep' = if (subscribeLabIntake) {
  name: 'labIntakeEvents'
  params: {
    location: location
    tags: tags
    storageAccountName: labStorage.outputs.name
    systemTopicName: 'evgt-lab-${environmentName}'
    incomingContainerName: labStorage.outputs.incomingContainerName
    deadLetterContainerName: labStorage.outputs.deadLetterContainerName
    functionAppName: functionApp.outputs.name
    functionName: labFileArrivedFunction
    maxDeliveryAttempts: 30
    eventTimeToLiveInMinutes: 1440
  }
}

module alerts 'modules/alerts.bicep' = {
  name: 'alerts'
  params: {
    location: location
    tags: tags
    namePrefix: 'pmed-${environmentName}'
    emailAddresses: alertEmailAddresses
    logAnalyticsWorkspaceId: monitoring.outputs.workspaceId
    appInsightsId: monitoring.outputs.appInsightsId
    fhirServiceId: fhir.outputs.fhirServiceId
    labIntakeSystemTopicId: subscribeLabIntake ? labIntakeEvents!.outputs.systemTopicId : ''
    functionFailureThreshold: functionFailureAlertThreshold
    fhirThrottleThreshold: fhirThrottleAlertThreshold
    cdsErrorRatePercent: cdsErrorRateAlertPercent
  }
}

// Outputs carry names, endpoints and ids only, never keys or connection strings. azd stores them
// in the environment under these names.
output AZURE_LOCATION string = location
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output FUNCTION_APP_HOST_NAME string = functionApp.outputs.defaultHostName
output LAB_DATA_ACCOUNT_NAME string = labStorage.outputs.name
output LAB_DATA_BLOB_ENDPOINT string = labStorage.outputs.blobEndpoint
output LAB_DATA_QUEUE_ENDPOINT string = labStorage.outputs.queueEndpoint
output LAB_DATA_CONTAINER_NAMES array = labStorage.outputs.containerNames
output LAB_DATA_QUEUE_NAMES array = labStorage.outputs.queueNames
output COSMOS_ENDPOINT string = cosmos.outputs.endpoint
output COSMOS_DATABASE string = cosmos.outputs.databaseName
output COSMOS_CONTAINER_NAMES array = cosmos.outputs.containerNames
output FHIR_URL string = fhir.outputs.fhirUrl
output SERVICE_BUS_NAMESPACE string = serviceBus.outputs.fullyQualifiedNamespace
output SERVICE_BUS_RESULTS_TOPIC string = serviceBus.outputs.resultsTopicName
output SERVICE_BUS_FHIR_EVENTS_TOPIC string = serviceBus.outputs.fhirEventsTopicName
output LOG_ANALYTICS_WORKSPACE_NAME string = monitoring.outputs.workspaceName
output APPLICATION_INSIGHTS_NAME string = monitoring.outputs.appInsightsName
output MANAGED_IDENTITY_NAME string = identity.outputs.name
output MANAGED_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output MANAGED_IDENTITY_PRINCIPAL_ID string = identity.outputs.principalId

@description('The limits of what the pipeline accepts; each maps to one app setting.')
type inputLimits = {
  @description('Largest file in bytes, compressed as sent (Limits__MaxFileBytes).')
  @minValue(1)
  maxFileBytes: int

  @description('Most bytes a compressed file may inflate to (Limits__MaxDecompressedBytes).')
  @minValue(1)
  maxDecompressedBytes: int

  @description('Highest inflated/compressed ratio past the first 16 MiB: gzip bombs (Limits__MaxDecompressionRatio, a number).')
  maxDecompressionRatio: string

  @description('Largest HL7 v2 or FHIR JSON document held whole, in bytes (Limits__MaxDocumentBytes).')
  @minValue(1)
  maxDocumentBytes: int

  @description('Longest VCF line or HL7 v2 segment in bytes (Limits__MaxLineBytes).')
  @minValue(1024)
  maxLineBytes: int

  @description('Most report units in one file: HL7 v2 messages, VCF samples, FHIR reports (Limits__MaxMessagesPerFile).')
  @minValue(1)
  maxMessagesPerFile: int

  @description('Deepest FHIR JSON nesting (Limits__MaxJsonDepth).')
  @minValue(16)
  @maxValue(64)
  maxJsonDepth: int

  @description('Largest attached document carried inline in FHIR; larger ones go to the documents container (Pipeline__MaxInlineDocumentBytes).')
  @minValue(1)
  maxInlineDocumentBytes: int
}
