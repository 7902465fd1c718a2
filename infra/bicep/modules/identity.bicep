// The one identity the function app runs as. Every data-plane permission the code needs is granted
// to it by the module of the resource concerned, scoped to that resource only.
@description('Azure region of the identity.')
param location string

@description('Tags for every resource of this module.')
param tags object

@description('Name of the user-assigned managed identity.')
param name string

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output name string = identity.name
output clientId string = identity.properties.clientId
output principalId string = identity.properties.principalId
