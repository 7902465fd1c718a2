// FHIR events for EMRs: the Health Data Services workspace's Event Grid system topic delivers
// FhirResourceCreated/Updated/Deleted to the Service Bus topic fhir-events, using the system
// topic's own identity (Service Bus local auth is off), granted Data Sender on that topic only.
@description('Azure region of the system topic (the workspace\'s region).')
param location string

@description('Tags for every resource of this module.')
param tags object

@description('Name of the Health Data Services workspace whose FHIR events are published.')
param healthWorkspaceName string

@description('Name of the Service Bus namespace.')
param serviceBusNamespaceName string

@description('Name of the Service Bus topic that receives the FHIR events.')
param topicName string

@description('Name of the Event Grid system topic.')
param systemTopicName string

var dataSender = '69a216fc-b8fb-44d8-bc22-1f3c2552a39a' // Azure Service Bus Data Sender

resource healthWorkspace 'Microsoft.HealthcareApis/workspaces@2024-03-31' existing = {
  name: healthWorkspaceName
}

resource namespace 'Microsoft.ServiceBus/namespaces@2024-01-01' existing = {
  name: serviceBusNamespaceName
}

resource topic 'Microsoft.ServiceBus/namespaces/topics@2024-01-01' existing = {
  parent: namespace
  name: topicName
}

resource systemTopic 'Microsoft.EventGrid/systemTopics@2025-02-15' = {
  name: systemTopicName
  location: location
  tags: tags
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    source: healthWorkspace.id
    topicType: 'Microsoft.HealthcareApis.Workspaces'
  }
}

resource senderRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(topic.id, systemTopic.id, dataSender)
  scope: topic
  properties: {
    principalId: systemTopic.identity.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', dataSender)
  }
}

resource toServiceBus 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2025-02-15' = {
  parent: systemTopic
  name: 'fhir-resource-changes'
  properties: {
    eventDeliverySchema: 'EventGridSchema'
    filter: {
      includedEventTypes: [
        'Microsoft.HealthcareApis.FhirResourceCreated'
        'Microsoft.HealthcareApis.FhirResourceUpdated'
        'Microsoft.HealthcareApis.FhirResourceDeleted'
      ]
    }
    deliveryWithResourceIdentity: {
      identity: {
        type: 'SystemAssigned'
      }
      destination: {
        endpointType: 'ServiceBusTopic'
        properties: {
          resourceId: topic.id
        }
      }
    }
    retryPolicy: {
      maxDeliveryAttempts: 30
      eventTimeToLiveInMinutes: 1440
    }
  }
  // Event Grid checks at creation that its identity may send to the topic.
  dependsOn: [
    senderRole
  ]
}

output systemTopicId string = systemTopic.id
output systemTopicName string = systemTopic.name
