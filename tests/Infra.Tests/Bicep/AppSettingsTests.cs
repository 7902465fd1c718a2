using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PrecisionMed.Infra.Tests.Settings;
using Xunit;

namespace PrecisionMed.Infra.Tests.Bicep;

/// <summary>
/// The function app's settings (main.bicep's appSettings) against what the code reads: the options
/// classes (by reflection, rules in <see cref="CodeSettings"/>) and the trigger connections in
/// functions.metadata. Every needed setting is there with the right value, none is a secret, none is
/// a local-only setting, and none is unknown to the code.
/// </summary>
[Trait("Tier", "Stack")]
public sealed partial class AppSettingsTests(BicepFixture fixture)
{
    private const string IdentityClientId = "[reference('identity').outputs.clientId.value]";

    private static readonly string[] ConnectionSuffixes = ["blobServiceUri", "queueServiceUri", "credential", "clientId"];

    private CompiledTemplate Template => fixture.Template;

    private IReadOnlyDictionary<string, string> AppSettings =>
        Template.ModuleParameter("functionApp", "appSettings").AsObject()
            .ToDictionary(setting => setting.Key, setting => setting.Value!.GetValue<string>(), StringComparer.OrdinalIgnoreCase);

    // List settings (NAME -> NAME__0, NAME__1, ...), with the expression of the list.
    private IReadOnlyDictionary<string, string> ListSettings =>
        Template.ModuleParameter("functionApp", "appSettingLists").AsObject()
            .ToDictionary(setting => setting.Key, setting => setting.Value!.GetValue<string>(), StringComparer.OrdinalIgnoreCase);

    [Fact]
    public void OptionsClasses_AreFoundInCoreAndAdapters()
    {
        var sections = CodeSettings.OptionsClasses.Select(options => options.Section).ToList();

        Assert.Subset(new HashSet<string>(sections), new HashSet<string>(["LabStorage", "Cosmos", "Fhir", "Pipeline"]));
    }

    [Fact]
    public void OptionsClasses_EveryPropertyHasARule()
    {
        var missing = CodeSettings.OptionsInCode().Where(option => !CodeSettings.Rules.ContainsKey(option)).ToList();

        Assert.True(
            missing.Count == 0,
            $"Options the code reads without a rule in tests/Infra.Tests/Settings/CodeSettings.cs: {string.Join(", ", missing)}. " +
            "Say whether the Bicep sets them (and add them to main.bicep's appSettings), leaves the code default, or must never set them.");
    }

    [Fact]
    public void Rules_NameOptionsOfTheCodeOrPlannedOnes()
    {
        var inCode = CodeSettings.OptionsInCode().ToHashSet(StringComparer.OrdinalIgnoreCase);
        var unknown = CodeSettings.Rules.Keys.Where(option => !inCode.Contains(option) && !CodeSettings.Planned.ContainsKey(option)).ToList();

        Assert.True(unknown.Count == 0, $"Rules for options the code does not have (renamed? then rename the app setting too): {string.Join(", ", unknown)}.");
    }

