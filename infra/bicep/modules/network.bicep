// Private networking (optional): a VNet with a subnet delegated to the Flex Consumption function
// app (outbound VNet integration) and a subnet for private endpoints, plus the private DNS zones
// that make storage, Cosmos DB, Service Bus and the FHIR service resolve to private addresses.
// With `enabled` false nothing is deployed and every output is empty.
@description('Azure region of the VNet.')
param location string

@description('Tags for every resource of this module.')
param tags object

@description('Deploy the VNet and the DNS zones.')
param enabled bool

@description('Name of the virtual network.')
param name string

@description('Address space of the VNet; the two subnets take its first two /24 ranges.')
param addressPrefix string

// Zone names by service. Storage names come from the cloud environment (no hard-coded cloud URL);
// the others are the same in every public cloud region.
var dnsZoneNames = {
  blob: 'privatelink.blob.${environment().suffixes.storage}'
  queue: 'privatelink.queue.${environment().suffixes.storage}'
  cosmos: 'privatelink.documents.azure.com'
  serviceBus: 'privatelink.servicebus.windows.net'
  healthcareWorkspace: 'privatelink.azurehealthcareapis.com'
  fhir: 'privatelink.fhir.azurehealthcareapis.com'
}

resource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' = if (enabled) {
  name: name
  location: location
  tags: tags
  properties: {
    addressSpace: {
      addressPrefixes: [
        addressPrefix
      ]
    }
  }
}

resource functionsSubnet 'Microsoft.Network/virtualNetworks/subnets@2024-05-01' = if (enabled) {
  parent: vnet
  name: 'snet-functions'
  properties: {
    addressPrefix: cidrSubnet(addressPrefix, 24, 0)
    // Flex Consumption integrates through an Azure Container Apps environment delegation.
    delegations: [
      {
        name: 'flex-consumption'
        properties: {
          serviceName: 'Microsoft.App/environments'
        }
      }
    ]
  }
}

resource endpointsSubnet 'Microsoft.Network/virtualNetworks/subnets@2024-05-01' = if (enabled) {
  parent: vnet
  name: 'snet-private-endpoints'
  properties: {
    addressPrefix: cidrSubnet(addressPrefix, 24, 1)
    privateEndpointNetworkPolicies: 'Disabled'
  }
  // Two subnets of one VNet cannot be written at the same time.
  dependsOn: [
    functionsSubnet
  ]
}

resource dnsZones 'Microsoft.Network/privateDnsZones@2024-06-01' = [
  for zone in items(dnsZoneNames): if (enabled) {
    name: zone.value
    location: 'global'
    tags: tags
  }
]

resource dnsZoneLinks 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2024-06-01' = [
  for (zone, i) in items(dnsZoneNames): if (enabled) {
    parent: dnsZones[i]
    name: name
    location: 'global'
    tags: tags
    properties: {
      registrationEnabled: false
      virtualNetwork: {
        id: vnet.id
      }
    }
  }
]

output functionsSubnetId string = enabled ? functionsSubnet.id : ''
output privateEndpointsSubnetId string = enabled ? endpointsSubnet.id : ''
// Zone ids by service key (blob, queue, cosmos, serviceBus, healthcareWorkspace, fhir).
output dnsZoneIds object = enabled ? mapValues(dnsZoneNames, zone => resourceId('Microsoft.Network/privateDnsZones', zone)) : {}
