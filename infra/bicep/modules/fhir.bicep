// Azure Health Data Services: a workspace and its FHIR R4 service, Entra ID only. The pipeline's
// identity writes with FHIR Data Contributor on the service; EMRs get their own roles from ops.
@description('Azure region of the workspace.')
param location string

@description('Tags for every resource of this module.')
param tags object

@description('Name of the Health Data Services workspace (3-24 lowercase letters and digits).')
@minLength(3)
@maxLength(24)
param workspaceName string

@description('Name of the FHIR service in the workspace (3-24 lowercase letters and digits).')
@minLength(3)
@maxLength(24)
param fhirServiceName string

@description('Principal id of the function app\'s identity.')
param appPrincipalId string

@description('Log Analytics workspace of the diagnostic settings.')
param logAnalyticsWorkspaceId string

@description('Private networking: public network access off and a private endpoint on the workspace.')
param privateNetworking bool

@description('Subnet of the private endpoints (private networking only).')
param privateEndpointSubnetId string

@description('Private DNS zone ids by service key (healthcareWorkspace, fhir); private networking only.')
param privateDnsZoneIds object

// FHIR Data Contributor: read, write and delete FHIR data; no export, import or RBAC changes.
var fhirDataContributor = '5a1fc7df-4bf1-4951-a576-89034ee01acd'

// The service's URL is also its Entra ID audience: tokens for {url}/.default.
var fhirUrl = 'https://${workspaceName}-${fhirServiceName}.fhir.azurehealthcareapis.com'

resource workspace 'Microsoft.HealthcareApis/workspaces@2024-03-31' = {
  name: workspaceName
  location: location
  tags: tags
  properties: {
    publicNetworkAccess: privateNetworking ? 'Disabled' : 'Enabled'
  }
}

resource fhirService 'Microsoft.HealthcareApis/workspaces/fhirservices@2024-03-31' = {
  parent: workspace
  name: fhirServiceName
  location: location
  tags: tags
  kind: 'fhir-R4'
  properties: {
    authenticationConfiguration: {
      authority: '${environment().authentication.loginEndpoint}${tenant().tenantId}'
      audience: fhirUrl
      smartProxyEnabled: false
    }
    publicNetworkAccess: privateNetworking ? 'Disabled' : 'Enabled'
    // Amended reports keep their earlier versions (docs/design.md, "Contracts": history stays in the server).
    resourceVersionPolicyConfiguration: {
      default: 'versioned'
    }
    // Bulk $import stays off; $export is not configured (no storage account is linked).
    importConfiguration: {
      enabled: false
      initialImportMode: false
    }
  }
}

resource appDataRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(fhirService.id, appPrincipalId, fhirDataContributor)
  scope: fhirService
  properties: {
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', fhirDataContributor)
  }
}

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: fhirService
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
  name: 'pe-${workspaceName}'
  params: {
    location: location
    tags: tags
    name: 'pe-${workspaceName}'
    subnetId: privateEndpointSubnetId
    targetResourceId: workspace.id
    groupId: 'healthcareworkspace'
    privateDnsZoneIds: [
      privateDnsZoneIds.healthcareWorkspace
      privateDnsZoneIds.fhir
    ]
  }
}

output workspaceId string = workspace.id
output workspaceName string = workspace.name
output fhirServiceId string = fhirService.id
output fhirServiceName string = fhirService.name
output fhirUrl string = fhirUrl
