// The lab data account: labs drop files into incoming/{labId}/, the pipeline moves them to
// archive/ or rejected/ (copying them to review/ while a report is held for review), keeps
// original documents in documents/, and queues report units on lab-reports; the blob trigger's poison
// queue is here too. Access by managed identity and RBAC only (no account keys, no SAS, no anonymous
// reads); soft delete and versioning keep an overwritten or deleted file recoverable.
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

@description('Days a deleted blob, container or previous version stays recoverable.')
@minValue(1)
@maxValue(365)
param softDeleteRetentionDays int

@description('Days after which an archived file moves to the cool tier.')
@minValue(1)
param archiveCoolAfterDays int

@description('Days after which an archived file moves to the cold tier (more than the cool days).')
@minValue(2)
param archiveColdAfterDays int

@description('Log Analytics workspace of the diagnostic settings.')
param logAnalyticsWorkspaceId string

@description('Private networking: public network access off and private endpoints for blob and queue.')
param privateNetworking bool

@description('Subnet of the private endpoints (private networking only).')
param privateEndpointSubnetId string

@description('Private DNS zone ids by service key (blob, queue); private networking only.')
param privateDnsZoneIds object

// Blob containers: new lab files land in incoming, processed ones move to archive, files that
// cannot be processed are kept in rejected, files with a report held for patient-safety review are
// copied to review, original documents (PDFs) are kept in documents.
// Events Event Grid could not deliver to the blob trigger are written to intake-deadletter.
var containers = [
  'incoming'
  'archive'
  'rejected'
  'review'
  'documents'
  'intake-deadletter' // Event Grid's dead letters (output deadLetterContainerName)
]

// Work queue of the report processor and its poison queue, then the blob trigger's poison queue: the
// blob extension moves a blob whose trigger failed on every attempt to webjobs-blobtrigger-poison in the
// account of the trigger's connection (LabStorage), not the host's; ArrivalPoisonFunction listens on it.
// The app's Queue Data Contributor role below lets the extension write it and the function read it.
var queues = [
  'lab-reports'
  'lab-reports-poison'
  'webjobs-blobtrigger-poison'
  'reinterpretations' // one work item per report a knowledge diff affects (pmed knowledge reinterpret)
  'reinterpretations-poison'
]

// Built-in roles (the same GUIDs in every tenant) of the function app's identity on this account:
// data-plane access only, no management or key access.
var appRoleDefinitionIds = [
  'ba92f5b4-2d11-453d-a403-e96b0029c9fe' // Storage Blob Data Contributor
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
    // Access by managed identity and RBAC only (docs/design.md, "Reliability and security rules").
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: privateNetworking ? 'Disabled' : 'Enabled'
    networkAcls: {
      // Event Grid (a trusted service) still writes dead-lettered events with its identity.
      bypass: 'AzureServices'
      defaultAction: privateNetworking ? 'Deny' : 'Allow'
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2025-06-01' = {
  parent: account
  name: 'default'
  properties: {
    isVersioningEnabled: true
    deleteRetentionPolicy: {
      enabled: true
      days: softDeleteRetentionDays
    }
    containerDeleteRetentionPolicy: {
      enabled: true
      days: softDeleteRetentionDays
    }
  }
}

resource containerResources 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-06-01' = [
  for container in containers: {
    parent: blobService
    name: container
    properties: {
      publicAccess: 'None'
    }
  }
]

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2025-06-01' = {
  parent: account
  name: 'default'
}

resource queueResources 'Microsoft.Storage/storageAccounts/queueServices/queues@2025-06-01' = [
  for queue in queues: {
    parent: queueService
    name: queue
  }
]

// Archived files are read rarely: cool after a month, cold after half a year by default. Previous
// versions (a lab re-sent a file under the same name) go after the soft-delete window.
resource lifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2025-06-01' = {
  parent: account
  name: 'default'
  properties: {
    policy: {
      rules: [
        {
          name: 'archive-to-cool-then-cold'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: [
                'blockBlob'
              ]
              prefixMatch: [
                'archive/'
              ]
            }
            actions: {
              baseBlob: {
                tierToCool: {
                  daysAfterModificationGreaterThan: archiveCoolAfterDays
                }
                tierToCold: {
                  daysAfterModificationGreaterThan: archiveColdAfterDays
                }
              }
            }
          }
        }
        {
          name: 'expire-previous-versions'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: [
                'blockBlob'
              ]
            }
            actions: {
              version: {
                delete: {
                  daysAfterCreationGreaterThan: softDeleteRetentionDays
                }
              }
            }
          }
        }
      ]
    }
  }
  // Versioning must be on before a rule may act on versions.
  dependsOn: [
    blobService
  ]
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

resource accountDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: account
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    metrics: [
      {
        category: 'Transaction'
        enabled: true
      }
    ]
  }
}

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
    metrics: [
      {
        category: 'Transaction'
        enabled: true
      }
    ]
  }
}

resource queueDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: queueService
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
        category: 'Transaction'
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
output containerNames array = containers
output queueNames array = queues
output incomingContainerName string = containers[0]
output deadLetterContainerName string = last(containers)
output workQueueName string = queues[0]
