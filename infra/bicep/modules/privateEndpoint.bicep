// One private endpoint for one sub-resource (blob, queue, Sql, namespace, ...) with its DNS zone
// group, so that the resource's public name resolves to the private address inside the VNet.
@description('Azure region of the endpoint (the VNet\'s region).')
param location string

@description('Tags for every resource of this module.')
param tags object

@description('Name of the private endpoint.')
param name string

@description('Resource id of the subnet that holds private endpoints.')
param subnetId string

@description('Resource id of the resource the endpoint connects to.')
param targetResourceId string

@description('Sub-resource (group id) of the target, e.g. blob, queue, Sql, namespace, healthcareworkspace.')
param groupId string

@description('Private DNS zones that get the endpoint\'s A record.')
param privateDnsZoneIds array

resource endpoint 'Microsoft.Network/privateEndpoints@2024-05-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    subnet: {
      id: subnetId
    }
    privateLinkServiceConnections: [
      {
        name: name
        properties: {
          privateLinkServiceId: targetResourceId
          groupIds: [
            groupId
          ]
        }
      }
    ]
  }
}

resource zoneGroup 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2024-05-01' = {
  parent: endpoint
  name: 'default'
  properties: {
    privateDnsZoneConfigs: [
      for zoneId in privateDnsZoneIds: {
        name: replace(last(split(zoneId, '/')), '.', '-')
        properties: {
          privateDnsZoneId: zoneId
        }
      }
    ]
  }
}
