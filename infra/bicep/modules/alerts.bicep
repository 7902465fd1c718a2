// Alert rules for ops: a report unit reached the poison queue, functions fail, the FHIR service
// throttles (429), Event Grid dead-letters lab file events. Notifications go to an action group
// with the given e-mail addresses; without addresses the alerts fire in the portal only.
@description('Tags for every resource of this module.')
param tags object

@description('Name prefix of the alert rules and the action group.')
param namePrefix string

@description('Azure region of the log search alert rule (the workspace\'s region).')
param location string

@description('E-mail addresses that get the alerts.')
param emailAddresses string[]

@description('Log Analytics workspace that holds the app\'s telemetry (workspace-based Application Insights).')
param logAnalyticsWorkspaceId string

@description('Application Insights component of the function app.')
param appInsightsId string

@description('FHIR service.')
param fhirServiceId string

@description('Event Grid system topic of the lab data account; empty while the intake subscription is not deployed.')
param labIntakeSystemTopicId string

@description('Failed function executions in 15 minutes that raise an alert.')
@minValue(0)
param functionFailureThreshold int

@description('FHIR 429 (throttled) responses in 5 minutes that raise an alert.')
@minValue(0)
param fhirThrottleThreshold int

@description('Percentage of CDS Hooks calls answered with a server error (5xx) in 15 minutes that raises an alert.')
@minValue(0)
@maxValue(100)
param cdsErrorRatePercent int

// The CDS Hooks functions (src/Functions/Triggers): in a clinician's click path, so their errors are alerted apart.
var cdsFunctionNames = '"CdsServiceFunction", "CdsFeedbackFunction"'

// Names of the poison-queue functions (src/Functions/Triggers): each execution of PoisonReportFunction is one
// report unit that exhausted its retries, of ArrivalPoisonFunction one file whose arrival did (the host's
// webjobs-blobtrigger-poison queue, in the lab data account).
var poisonFunctionName = 'PoisonReportFunction'
var arrivalPoisonFunctionName = 'ArrivalPoisonFunction'
// ... and of ReinterpretationPoisonFunction one report whose reinterpretation did (reinterpretations-poison).
var reinterpretationPoisonFunctionName = 'ReinterpretationPoisonFunction'

// The held-report counter (src/Core/Pipeline/Review/PatientSafetyMetrics.cs).
var heldReportsMetric = 'precisionmed.reports.held'

// Report unit outcomes (metric precisionmed.units, tag precisionmed.outcome; PipelineTelemetry in src/Core).
var unitsMetric = 'precisionmed.units'

var actions = empty(emailAddresses)
  ? []
  : [
      {
        actionGroupId: actionGroup.id
      }
    ]

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = if (!empty(emailAddresses)) {
  name: 'ag-${namePrefix}'
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'pmed-ops'
    enabled: true
    emailReceivers: [
      for (address, i) in emailAddresses: {
        name: 'ops-${i}'
        emailAddress: address
        useCommonAlertSchema: true
      }
    ]
  }
}

