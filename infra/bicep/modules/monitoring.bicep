// Where logs and telemetry go: one Log Analytics workspace (diagnostic settings of every resource)
// and a workspace-based Application Insights that accepts Entra ID-authenticated telemetry only.
@description('Azure region of the workspace and Application Insights.')
param location string

@description('Tags for every resource of this module.')
param tags object

@description('Name of the Log Analytics workspace.')
param workspaceName string

@description('Name of the Application Insights component.')
param appInsightsName string

@description('Days Log Analytics keeps logs.')
@minValue(30)
@maxValue(730)
param retentionInDays int

@description('Principal id of the function app\'s identity: it publishes telemetry with Entra ID.')
param appPrincipalId string

// Monitoring Metrics Publisher: with local auth off, the only way telemetry gets in.
var monitoringMetricsPublisher = '3913510d-42f4-4e42-8a64-420c390055eb'

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: workspaceName
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: retentionInDays
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: appInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    // The instrumentation key in the connection string is then an address, not a credential.
    DisableLocalAuth: true
  }
}

resource publisherRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, appPrincipalId, monitoringMetricsPublisher)
  scope: appInsights
  properties: {
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', monitoringMetricsPublisher)
  }
}

output workspaceId string = workspace.id
output workspaceName string = workspace.name
output appInsightsId string = appInsights.id
output appInsightsName string = appInsights.name
// Not a secret: local auth is off, so it only says where to send Entra ID-authenticated telemetry.
output appInsightsConnectionString string = appInsights.properties.ConnectionString
