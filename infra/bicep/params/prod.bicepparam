// Production: private networking (Service Bus becomes Premium), autoscale Cosmos DB, one warm
// instance for the blob trigger, longer retention. Deploy with
//   az deployment group create -g <rg> -f infra/bicep/main.bicep -p infra/bicep/params/prod.bicepparam
// then, after the code is deployed, once more with SUBSCRIBE_LAB_INTAKE=true in the environment.
using '../main.bicep'

param environmentName = 'prod'
param cosmosCapacityMode = 'autoscale'
param cosmosAutoscaleMaxThroughput = 4000
param functionInstanceMemoryMB = 2048
param functionMaximumInstanceCount = 40
param blobTriggerAlwaysReady = 1
param subscribeLabIntake = bool(readEnvironmentVariable('SUBSCRIBE_LAB_INTAKE', 'false'))
param enablePrivateNetworking = true
param vnetAddressPrefix = '10.40.0.0/16'
param logRetentionInDays = 90
param softDeleteRetentionDays = 30
param archiveCoolAfterDays = 30
param archiveColdAfterDays = 180
param alertEmailAddresses = empty(readEnvironmentVariable('PMED_ALERT_EMAILS', ''))
  ? []
  : split(readEnvironmentVariable('PMED_ALERT_EMAILS', ''), ',')
// The onboarded labs' ids (their folders under incoming/); empty accepts any well-formed lab id.
param knownLabs = []
// One entry per EMR: { name: 'emr-<site>', principalId: '<object id of its identity>' }.
param emrSubscribers = []
// The API's Entra ID app registration (app roles Genomics.Read, Genomics.Population, PrecisionMed.Operator): App Service authentication.
param apiClientId = readEnvironmentVariable('PMED_API_CLIENT_ID', '')
