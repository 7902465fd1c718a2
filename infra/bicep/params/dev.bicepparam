// Development: small and cheap. Public endpoints (identity and RBAC still required everywhere),
// serverless Cosmos DB, scale from zero. Deploy with
//   az deployment group create -g <rg> -f infra/bicep/main.bicep -p infra/bicep/params/dev.bicepparam
// then, after the code is deployed, once more with SUBSCRIBE_LAB_INTAKE=true in the environment.
using '../main.bicep'

param environmentName = 'dev'
param cosmosCapacityMode = 'serverless'
param functionInstanceMemoryMB = 2048
param functionMaximumInstanceCount = 10
param blobTriggerAlwaysReady = 0
param subscribeLabIntake = bool(readEnvironmentVariable('SUBSCRIBE_LAB_INTAKE', 'false'))
param enablePrivateNetworking = false
param logRetentionInDays = 30
param softDeleteRetentionDays = 7
// Test lab folders (incoming/dev-lab-a/, incoming/dev-lab-b/); files elsewhere are rejected.
param knownLabs = [
  'dev-lab-a'
  'dev-lab-b'
]
param emrSubscribers = [
  {
    // A test subscriber to watch notifications during development.
    name: 'dev-listener'
  }
]
// The API's Entra ID app registration (app roles Genomics.Read, Genomics.Population, PrecisionMed.Operator): App Service authentication.
param apiClientId = '00000000-0000-0000-0000-00000000a11d'
// The CDS Hooks sandbox (a browser page) may call the dev app's CDS services: browser-based CDS clients need CORS.
param corsAllowedOrigins = [
  'https://sandbox.cds-hooks.org'
]
