// The function app on Flex Consumption: dotnet-isolated 10.0, running as the user-assigned
// identity, with identity-based connections only. Its app settings are assembled in main.bicep,
// where every resource the code talks to is known.
@description('Azure region of the plan and the app.')
param location string

@description('Tags for every resource of this module.')
param tags object

@description('Name of the Flex Consumption plan.')
param planName string

@description('Name of the function app (globally unique host name).')
param name string

@description('Resource id of the user-assigned identity the app runs as.')
param identityId string

@description('URL of the blob container Flex Consumption deploys the app package to.')
param deploymentContainerUrl string

@description('Memory of one instance in MB (Flex Consumption sizes).')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int

@description('Most instances the app scales out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int

@description('Instances kept warm for the blob trigger group (0: scale from zero).')
@minValue(0)
param blobTriggerAlwaysReady int

@description('App settings by name; main.bicep sets every one the code reads. No secrets.')
param appSettings object

@description('List settings by name: each list becomes NAME__0, NAME__1, ... (how .NET configuration binds a list).')
param appSettingLists object

@description('Log Analytics workspace of the diagnostic settings.')
param logAnalyticsWorkspaceId string

@description('Subnet delegated to Microsoft.App/environments for outbound VNet integration; empty without private networking.')
param virtualNetworkSubnetId string

@description('Application (client) ID of the API\'s Entra ID app registration, which defines the app roles (Genomics.Read, Genomics.Population, PrecisionMed.Operator) callers\' tokens carry; empty: no App Service authentication, and the role-protected endpoints refuse every caller.')
param apiClientId string

@description('The Entra ID tenant that issues the callers\' tokens.')
param tenantId string

@description('Browser origins allowed to call the HTTP API (CORS, without credentials); empty: none.')
param corsAllowedOrigins array = []

var settings = union(
  appSettings,
  reduce(
    items(appSettingLists),
    {},
    (all, list) => union(all, toObject(range(0, length(list.value)), i => '${list.key}__${i}', i => list.value[i]))
  )
)

resource plan 'Microsoft.Web/serverfarms@2024-11-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

resource site 'Microsoft.Web/sites@2024-11-01' = {
  name: name
  location: location
  // azd deploys the `functions` service of azure.yaml to the app carrying this tag.
  tags: union(tags, {
    'azd-service-name': 'functions'
  })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientCertMode: 'Optional'
    virtualNetworkSubnetId: empty(virtualNetworkSubnetId) ? null : virtualNetworkSubnetId
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      cors: empty(corsAllowedOrigins)
        ? null
        : {
            allowedOrigins: corsAllowedOrigins
            supportCredentials: false
          }
      appSettings: [
        for setting in items(settings): {
          name: setting.key
          value: setting.value
        }
      ]
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
        alwaysReady: blobTriggerAlwaysReady > 0
          ? [
              {
                name: 'blob'
                instanceCount: blobTriggerAlwaysReady
              }
            ]
          : []
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }
}

// App Service authentication (Entra ID): it validates a caller's bearer token (issuer, audience, signature, lifetime)
// and hands the app the principal with its app roles (X-MS-CLIENT-PRINCIPAL); the app decides per endpoint which role it
// needs. Callers without a token still reach the app (function keys, the Event Grid webhook), which refuses them where a
// role is needed. Tokens only, no sign-in flow: no client secret, no token store.
resource authentication 'Microsoft.Web/sites/config@2024-11-01' = if (!empty(apiClientId)) {
  parent: site
  name: 'authsettingsV2'
  properties: {
    platform: {
      enabled: true
    }
    globalValidation: {
      requireAuthentication: false
      unauthenticatedClientAction: 'AllowAnonymous'
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: apiClientId
          openIdIssuer: '${environment().authentication.loginEndpoint}${tenantId}/v2.0'
        }
        validation: {
          allowedAudiences: [
            'api://${apiClientId}'
            apiClientId
          ]
        }
      }
    }
    login: {
      tokenStore: {
        enabled: false
      }
    }
  }
}

// Basic-auth publishing (FTP and SCM) off: deployments go through Entra ID.
resource ftpPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-11-01' = {
  parent: site
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-11-01' = {
  parent: site
  name: 'scm'
  properties: {
    allow: false
  }
}

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: site
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [
      {
        category: 'FunctionAppLogs'
        enabled: true
      }
    ]
  }
}

output id string = site.id
output name string = site.name
output defaultHostName string = site.properties.defaultHostName