    /// <summary>The deployment's default limits are the code's: deploying changes nothing until ops choose a limit.</summary>
    [Fact]
    public void LimitsParameter_DefaultsAreTheCodeDefaults()
    {
        var defaults = Template.Root["parameters"]!["limits"]!["defaultValue"]!.AsObject();
        var code = new PrecisionMed.Core.Formats.LimitsOptions();
        var pipeline = new PrecisionMed.Core.Pipeline.PipelineOptions();

        Assert.Equal(code.MaxFileBytes, defaults["maxFileBytes"]!.GetValue<long>());
        Assert.Equal(code.MaxDecompressedBytes, defaults["maxDecompressedBytes"]!.GetValue<long>());
        Assert.Equal(code.MaxDecompressionRatio, double.Parse(defaults["maxDecompressionRatio"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(code.MaxDocumentBytes, defaults["maxDocumentBytes"]!.GetValue<long>());
        Assert.Equal(code.MaxLineBytes, defaults["maxLineBytes"]!.GetValue<int>());
        Assert.Equal(code.MaxMessagesPerFile, defaults["maxMessagesPerFile"]!.GetValue<int>());
        Assert.Equal(code.MaxJsonDepth, defaults["maxJsonDepth"]!.GetValue<int>());
        Assert.Equal(pipeline.MaxInlineDocumentBytes, defaults["maxInlineDocumentBytes"]!.GetValue<int>());
    }

    [Fact]
    public void AppSettings_SetEveryOptionTheDeploymentMustSet()
    {
        foreach (var (option, rule) in CodeSettings.Rules.Where(rule => rule.Value.Use == AzureUse.Set))
        {
            var name = CodeSettings.AppSettingName(option);
            if (ListSettings.ContainsKey(name))
            {
                continue;
            }

            Assert.True(AppSettings.TryGetValue(name, out var value), $"main.bicep's appSettings (or appSettingLists) lacks {name} (option {option}).");
            if (rule.Value is not null)
            {
                Assert.True(
                    string.Equals(rule.Value, Template.ResolveText(value), StringComparison.Ordinal),
                    $"{name} is {value} (resolves to '{Template.ResolveText(value)}'); the code needs '{rule.Value}'.");
            }
        }
    }

    [Fact]
    public void AppSettings_SetNoLocalOnlyOrRejectedSetting()
    {
        var forbidden = CodeSettings.Rules.Where(rule => rule.Value.Use == AzureUse.Forbidden)
            .Select(rule => CodeSettings.AppSettingName(rule.Key))
            .Concat(CodeSettings.ForbiddenHostSettings);

        Assert.All(forbidden, name => Assert.False(AppSettings.ContainsKey(name) || ListSettings.ContainsKey(name), $"{name} must not be set in Azure."));
    }

    [Fact]
    public void AppSettings_SetEveryTriggerConnectionByIdentity()
    {
        var connections = FunctionsMetadata.Bindings.Where(binding => binding.Connection is not null).ToList();
        Assert.NotEmpty(connections);

        foreach (var binding in connections)
        {
            var connection = binding.Connection!;
            var service = binding.Type.StartsWith("blob", StringComparison.Ordinal) ? "blobServiceUri"
                : binding.Type.StartsWith("queue", StringComparison.Ordinal) ? "queueServiceUri"
                : throw new InvalidOperationException($"{binding.Function}: binding type {binding.Type} has no rule here yet; add its identity-based settings.");

            AssertIdentityConnection(connection, service, $"{binding.Function} ({binding.Type})");
        }

        // The host's own storage, which the blob trigger also uses for receipts and its work queue.
        AssertIdentityConnection("AzureWebJobsStorage", "blobServiceUri", "the Functions host");
        AssertIdentityConnection("AzureWebJobsStorage", "queueServiceUri", "the Functions host");
    }

    [Fact]
    public void AppSettings_SetTheHostSettings()
    {
        foreach (var (name, value) in CodeSettings.HostSettings)
        {
            Assert.True(AppSettings.ContainsKey(name), $"main.bicep's appSettings lacks {name}.");
            if (value is not null)
            {
                Assert.Equal(value, AppSettings[name]);
            }
        }

        Assert.Equal("[format('ClientId={0};Authorization=AAD', reference('identity').outputs.clientId.value)]", AppSettings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]);
    }

    [Fact]
    public void AppSettings_ClientIdsAreTheIdentityTheAppRunsAs()
    {
        var clientIds = AppSettings.Where(setting => setting.Key.EndsWith("clientId", StringComparison.OrdinalIgnoreCase)).ToList();

        Assert.True(clientIds.Count >= 5, $"Only {clientIds.Count} client id settings.");
        Assert.All(clientIds, setting => Assert.Equal(IdentityClientId, setting.Value));

        var site = Template.Module("functionApp").SingleResource("Microsoft.Web/sites");
        Assert.Equal("UserAssigned", CompiledTemplate.Text(site["identity"]!, "type"));
        Assert.Equal("[reference('identity').outputs.id.value]", Template.ModuleParameter("functionApp", "identityId").GetValue<string>());
    }

    [Fact]
    public void AppSettings_AreAllKnownToTheCode()
    {
        var known = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        known.UnionWith(CodeSettings.Rules.Keys.Select(CodeSettings.AppSettingName));
        known.UnionWith(CodeSettings.HostSettings.Keys);
        foreach (var connection in FunctionsMetadata.Bindings.Select(binding => binding.Connection).OfType<string>())
        {
            known.UnionWith(ConnectionSuffixes.Select(suffix => $"{connection}__{suffix}"));
        }

        var unknown = AppSettings.Keys.Concat(ListSettings.Keys).Where(name => !known.Contains(name)).ToList();
        Assert.True(unknown.Count == 0, $"App settings no code reads (typo? then the code gets its default): {string.Join(", ", unknown)}.");
    }

    [Fact]
    public void AppSettings_HoldNoSecret()
    {
        Assert.Equal("object", CompiledTemplate.Text(Template.Module("functionApp").Root["parameters"]!["appSettings"]!, "type"));
        var secureParameters = (Template.Root["parameters"] as JsonObject ?? [])
            .Where(parameter => parameter.Value?["type"]?.GetValue<string>().StartsWith("secure", StringComparison.OrdinalIgnoreCase) == true)
            .Select(parameter => parameter.Key)
            .ToList();

        foreach (var (name, value) in AppSettings)
        {
            Assert.False(SecretPatterns.SecretFunction().IsMatch(value), $"{name} reads a key or connection string: {value}");
            Assert.False(SecretInValue().IsMatch(value), $"{name} holds a credential: {value}");
            Assert.All(secureParameters, parameter => Assert.DoesNotContain($"parameters('{parameter}')", value, StringComparison.Ordinal));
            if (SecretPatterns.SecretLikeName().IsMatch(name))
            {
                Assert.Equal("APPLICATIONINSIGHTS_CONNECTION_STRING", name);
            }
        }

        // Application Insights' connection string names where telemetry goes; with local auth off it
        // grants nothing (ingestion needs the identity's Entra ID token).
        Assert.Equal("[reference('monitoring').outputs.appInsightsConnectionString.value]", AppSettings["APPLICATIONINSIGHTS_CONNECTION_STRING"]);
        var monitoring = Template.Module("monitoring");
        Assert.EndsWith(".ConnectionString]", CompiledTemplate.Text(monitoring.Outputs["appInsightsConnectionString"], "value"), StringComparison.Ordinal);
        Assert.True(monitoring.SingleResource("Microsoft.Insights/components")["properties"]!["DisableLocalAuth"]!.GetValue<bool>());
    }

    [Fact]
    public void UnitClaim_DefaultOutlastsTheFunctionTimeout()
    {
        // Left at its default in Azure: a claim must not lapse while its delivery can still be running.
        var hostJson = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "host.json")))!;
        var functionTimeout = TimeSpan.Parse(hostJson["functionTimeout"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);

        Assert.True(new PrecisionMed.Core.Pipeline.PipelineOptions().UnitClaim >= functionTimeout);
    }

