using PrecisionMed.Infra.Tests.Settings;
using Xunit;

namespace PrecisionMed.Infra.Tests.Bicep;

/// <summary>What dev and prod would deploy, evaluated offline by `bicep snapshot`.</summary>
[Trait("Tier", "Stack")]
public sealed class DeploymentSnapshotTests(BicepFixture fixture)
{
    private const string ResourceGroupId = $"/subscriptions/{BicepFixture.SubscriptionId}/resourceGroups/{BicepFixture.ResourceGroup}";

    public static TheoryData<string> Environments => ["dev", "prod"];

    [Theory]
    [MemberData(nameof(Environments))]
    public void RoleAssignments_AreEachScopedToOneDeployedResource(string environment)
    {
        var snapshot = fixture.Snapshot(environment);
        var deployed = snapshot.Resources.Select(resource => resource["id"]!.GetValue<string>()).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var assignments = snapshot.OfType("Microsoft.Authorization/roleAssignments");

        // App: host storage x2, lab storage x2, FHIR, Service Bus topic, App Insights; Event Grid: dead-letter container, fhir-events topic.
        Assert.Equal(9, assignments.Count);
        foreach (var assignment in assignments)
        {
            // An assignment's id is extensionResourceId('<scope>', 'Microsoft.Authorization/roleAssignments', ...)
            // or, when every part is known offline, '<scope>/providers/Microsoft.Authorization/roleAssignments/<guid>'.
            var id = assignment["id"]!.GetValue<string>();
            const string expression = "[extensionResourceId('";
            const string extension = "/providers/Microsoft.Authorization/roleAssignments/";
            var scope = id.StartsWith(expression, StringComparison.Ordinal)
                ? id[expression.Length..id.IndexOf('\'', expression.Length)]
                : id[..id.IndexOf(extension, StringComparison.Ordinal)];
            Assert.StartsWith($"{ResourceGroupId}/providers/", scope, StringComparison.OrdinalIgnoreCase);
            Assert.Contains(scope, deployed);
        }
    }

    [Theory]
    [MemberData(nameof(Environments))]
    public void AppSettings_HaveTheNamesTheCodeExpects(string environment)
    {
        var settings = fixture.Snapshot(environment).AppSettings;

        foreach (var (option, rule) in CodeSettings.Rules.Where(rule => rule.Value is { Use: AzureUse.Set, Value: not null }))
        {
            Assert.Equal(rule.Value, settings[CodeSettings.AppSettingName(option)]);
        }
    }

    [Fact]
    public void AppSettings_ListTheKnownLabsTheWayTheConfigurationBinderReadsThem()
    {
        var dev = fixture.Snapshot("dev").AppSettings;
        var prod = fixture.Snapshot("prod").AppSettings;

        Assert.Equal("dev-lab-a", dev["Pipeline__KnownLabs__0"]);
        Assert.Equal("dev-lab-b", dev["Pipeline__KnownLabs__1"]);
        Assert.DoesNotContain(dev.Keys, name => name == "Pipeline__KnownLabs__2");
        Assert.DoesNotContain(prod.Keys, name => name.StartsWith("Pipeline__KnownLabs", StringComparison.Ordinal));
    }

