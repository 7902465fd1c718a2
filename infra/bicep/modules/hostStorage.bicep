// The function app's own storage: the Functions host's state (AzureWebJobsStorage: locks, blob
// trigger receipts, the blob trigger's work queue azure-webjobs-blobtrigger-{hostId}, keys) and the Flex Consumption deployment package container.
// Same hardening as the lab data account: identity and RBAC only.
@description('Azure region of the account.')
param location string

@description('Tags for every resource of this module.')
param tags object

@description('Name of the storage account (3-24 lowercase letters and digits, globally unique).')
@minLength(3)
@maxLength(24)
param name string

@description('Principal id of the function app\'s identity.')
param appPrincipalId string

@description('Log Analytics workspace of the diagnostic settings.')
param logAnalyticsWorkspaceId string

@description('Private networking: public network access off and private endpoints for blob and queue.')
param privateNetworking bool

@description('Subnet of the private endpoints (private networking only).')
param privateEndpointSubnetId string

@description('Private DNS zone ids by service key (blob, queue); private networking only.')
param privateDnsZoneIds object

// Flex Consumption pulls the app package from this container.
var deploymentContainerName = 'app-package'

// The Functions host needs Blob Data Owner on its storage (leases, keys, receipts) and Queue Data
// Contributor (the Event Grid blob trigger queues each event on azure-webjobs-blobtrigger-{hostId}
// here; the extension creates that queue itself). Its poison queue is in the lab data account.
var appRoleDefinitionIds = [
  'b7e6dc6d-f1e8-4753-8033-0f276bb0955b' // Storage Blob Data Owner
  '974c5e8b-45b9-4653-ba55-5f855dd0fb88' // Storage Queue Data Contributor
]

resource account 'Microsoft.Storage/storageAccounts@2025-06-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    accessTier: 'Hot'
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: privateNetworking ? 'Disabled' : 'Enabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: privateNetworking ? 'Deny' : 'Allow'
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2025-06-01' = {
  parent: account
  name: 'default'
  properties: {
    deleteRetentionPolicy: {
      enabled: true
      days: 7
    }
  }
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-06-01' = {
  parent: blobService
  name: deploymentContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2025-06-01' = {
  parent: account
  name: 'default'
}

resource appRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleDefinitionId in appRoleDefinitionIds: {
    name: guid(account.id, appPrincipalId, roleDefinitionId)
    scope: account
    properties: {
      principalId: appPrincipalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleDefinitionId)
    }
  }
]

resource blobDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: blobService
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [
      {
        categoryGroup: 'allLogs'
        enabled: true
      }
    ]
  }
}

module privateEndpoints 'privateEndpoint.bicep' = [
  for service in [
    'blob'
    'queue'
  ]: if (privateNetworking) {
    name: 'pe-${name}-${service}'
    params: {
      location: location
      tags: tags
      name: 'pe-${name}-${service}'
      subnetId: privateEndpointSubnetId
      targetResourceId: account.id
      groupId: service
      privateDnsZoneIds: [
        privateDnsZoneIds[service]
      ]
    }
  }
]

output id string = account.id
output name string = account.name
output blobEndpoint string = account.properties.primaryEndpoints.blob
output queueEndpoint string = account.properties.primaryEndpoints.queue
output deploymentContainerUrl string = '${account.properties.primaryEndpoints.blob}${deploymentContainer.name}'
