// Cosmos DB for NoSQL: database precisionmed with the file ledger and the clinical-genomic
// knowledge store. Entra ID only (local auth off); the function app's identity gets the built-in
// data contributor role on the database, the only scope it works in.
@description('Azure region of the account.')
param location string

@description('Tags for every resource of this module.')
param tags object

@description('Name of the Cosmos DB account (3-44 lowercase letters, digits and hyphens, globally unique).')
@minLength(3)
@maxLength(44)
param name string

@description('serverless: pay per request (dev, small labs); autoscale: provisioned throughput shared by the containers, scaling between 10% and 100% of the maximum.')
@allowed([
  'serverless'
  'autoscale'
])
param capacityMode string

@description('Maximum RU/s of the database in autoscale mode.')
@minValue(1000)
param autoscaleMaxThroughput int

@description('Principal id of the function app\'s identity.')
param appPrincipalId string

@description('Log Analytics workspace of the diagnostic settings.')
param logAnalyticsWorkspaceId string

@description('Private networking: public network access off and a private endpoint.')
param privateNetworking bool

@description('Subnet of the private endpoints (private networking only).')
param privateEndpointSubnetId string

@description('Private DNS zone ids by service key (cosmos); private networking only.')
param privateDnsZoneIds object

var databaseName = 'precisionmed'

// Partition keys and indexes follow the access paths. The ledger is read by point reads and one
// single-partition query (a file's units: fileId + kind), and listed by state for ops. The
// knowledge store is read by point reads only (CosmosKnowledgeStore: id = partition key, 1 RU), so
// nothing of it is indexed. The genomic index (CosmosGenomicIndex) is read by single-partition queries
// on its partition key only (a patient's reports, a gene, a 1 Mb bin, a medication, a condition). Every
// path not listed is excluded: cheaper writes.
var containers = [
  {
    name: 'ledger'
    partitionKey: '/fileId'
    indexedPaths: [
      '/fileId/?'
      '/kind/?'
      '/state/?'
    ]
  }
  {
    name: 'knowledge'
    partitionKey: '/id'
    indexedPaths: []
  }
  {
    name: 'genomic-index'
    partitionKey: '/pk'
    indexedPaths: [
      '/pk/?'
    ]
  }
  // CDS Hooks feedback (CosmosCdsFeedbackStore): card outcomes without PHI, one partition per CDS service,
  // read by a single-partition query per service for the counts.
  {
    name: 'cds-feedback'
    partitionKey: '/pk'
    indexedPaths: [
      '/pk/?'
    ]
  }
]

// Cosmos DB Built-in Data Contributor: read and write items, no account or key management.
var dataContributorRoleId = '00000000-0000-0000-0000-000000000002'

resource account 'Microsoft.DocumentDB/databaseAccounts@2024-11-15' = {
  name: name
  location: location
  tags: tags
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    disableLocalAuth: true
    disableKeyBasedMetadataWriteAccess: true
    minimalTlsVersion: 'Tls12'
    publicNetworkAccess: privateNetworking ? 'Disabled' : 'Enabled'
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
    capabilities: capacityMode == 'serverless'
      ? [
          {
            name: 'EnableServerless'
          }
        ]
      : []
  }
}

resource database 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2024-11-15' = {
  parent: account
  name: databaseName
  properties: {
    resource: {
      id: databaseName
    }
    options: capacityMode == 'autoscale'
      ? {
          autoscaleSettings: {
            maxThroughput: autoscaleMaxThroughput
          }
        }
      : {}
  }
}

resource containerResources 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-11-15' = [
  for container in containers: {
    parent: database
    name: container.name
    properties: {
      resource: {
        id: container.name
        partitionKey: {
          paths: [
            container.partitionKey
          ]
          kind: 'Hash'
          version: 2
        }
        indexingPolicy: {
          indexingMode: 'consistent'
          automatic: true
          includedPaths: [for path in container.indexedPaths: { path: path }]
          excludedPaths: [
            {
              path: '/*'
            }
          ]
        }
      }
    }
  }
]

resource appDataRole 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2024-11-15' = {
  parent: account
  name: guid(database.id, appPrincipalId, dataContributorRoleId)
  properties: {
    principalId: appPrincipalId
    roleDefinitionId: '${account.id}/sqlRoleDefinitions/${dataContributorRoleId}'
    scope: '${account.id}/dbs/${database.name}'
  }
}

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: account
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logAnalyticsDestinationType: 'Dedicated'
    logs: [
      {
        categoryGroup: 'allLogs'
        enabled: true
      }
    ]
    metrics: [
      {
        category: 'Requests'
        enabled: true
      }
    ]
  }
}

module privateEndpoint 'privateEndpoint.bicep' = if (privateNetworking) {
  name: 'pe-${name}-sql'
  params: {
    location: location
    tags: tags
    name: 'pe-${name}-sql'
    subnetId: privateEndpointSubnetId
    targetResourceId: account.id
    groupId: 'Sql'
    privateDnsZoneIds: [
      privateDnsZoneIds.cosmos
    ]
  }
}

output id string = account.id
output name string = account.name
output endpoint string = account.properties.documentEndpoint
output databaseName string = database.name
output containerNames array = [for container in containers: container.name]
output ledgerContainerName string = containers[0].name
output knowledgeContainerName string = containers[1].name
output genomicIndexContainerName string = containers[2].name
output cdsFeedbackContainerName string = containers[3].name