    [Fact]
    public void AppServiceAuthentication_ValidatesEntraTokensForTheApi_WithoutASecretOrSignIn()
    {
        var dev = fixture.Snapshot("dev");
        var prod = fixture.Snapshot("prod");

        // The Genomics operations and file names ask for app roles in the principal App Service authentication hands over.
        var auth = dev.OfType("Microsoft.Web/sites/config").Single(c => c["name"]!.GetValue<string>().EndsWith("/authsettingsV2", StringComparison.Ordinal))["properties"]!;
        Assert.True(auth["platform"]!["enabled"]!.GetValue<bool>());
        Assert.False(auth["globalValidation"]!["requireAuthentication"]!.GetValue<bool>()); // function keys and webhooks still reach the app
        var entra = auth["identityProviders"]!["azureActiveDirectory"]!;
        Assert.True(entra["enabled"]!.GetValue<bool>());
        Assert.Equal("00000000-0000-0000-0000-00000000a11d", entra["registration"]!["clientId"]!.GetValue<string>());
        Assert.Null(entra["registration"]!["clientSecretSettingName"]);
        var issuer = entra["registration"]!["openIdIssuer"]!.GetValue<string>();
        // The cloud's Entra ID endpoint and the tenant, v2.0 tokens (offline, the snapshot keeps the environment() expression).
        Assert.True(issuer.StartsWith("https://login.microsoftonline.com/", StringComparison.Ordinal) && issuer.EndsWith("/v2.0", StringComparison.Ordinal)
            || issuer.Contains("environment().authentication.loginEndpoint", StringComparison.Ordinal) && issuer.Contains("/v2.0", StringComparison.Ordinal), issuer);
        Assert.Contains("api://00000000-0000-0000-0000-00000000a11d", entra["validation"]!["allowedAudiences"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.False(auth["login"]!["tokenStore"]!["enabled"]!.GetValue<bool>());

        // Without an API registration (prod's PMED_API_CLIENT_ID unset here) nothing is configured, and the roles are refused.
        Assert.DoesNotContain(prod.OfType("Microsoft.Web/sites/config"), c => c["name"]!.GetValue<string>().EndsWith("/authsettingsV2", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Environments))]
    public void FhirBaseUrl_IsTheFhirServiceAudience(string environment)
    {
        var snapshot = fixture.Snapshot(environment);
        var audience = snapshot.Single("Microsoft.HealthcareApis/workspaces/fhirservices")["properties"]!["authenticationConfiguration"]!["audience"]!.GetValue<string>();

        // The adapter asks Entra ID for a token for {Fhir__BaseUrl}/.default: the service's audience.
        Assert.Equal(audience, snapshot.AppSettings["Fhir__BaseUrl"]);
        Assert.StartsWith("https://", audience, StringComparison.Ordinal);
        Assert.EndsWith(".fhir.azurehealthcareapis.com", audience, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("dev", "dotnet-isolated", "10.0", 0)]
    [InlineData("prod", "dotnet-isolated", "10.0", 1)]
    public void FunctionApp_IsFlexConsumptionDotnetIsolated(string environment, string runtime, string version, int alwaysReadyBlob)
    {
        var snapshot = fixture.Snapshot(environment);
        var site = snapshot.Single("Microsoft.Web/sites");
        var config = site["properties"]!["functionAppConfig"]!;

        Assert.Equal("FlexConsumption", snapshot.Single("Microsoft.Web/serverfarms")["sku"]!["tier"]!.GetValue<string>());
        Assert.Equal(runtime, config["runtime"]!["name"]!.GetValue<string>());
        Assert.Equal(version, config["runtime"]!["version"]!.GetValue<string>());
        Assert.Equal("UserAssignedIdentity", config["deployment"]!["storage"]!["authentication"]!["type"]!.GetValue<string>());
        Assert.True(config["scaleAndConcurrency"]!["maximumInstanceCount"]!.GetValue<int>() >= 1);
        var alwaysReady = config["scaleAndConcurrency"]!["alwaysReady"]!.AsArray();
        Assert.Equal(alwaysReadyBlob, alwaysReady.Where(entry => entry!["name"]!.GetValue<string>() == "blob").Sum(entry => entry!["instanceCount"]!.GetValue<int>()));
        Assert.True(site["properties"]!["httpsOnly"]!.GetValue<bool>());
        Assert.Equal("UserAssigned", site["identity"]!["type"]!.GetValue<string>());
        // azd deploys the service named in azure.yaml to the app with this tag.
        Assert.Equal("functions", site["tags"]!["azd-service-name"]!.GetValue<string>());
        Assert.Contains("\n  functions:\n", File.ReadAllText(Path.Combine(RepositoryRoot.Path, "azure.yaml")).ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("dev", "serverless")]
    [InlineData("prod", "autoscale")]
    public void Cosmos_HasTheLedgerKnowledgeAndGenomicIndexContainersAndTheChosenCapacity(string environment, string capacity)
    {
        var snapshot = fixture.Snapshot(environment);
        var account = snapshot.Single("Microsoft.DocumentDB/databaseAccounts")["properties"]!;
        var database = snapshot.Single("Microsoft.DocumentDB/databaseAccounts/sqlDatabases");
        var containers = snapshot.OfType("Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers")
            .ToDictionary(container => container["properties"]!["resource"]!["id"]!.GetValue<string>(), container => container["properties"]!["resource"]!);

        Assert.True(account["disableLocalAuth"]!.GetValue<bool>());
        Assert.Equal("precisionmed", database["properties"]!["resource"]!["id"]!.GetValue<string>());
        Assert.Equal(["cds-feedback", "genomic-index", "knowledge", "ledger"], containers.Keys.Order(StringComparer.Ordinal));
        // CDS Hooks feedback is written and counted per service partition (CosmosCdsFeedbackStore).
        Assert.Equal("/pk", containers["cds-feedback"]["partitionKey"]!["paths"]![0]!.GetValue<string>());
        // The genomic index is read by single-partition queries on /pk (CosmosGenomicIndex).
        Assert.Equal("/pk", containers["genomic-index"]["partitionKey"]!["paths"]![0]!.GetValue<string>());
        // The ledger adapter reads and writes by partition key /fileId (CosmosLabFileLedger).
        Assert.Equal("/fileId", containers["ledger"]["partitionKey"]!["paths"]![0]!.GetValue<string>());
        // The knowledge store reads by id with the id as partition key (CosmosKnowledgeStore).
        Assert.Equal("/id", containers["knowledge"]["partitionKey"]!["paths"]![0]!.GetValue<string>());
        Assert.All(containers.Values, container =>
            Assert.Equal("/*", container["indexingPolicy"]!["excludedPaths"]![0]!["path"]!.GetValue<string>()));
        Assert.NotEmpty(containers["ledger"]["indexingPolicy"]!["includedPaths"]!.AsArray());
        Assert.Empty(containers["knowledge"]["indexingPolicy"]!["includedPaths"]!.AsArray());

        var serverless = account["capabilities"]!.AsArray().Any(c => c!["name"]!.GetValue<string>() == "EnableServerless");
        var autoscale = database["properties"]!["options"]?["autoscaleSettings"]?["maxThroughput"];
        Assert.Equal(capacity == "serverless", serverless);
        Assert.Equal(capacity == "autoscale", autoscale is not null);
    }

    [Theory]
    [MemberData(nameof(Environments))]
    public void ServiceBus_HasTheResultsAndFhirEventsTopicsWithOneSubscriptionPerEmr(string environment)
    {
        var snapshot = fixture.Snapshot(environment);
        var topics = snapshot.OfType("Microsoft.ServiceBus/namespaces/topics").ToDictionary(topic => topic["name"]!.GetValue<string>().Split('/')[^1]);

        Assert.True(snapshot.Single("Microsoft.ServiceBus/namespaces")["properties"]!["disableLocalAuth"]!.GetValue<bool>());
        Assert.Equal(["fhir-events", "genomic-results"], topics.Keys.Order(StringComparer.Ordinal));
        // GenomicResultAvailable has a deterministic message id: duplicate detection drops re-sends.
        Assert.True(topics["genomic-results"]["properties"]!["requiresDuplicateDetection"]!.GetValue<bool>());

        var subscriptions = snapshot.OfType("Microsoft.ServiceBus/namespaces/topics/subscriptions")
            .Select(subscription => subscription["name"]!.GetValue<string>()).ToList();
        var emrs = environment == "dev" ? new[] { "dev-listener" } : [];
        Assert.Equal(
            emrs.SelectMany(emr => new[] { $"fhir-events/{emr}", $"genomic-results/{emr}" }).Order(StringComparer.Ordinal),
            subscriptions.Select(name => string.Join('/', name.Split('/')[^2..])).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Environments))]
    public void DiagnosticSettings_SendStorageCosmosFhirServiceBusAndTheAppToLogAnalytics(string environment)
    {
        var snapshot = fixture.Snapshot(environment);
        var workspace = snapshot.Single("Microsoft.OperationalInsights/workspaces")["id"]!.GetValue<string>();
        var settings = snapshot.OfType("Microsoft.Insights/diagnosticSettings");

        Assert.All(settings, setting => Assert.Equal(workspace, setting["properties"]!["workspaceId"]!.GetValue<string>()));
        var scopes = settings.Select(setting => setting["id"]!.GetValue<string>()).ToList();
        foreach (var provider in new[] { "Microsoft.Storage/storageAccounts", "Microsoft.DocumentDB/databaseAccounts", "Microsoft.HealthcareApis/workspaces", "Microsoft.ServiceBus/namespaces", "Microsoft.Web/sites" })
        {
            Assert.Contains(scopes, scope => scope.Contains($"/providers/{provider}/", StringComparison.OrdinalIgnoreCase));
        }
    }

    [Theory]
    [MemberData(nameof(Environments))]
    public void Alerts_CoverPoisonQueueFunctionFailuresFhirThrottlingAndDeadLetters(string environment)
    {
        var snapshot = fixture.Snapshot(environment);
        var metricAlerts = snapshot.OfType("Microsoft.Insights/metricAlerts")
            .Select(alert => alert["properties"]!["criteria"]!["allOf"]![0]!["metricName"]!.GetValue<string>())
            .Order(StringComparer.Ordinal);
        var logAlerts = snapshot.OfType("Microsoft.Insights/scheduledQueryRules").ToList();
        var logAlert = logAlerts.Single(alert => alert["name"]!.GetValue<string>().EndsWith("poison-queue", StringComparison.Ordinal))["properties"]!["criteria"]!["allOf"]![0]!;
        var held = logAlerts.Single(alert => alert["name"]!.GetValue<string>().EndsWith("held-reports", StringComparison.Ordinal))["properties"]!["criteria"]!["allOf"]![0]!;
        Assert.Contains($"\"{PrecisionMed.Core.Pipeline.Review.PatientSafetyMetrics.HeldReports}\"", held["query"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0, held["threshold"]!.GetValue<int>());

        Assert.Equal(["DeadLetteredCount", "TotalErrors", "requests/failed"], metricAlerts);
        var throttling = snapshot.OfType("Microsoft.Insights/metricAlerts").Single(alert => alert["name"]!.GetValue<string>().EndsWith("fhir-throttling", StringComparison.Ordinal));
        Assert.Equal("429", throttling["properties"]!["criteria"]!["allOf"]![0]!["dimensions"]![0]!["values"]![0]!.GetValue<string>());
        // The poison-queue functions are those bound to a poison queue: the work queue's, the blob trigger's and the reinterpretations'.
        var poisonFunctions = FunctionsMetadata.Bindings.Where(binding => binding.Type == "queueTrigger" && binding["queueName"]!.EndsWith("-poison", StringComparison.Ordinal))
            .Select(binding => binding.Function).ToList();
        Assert.Equal(3, poisonFunctions.Count);
        foreach (var poisonFunction in poisonFunctions)
            Assert.Contains($"\"{poisonFunction}\"", logAlert["query"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0, logAlert["threshold"]!.GetValue<int>());

        // Units Failed inside the work function (retry budget spent, file overwritten) alert as poisoned ones do, and
        // units waiting out a FHIR outage have their own alert.
        var unitOutcomes = $"\"{PrecisionMed.Core.Pipeline.PipelineTelemetry.UnitsMetric}\"";
        Assert.Contains(unitOutcomes, logAlert["query"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("(\"failed\", \"overwritten\")", logAlert["query"]!.GetValue<string>(), StringComparison.Ordinal);
        var waiting = logAlerts.Single(alert => alert["name"]!.GetValue<string>().EndsWith("units-waiting", StringComparison.Ordinal))["properties"]!["criteria"]!["allOf"]![0]!;
        Assert.Contains(unitOutcomes, waiting["query"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("== \"waiting\"", waiting["query"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Environments))]
    public void Cds_EndpointsHaveTheirErrorRateAlert_AndTheTrustedIssuersSetting(string environment)
    {
        var snapshot = fixture.Snapshot(environment);
        var alert = snapshot.OfType("Microsoft.Insights/scheduledQueryRules")
            .Single(a => a["name"]!.GetValue<string>().EndsWith("cds-errors", StringComparison.Ordinal))["properties"]!["criteria"]!["allOf"]![0]!;
        var query = alert["query"]!.GetValue<string>();

        // The CDS functions as functions.metadata names them: the service and its feedback, not discovery.
        foreach (var function in new[] { "CdsServiceFunction", "CdsFeedbackFunction" })
        {
            Assert.Contains(FunctionsMetadata.Bindings, binding => binding.Function == function);
            Assert.Contains($"\"{function}\"", query, StringComparison.Ordinal);
        }

        Assert.Contains("toint(ResultCode) >= 500", query, StringComparison.Ordinal);
        Assert.Contains("> 5", query, StringComparison.Ordinal);
        Assert.Equal(0, alert["threshold"]!.GetValue<int>());
        Assert.True(snapshot.AppSettings.ContainsKey("Cds__TrustedIssuers"), "the trusted EHRs' app setting");
    }

    [Theory]
    [MemberData(nameof(Environments))]
    public void FunctionApp_Cors_AllowsOnlyTheGivenOrigins_WithoutCredentials(string environment)
    {
        var cors = fixture.Snapshot(environment).Single("Microsoft.Web/sites")["properties"]!["siteConfig"]!["cors"];
        if (environment == "prod")
        {
            // No origin given: browsers keep their same-origin rule.
            Assert.True(cors is null, $"prod: {cors}");
            return;
        }

        Assert.Equal(["https://sandbox.cds-hooks.org"], cors!["allowedOrigins"]!.AsArray().Select(o => o!.GetValue<string>()));
        Assert.False(cors["supportCredentials"]!.GetValue<bool>());
    }
}