    [Fact]
    public void FhirTotalTimeout_DefaultFitsBetweenOneAttemptAndTheFunctionTimeout()
    {
        // An exhausted budget must hand the unit back to the queue before the host kills the delivery.
        var hostJson = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "host.json")))!;
        var functionTimeout = TimeSpan.Parse(hostJson["functionTimeout"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        var fhir = new PrecisionMed.Adapters.Fhir.FhirOptions();

        Assert.InRange(fhir.TotalTimeout, fhir.AttemptTimeout, functionTimeout / 2);
    }

    [Fact]
    public void AppSettings_ReachTheSite()
    {
        var functionApp = Template.Module("functionApp");
        var siteConfig = functionApp.SingleResource("Microsoft.Web/sites")["properties"]!["siteConfig"]!;
        var loop = siteConfig["copy"]!.AsArray().Single(copy => copy!["name"]!.GetValue<string>() == "appSettings")!;

        // settings = appSettings plus each list as NAME__0, NAME__1, ...
        var settings = functionApp.Root["variables"]!["settings"]!.GetValue<string>();
        Assert.StartsWith("[union(parameters('appSettings'), reduce(items(parameters('appSettingLists')), ", settings, StringComparison.Ordinal);
        Assert.Equal("[length(items(variables('settings')))]", loop["count"]!.GetValue<string>());
        Assert.Equal("[items(variables('settings'))[copyIndex('appSettings')].key]", loop["input"]!["name"]!.GetValue<string>());
        Assert.Equal("[items(variables('settings'))[copyIndex('appSettings')].value]", loop["input"]!["value"]!.GetValue<string>());
    }

    private void AssertIdentityConnection(string connection, string serviceUriSuffix, string user)
    {
        Assert.True(AppSettings.ContainsKey($"{connection}__{serviceUriSuffix}"), $"{user} needs {connection}__{serviceUriSuffix}.");
        Assert.True(AppSettings.TryGetValue($"{connection}__credential", out var credential), $"{user} needs {connection}__credential.");
        Assert.Equal("managedidentity", credential);
        Assert.True(AppSettings.TryGetValue($"{connection}__clientId", out var clientId), $"{user} needs {connection}__clientId.");
        Assert.Equal(IdentityClientId, clientId);
        Assert.False(AppSettings.ContainsKey(connection), $"{connection} as a connection string would hold an account key.");
    }

    [GeneratedRegex("AccountKey=|SharedAccessKey|SharedAccessSignature|sig=|Password=", RegexOptions.IgnoreCase)]
    private static partial Regex SecretInValue();
}