// A poison message is consumed at once by PoisonReportFunction (it records the unit as Failed), so
// the queue's length is > 0 exactly when that function runs: alert on its executions. A unit can also end Failed
// without a poison queue: its FHIR retry budget spent (outcome failed) or its file overwritten after arrival
// (outcome overwritten), both inside the work function; those count too.
resource poisonQueue 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: 'alert-${namePrefix}-poison-queue'
  location: location
  tags: tags
  properties: {
    displayName: 'Lab files or report units reached a poison queue'
    description: 'A report unit (lab-reports-poison) or a file\'s arrival (webjobs-blobtrigger-poison) failed after every retry; it is Failed in the ledger. Find it with GET /api/files?state=Failed or pmed status; replay it once the cause is fixed. A report\'s reinterpretation (reinterpretations-poison) is run again with pmed knowledge reinterpret --since.'
    severity: 1
    enabled: true
    scopes: [
      logAnalyticsWorkspaceId
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT5M'
    criteria: {
      allOf: [
        {
          query: 'AppRequests | where Name in ("${poisonFunctionName}", "${arrivalPoisonFunctionName}", "${reinterpretationPoisonFunctionName}") | union (AppMetrics | where Name == "${unitsMetric}" | where tostring(Properties["precisionmed.outcome"]) in ("failed", "overwritten"))'
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    actions: {
      actionGroups: [for action in actions: action.actionGroupId]
    }
  }
}

// A FHIR outage no longer fails deliveries: units wait (state Waiting) and are put back with a growing delay until the
// service is back or their retry budget is spent. Ops should know while it lasts, though nobody needs to act.
resource unitsWaiting 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: 'alert-${namePrefix}-units-waiting'
  location: location
  tags: tags
  properties: {
    displayName: 'Report units waiting for the FHIR service'
    description: 'The FHIR service failed transiently (unreachable, 5xx, 429 after retries): report units are Waiting and are retried by themselves with a growing delay up to Pipeline__TransientRetryBudget. pmed status FILE_ID shows the next attempt and the reason; check the FHIR service\'s health.'
    severity: 2
    enabled: true
    scopes: [
      logAnalyticsWorkspaceId
    ]
    evaluationFrequency: 'PT15M'
    windowSize: 'PT15M'
    criteria: {
      allOf: [
        {
          query: 'AppMetrics | where Name == "${unitsMetric}" | where tostring(Properties["precisionmed.outcome"]) == "waiting"'
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    actions: {
      actionGroups: [for action in actions: action.actionGroupId]
    }
  }
}

// Patient safety: a report whose patient details disagree with the EMR's Patient is held, nothing written, until
// someone resolves it (pmed review). The metric comes through OpenTelemetry into AppMetrics.
resource heldReports 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: 'alert-${namePrefix}-held-reports'
  location: location
  tags: tags
  properties: {
    displayName: 'Reports held for patient review'
    description: 'A report names a patient identifier whose EMR Patient has another family name, birth date or sex: nothing was written. pmed review list shows it; check with the lab, then pmed review release or reject.'
    severity: 1
    enabled: true
    scopes: [
      logAnalyticsWorkspaceId
    ]
    evaluationFrequency: 'PT15M'
    windowSize: 'PT15M'
    criteria: {
      allOf: [
        {
          query: 'AppMetrics | where Name == "${heldReportsMetric}"'
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    actions: {
      actionGroups: [for action in actions: action.actionGroupId]
    }
  }
}

// The CDS services' error rate: server errors (5xx) among their calls. 401 (a token refused), 400 and 412 are the
// caller's and not counted. A row comes back only when the rate is over the threshold.
resource cdsErrors 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: 'alert-${namePrefix}-cds-errors'
  location: location
  tags: tags
  properties: {
    displayName: 'CDS Hooks services answer with server errors'
    description: 'Over ${cdsErrorRatePercent}% of CDS Hooks calls (POST /api/cds-services/{id} and its feedback) failed with 5xx in 15 minutes: clinicians get no pharmacogenomic or ordering cards. See the CdsServiceFunction failures in Application Insights.'
    severity: 2
    enabled: true
    scopes: [
      logAnalyticsWorkspaceId
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    criteria: {
      allOf: [
        {
          query: 'AppRequests | where Name in (${cdsFunctionNames}) | summarize calls = count(), errors = countif(toint(ResultCode) >= 500) | where calls > 0 and 100.0 * errors / calls > ${cdsErrorRatePercent}'
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    actions: {
      actionGroups: [for action in actions: action.actionGroupId]
    }
  }
}

resource functionFailures 'Microsoft.Insights/metricAlerts@2018-03-01' = {
  name: 'alert-${namePrefix}-function-failures'
  location: 'global'
  tags: tags
  properties: {
    description: 'Function executions failed (exceptions): see the function app\'s failures in Application Insights.'
    severity: 2
    enabled: true
    scopes: [
      appInsightsId
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: 'failed-executions'
          metricNamespace: 'microsoft.insights/components'
          metricName: 'requests/failed'
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: functionFailureThreshold
        }
      ]
    }
    actions: actions
  }
}

resource fhirThrottling 'Microsoft.Insights/metricAlerts@2018-03-01' = {
  name: 'alert-${namePrefix}-fhir-throttling'
  location: 'global'
  tags: tags
  properties: {
    description: 'The FHIR service answers 429 (throttled): the pipeline retries with backoff, but sustained throttling delays results. Consider more capacity or fewer instances.'
    severity: 2
    enabled: true
    scopes: [
      fhirServiceId
    ]
    evaluationFrequency: 'PT1M'
    windowSize: 'PT5M'
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: 'throttled-requests'
          metricNamespace: 'Microsoft.HealthcareApis/workspaces/fhirservices'
          metricName: 'TotalErrors'
          dimensions: [
            {
              name: 'StatusCode'
              operator: 'Include'
              values: [
                '429'
              ]
            }
          ]
          timeAggregation: 'Total'
          operator: 'GreaterThan'
          threshold: fhirThrottleThreshold
        }
      ]
    }
    actions: actions
  }
}

resource intakeDeadLetters 'Microsoft.Insights/metricAlerts@2018-03-01' = if (!empty(labIntakeSystemTopicId)) {
  name: 'alert-${namePrefix}-intake-dead-letters'
  location: 'global'
  tags: tags
  properties: {
    description: 'Event Grid could not deliver a new lab file to the blob trigger: the event is in the intake-deadletter container of the lab data account; the file is still in incoming/.'
    severity: 1
    enabled: true
    scopes: [
      labIntakeSystemTopicId
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT5M'
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: 'dead-lettered-events'
          metricNamespace: 'Microsoft.EventGrid/systemTopics'
          metricName: 'DeadLetteredCount'
          timeAggregation: 'Total'
          operator: 'GreaterThan'
          threshold: 0
        }
      ]
    }
    actions: actions
  }
}
