// First deployment of PrecisionMed Serverless: the identity the Functions app will run as and the
// lab data storage account it reads from. The rest of the infrastructure (Functions app, Cosmos DB,
// FHIR service, monitoring) follows in later modules.
targetScope = 'resourceGroup'

@description('Azure region for every resource; defaults to the resource group\'s region.')
param location string = resourceGroup().location

@description('azd environment name; tags every resource and seeds the generated names.')
@minLength(1)
@maxLength(64)
param environmentName string

@description('Name of the lab data storage account (3-24 lowercase letters and digits, globally unique).')
@minLength(3)
@maxLength(24)
param labDataAccountName string = 'stlab${uniqueString(subscription().id, resourceGroup().id, environmentName)}'

@description('Name of the user-assigned managed identity the pipeline runs as.')
param identityName string = 'id-pmed-${environmentName}'

var tags = {
  'azd-env-name': environmentName
  application: 'precisionmed-serverless'
}

// Blob containers of the intake flow: new lab files land in incoming, processed ones move to
// archive, files that cannot be processed are kept in rejected.
var labDataContainers = [
  'incoming'
  'archive'
  'rejected'
]

// Work queue of the report processor and its poison queue.
var labDataQueues = [
  'lab-reports'
  'lab-reports-poison'
]

// Built-in role definitions (the same GUIDs in every tenant) the pipeline identity gets on the
// lab data account: data-plane access only, no management or key access.
var labDataRoleDefinitionIds = [
  'ba92f5b4-2d11-453d-a403-e96b0029c9fe' // Storage Blob Data Contributor
  '974c5e8b-45b9-4653-ba55-5f855dd0fb88' // Storage Queue Data Contributor
]

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: identityName
  location: location
  tags: tags
}

resource labData 'Microsoft.Storage/storageAccounts@2025-06-01' = {
  name: labDataAccountName
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    accessTier: 'Hot'
    // Access by managed identity and RBAC only (DESIGN.md §6): no account keys, no SAS, no
    // anonymous reads.
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
  }
}

resource labDataBlobs 'Microsoft.Storage/storageAccounts/blobServices@2025-06-01' = {
  parent: labData
  name: 'default'
  properties: {
    deleteRetentionPolicy: {
      enabled: true
      days: 7
    }
    containerDeleteRetentionPolicy: {
      enabled: true
      days: 7
    }
  }
}

resource labDataContainerResources 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-06-01' = [
  for container in labDataContainers: {
    parent: labDataBlobs
    name: container
    properties: {
      publicAccess: 'None'
    }
  }
]

resource labDataQueueService 'Microsoft.Storage/storageAccounts/queueServices@2025-06-01' = {
  parent: labData
  name: 'default'
}

resource labDataQueueResources 'Microsoft.Storage/storageAccounts/queueServices/queues@2025-06-01' = [
  for queue in labDataQueues: {
    parent: labDataQueueService
    name: queue
  }
]

resource labDataRoleAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleDefinitionId in labDataRoleDefinitionIds: {
    name: guid(labData.id, identity.id, roleDefinitionId)
    scope: labData
    properties: {
      principalId: identity.properties.principalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleDefinitionId)
    }
  }
]

// Outputs carry names and endpoints only, never keys or connection strings. azd stores them in
// the environment under these names.
output AZURE_LOCATION string = location
output LAB_DATA_ACCOUNT_NAME string = labData.name
output LAB_DATA_BLOB_ENDPOINT string = labData.properties.primaryEndpoints.blob
output LAB_DATA_QUEUE_ENDPOINT string = labData.properties.primaryEndpoints.queue
output LAB_DATA_CONTAINER_NAMES array = labDataContainers
output LAB_DATA_QUEUE_NAMES array = labDataQueues
output MANAGED_IDENTITY_NAME string = identity.name
output MANAGED_IDENTITY_CLIENT_ID string = identity.properties.clientId
output MANAGED_IDENTITY_PRINCIPAL_ID string = identity.properties.principalId
