// Parameters for `azd up` / `azd provision`: azd passes its environment (AZURE_ENV_NAME, and the
// values set with `azd env set`) as environment variables. The resource group's region is used.
using 'main.bicep'

param environmentName = readEnvironmentVariable('AZURE_ENV_NAME', 'dev')

// Set by the postdeploy hook in azure.yaml once the code is deployed (see main.bicep).
param subscribeLabIntake = bool(readEnvironmentVariable('SUBSCRIBE_LAB_INTAKE', 'false'))

// `azd env set PMED_PRIVATE_NETWORKING true` before `azd up` for the private-network variant.
param enablePrivateNetworking = bool(readEnvironmentVariable('PMED_PRIVATE_NETWORKING', 'false'))

// Comma-separated, e.g. `azd env set PMED_ALERT_EMAILS ops@example.org,oncall@example.org`.
param alertEmailAddresses = empty(readEnvironmentVariable('PMED_ALERT_EMAILS', ''))
  ? []
  : split(readEnvironmentVariable('PMED_ALERT_EMAILS', ''), ',')

// `azd env set PMED_API_CLIENT_ID <app id>`: the API's Entra ID app registration (app roles Genomics.Read,
// Genomics.Population, PrecisionMed.Operator); App Service authentication then validates callers' tokens for it.
param apiClientId = readEnvironmentVariable('PMED_API_CLIENT_ID', '')
