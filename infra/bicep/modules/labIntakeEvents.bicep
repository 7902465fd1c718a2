// Lab file intake: the lab data account's Event Grid system topic tells the blob trigger
// (LabFileArrivedFunction, Source = EventGrid) about each completed write under incoming/. Events
// that cannot be delivered after the retries are dead-lettered to a container of the same account,
// written by the system topic's identity, which may write to that container only.
//
// The endpoint is the Functions blob extension's webhook with its system key: the key and the
// webhook's answer to Event Grid's validation handshake exist only once the code is deployed, so
// this module runs after the first deployment (main.bicep's subscribeLabIntake, set by azd's
// postdeploy hook).
@description('Azure region of the system topic (the account\'s region).')
param location string

@description('Tags for every resource of this module.')
param tags object

@description('Name of the lab data storage account.')
param storageAccountName string

@description('Name of the Event Grid system topic.')
param systemTopicName string

@description('Container whose new blobs are delivered (the blob trigger\'s path starts with it).')
param incomingContainerName string

@description('Container of the same account that receives undeliverable events.')
param deadLetterContainerName string

@description('Name of the function app.')
param functionAppName string

@description('Name of the blob-triggered function (its [Function] name).')
param functionName string

@description('Delivery attempts before an event is dead-lettered.')
@minValue(1)
@maxValue(30)
param maxDeliveryAttempts int

@description('Minutes Event Grid keeps retrying an event before it is dead-lettered.')
@minValue(1)
@maxValue(1440)
param eventTimeToLiveInMinutes int

var storageBlobDataContributor = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'

// Blob APIs that complete a write. Others (PutBlock, CreateFile, an unflushed append) leave a blob
// that is not finished yet; the last call of every upload path is one of these.
var completedWriteApis = [
  'PutBlob'
  'PutBlockList'
  'CopyBlob'
  'FlushWithClose'
]

resource account 'Microsoft.Storage/storageAccounts@2025-06-01' existing = {
  name: storageAccountName
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2025-06-01' existing = {
  parent: account
  name: 'default'
}

resource deadLetterContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-06-01' existing = {
  parent: blobService
  name: deadLetterContainerName
}

resource site 'Microsoft.Web/sites@2024-11-01' existing = {
  name: functionAppName
}

resource systemTopic 'Microsoft.EventGrid/systemTopics@2025-02-15' = {
  name: systemTopicName
  location: location
  tags: tags
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    source: account.id
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

resource deadLetterWriterRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(deadLetterContainer.id, systemTopic.id, storageBlobDataContributor)
  scope: deadLetterContainer
  properties: {
    principalId: systemTopic.identity.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataContributor)
  }
}

resource toBlobTrigger 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2025-02-15' = {
  parent: systemTopic
  name: 'lab-file-arrived'
  properties: {
    eventDeliverySchema: 'EventGridSchema'
    destination: {
      endpointType: 'WebHook'
      properties: {
        endpointUrl: 'https://${site.properties.defaultHostName}/runtime/webhooks/blobs?functionName=Host.Functions.${functionName}&code=${listKeys('${site.id}/host/default', site.apiVersion).systemKeys.blobs_extension}'
      }
    }
    filter: {
      includedEventTypes: [
        'Microsoft.Storage.BlobCreated'
      ]
      subjectBeginsWith: '/blobServices/default/containers/${incomingContainerName}/'
      advancedFilters: [
        {
          operatorType: 'StringIn'
          key: 'data.api'
          values: completedWriteApis
        }
      ]
    }
    retryPolicy: {
      maxDeliveryAttempts: maxDeliveryAttempts
      eventTimeToLiveInMinutes: eventTimeToLiveInMinutes
    }
    deadLetterWithResourceIdentity: {
      identity: {
        type: 'SystemAssigned'
      }
      deadLetterDestination: {
        endpointType: 'StorageBlob'
        properties: {
          resourceId: account.id
          blobContainerName: deadLetterContainer.name
        }
      }
    }
  }
  dependsOn: [
    deadLetterWriterRole
  ]
}

output systemTopicId string = systemTopic.id
output systemTopicName string = systemTopic.name
