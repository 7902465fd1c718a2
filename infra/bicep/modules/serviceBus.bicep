// Service Bus: how EMRs hear about results. Topic genomic-results carries the pipeline's
// GenomicResultAvailable messages (no PHI; duplicate detection drops re-sent ones, whose message id
// is deterministic); topic fhir-events carries the FHIR service's own change events. Each EMR gets
// one subscription on each topic. Entra ID only: local (SAS) auth is off.
@description('Azure region of the namespace.')
param location string

@description('Tags for every resource of this module.')
param tags object

@description('Name of the Service Bus namespace (6-50 letters, digits and hyphens, globally unique).')
@minLength(6)
@maxLength(50)
param name string

@description('Standard, or Premium (needed for private endpoints).')
@allowed([
  'Standard'
  'Premium'
])
param sku string

@description('EMRs that subscribe: one subscription per EMR on each topic; with a principal id, that principal may receive from its own subscriptions only.')
param emrSubscribers emrSubscriber[]

@description('Principal id of the function app\'s identity: it sends to genomic-results.')
param appPrincipalId string

@description('Log Analytics workspace of the diagnostic settings.')
param logAnalyticsWorkspaceId string

@description('Private networking: public network access off and a private endpoint.')
param privateNetworking bool

@description('Subnet of the private endpoints (private networking only).')
param privateEndpointSubnetId string

@description('Private DNS zone ids by service key (serviceBus); private networking only.')
param privateDnsZoneIds object

@export()
@description('An EMR subscribing to result notifications.')
type emrSubscriber = {
  @description('Subscription name (1-50 letters, digits, periods, hyphens, underscores).')
  @minLength(1)
  @maxLength(50)
  name: string

  @description('Object id of the EMR\'s service principal or managed identity, granted Azure Service Bus Data Receiver on its subscriptions.')
  principalId: string?
}

var resultsTopicName = 'genomic-results'
var fhirEventsTopicName = 'fhir-events'
var dataSender = '69a216fc-b8fb-44d8-bc22-1f3c2552a39a' // Azure Service Bus Data Sender
var dataReceiver = '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0' // Azure Service Bus Data Receiver
var receivingEmrs = filter(emrSubscribers, emr => !empty(emr.?principalId ?? ''))

resource namespace 'Microsoft.ServiceBus/namespaces@2024-01-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: sku
    tier: sku
    capacity: sku == 'Premium' ? 1 : null
  }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
    publicNetworkAccess: privateNetworking ? 'Disabled' : 'Enabled'
  }
}

// With public access off, Event Grid (a trusted service) still delivers FHIR events by identity.
resource networkRules 'Microsoft.ServiceBus/namespaces/networkRuleSets@2024-01-01' = if (privateNetworking) {
  parent: namespace
  name: 'default'
  properties: {
    publicNetworkAccess: 'Disabled'
    defaultAction: 'Deny'
    trustedServiceAccessEnabled: true
  }
}

resource resultsTopic 'Microsoft.ServiceBus/namespaces/topics@2024-01-01' = {
  parent: namespace
  name: resultsTopicName
  properties: {
    requiresDuplicateDetection: true
    duplicateDetectionHistoryTimeWindow: 'P1D'
    defaultMessageTimeToLive: 'P14D'
  }
}

resource fhirEventsTopic 'Microsoft.ServiceBus/namespaces/topics@2024-01-01' = {
  parent: namespace
  name: fhirEventsTopicName
  properties: {
    defaultMessageTimeToLive: 'P14D'
  }
}

resource resultsSubscriptions 'Microsoft.ServiceBus/namespaces/topics/subscriptions@2024-01-01' = [
  for emr in emrSubscribers: {
    parent: resultsTopic
    name: emr.name
    properties: {
      maxDeliveryCount: 10
      deadLetteringOnMessageExpiration: true
    }
  }
]

resource fhirEventsSubscriptions 'Microsoft.ServiceBus/namespaces/topics/subscriptions@2024-01-01' = [
  for emr in emrSubscribers: {
    parent: fhirEventsTopic
    name: emr.name
    properties: {
      maxDeliveryCount: 10
      deadLetteringOnMessageExpiration: true
    }
  }
]

resource appSenderRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(resultsTopic.id, appPrincipalId, dataSender)
  scope: resultsTopic
  properties: {
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', dataSender)
  }
}

resource receivingResultsSubscriptions 'Microsoft.ServiceBus/namespaces/topics/subscriptions@2024-01-01' existing = [
  for emr in receivingEmrs: {
    parent: resultsTopic
    name: emr.name
  }
]

resource receivingFhirEventsSubscriptions 'Microsoft.ServiceBus/namespaces/topics/subscriptions@2024-01-01' existing = [
  for emr in receivingEmrs: {
    parent: fhirEventsTopic
    name: emr.name
  }
]

resource emrResultsReceiverRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (emr, i) in receivingEmrs: {
    name: guid(receivingResultsSubscriptions[i].id, emr.principalId!, dataReceiver)
    scope: receivingResultsSubscriptions[i]
    properties: {
      principalId: emr.principalId!
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', dataReceiver)
    }
    dependsOn: [
      resultsSubscriptions
    ]
  }
]

resource emrFhirEventsReceiverRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (emr, i) in receivingEmrs: {
    name: guid(receivingFhirEventsSubscriptions[i].id, emr.principalId!, dataReceiver)
    scope: receivingFhirEventsSubscriptions[i]
    properties: {
      principalId: emr.principalId!
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', dataReceiver)
    }
    dependsOn: [
      fhirEventsSubscriptions
    ]
  }
]

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: namespace
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [
      {
        categoryGroup: 'allLogs'
        enabled: true
      }
    ]
    metrics: [
      {
        category: 'AllMetrics'
        enabled: true
      }
    ]
  }
}

module privateEndpoint 'privateEndpoint.bicep' = if (privateNetworking) {
  name: 'pe-${name}'
  params: {
    location: location
    tags: tags
    name: 'pe-${name}'
    subnetId: privateEndpointSubnetId
    targetResourceId: namespace.id
    groupId: 'namespace'
    privateDnsZoneIds: [
      privateDnsZoneIds.serviceBus
    ]
  }
}

output id string = namespace.id
output name string = namespace.name
// host name only (no scheme or port): what ServiceBusClient and identity-based connections take.
output fullyQualifiedNamespace string = replace(replace(namespace.properties.serviceBusEndpoint, 'https://', ''), ':443/', '')
output resultsTopicName string = resultsTopic.name
output fhirEventsTopicName string = fhirEventsTopic.name
