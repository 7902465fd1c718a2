using PrecisionMed.Adapters.Cosmos;
using PrecisionMed.Adapters.Storage;
using PrecisionMed.Core.Pipeline;

namespace PrecisionMed.Infra.Tests.Settings;

/// <summary>What an Azure deployment does with one setting the code reads.</summary>
internal enum AzureUse
{
    /// <summary>The Bicep sets it: an address, a name, the identity's client id, a switch.</summary>
    Set,

    /// <summary>The code's default is what Azure needs; the Bicep leaves it alone.</summary>
    CodeDefault,

    /// <summary>Local emulators only (keys, connection strings): it must never be set in Azure.</summary>
    Forbidden,
}

/// <param name="Use">What the deployment does with the setting.</param>
/// <param name="Value">The exact value the Bicep must give it, when it is a fixed name or switch.</param>
internal sealed record SettingRule(AzureUse Use, string? Value = null);

/// <summary>
/// The settings the code reads, and what the deployment must do with each. The options classes
/// are read by reflection: a new option property fails <c>AppSettingsTests</c> until it gets a rule
/// here, so nobody adds a setting the Bicep forgets. To add settings:
/// <list type="number">
/// <item>each property of an options class (found by reflection): a rule in <see cref="Rules"/> ("Section:Property");</item>
/// <item>settings of code still being written: a rule plus an entry in <see cref="Planned"/>;</item>
/// <item>the Bicep: the setting in main.bicep's <c>appSettings</c>.</item>
/// </list>
/// Trigger connections are not listed: they come from functions.metadata.
/// </summary>
internal static class CodeSettings
{
    /// <summary>
    /// Options classes bound from configuration, found in src/Core and src/Adapters: every public
    /// <c>*Options</c> class with a <c>SectionName</c> (or, for a Functions connection,
    /// <c>ConnectionName</c>) constant, which names its section.
    /// </summary>
    public static IReadOnlyList<(string Section, Type Options)> OptionsClasses { get; } =
    [
        .. from assembly in new[] { typeof(PipelineOptions).Assembly, typeof(LabStorageOptions).Assembly }
           from type in assembly.GetExportedTypes()
           where type.IsClass && type.Name.EndsWith("Options", StringComparison.Ordinal)
           let field = type.GetField("SectionName") ?? type.GetField("ConnectionName")
           where field is { IsLiteral: true } && field.FieldType == typeof(string)
           orderby type.FullName
           select ((string)field.GetRawConstantValue()!, type),
    ];

    /// <summary>Settings of code that other issues are writing; the Bicep sets them already.</summary>
    /// <remarks>Empty now: the knowledge and notification settings have landed.
    /// Add "Section:Property" = "why" here when the Bicep must set a setting before its code exists.</remarks>
    public static IReadOnlyDictionary<string, string> Planned { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Every option, as "Section:Property", and what Azure does with it.</summary>
    public static IReadOnlyDictionary<string, SettingRule> Rules { get; } = new Dictionary<string, SettingRule>(StringComparer.OrdinalIgnoreCase)
    {
        // LabStorageOptions: the identity-based form of the LabStorage connection.
        ["LabStorage:ConnectionString"] = new(AzureUse.Forbidden),
        ["LabStorage:BlobServiceUri"] = new(AzureUse.Set),
        ["LabStorage:QueueServiceUri"] = new(AzureUse.Set),
        ["LabStorage:ClientId"] = new(AzureUse.Set),
        ["LabStorage:WorkQueueName"] = new(AzureUse.Set, new LabStorageOptions().WorkQueueName),
        ["LabStorage:ReinterpretationQueueName"] = new(AzureUse.CodeDefault),
        ["Knowledge:Diff:Transitions"] = new(AzureUse.CodeDefault),
        ["Reinterpretation:NotifyAtLeast"] = new(AzureUse.CodeDefault),
        ["Reinterpretation:MaxReportsPerRun"] = new(AzureUse.CodeDefault),
        ["Reinterpretation:ReportsPerMinute"] = new(AzureUse.CodeDefault),
        ["LabStorage:CreateIfMissing"] = new(AzureUse.Set, "false"),

        // CosmosOptions.
        ["Cosmos:Endpoint"] = new(AzureUse.Set),
        ["Cosmos:Database"] = new(AzureUse.Set, new CosmosOptions().Database),
        ["Cosmos:LedgerContainer"] = new(AzureUse.Set, new CosmosOptions().LedgerContainer),
        ["Cosmos:KnowledgeContainer"] = new(AzureUse.Set, "knowledge"),
        ["Cosmos:GenomicIndexContainer"] = new(AzureUse.Set, "genomic-index"),
        ["Cosmos:CdsFeedbackContainer"] = new(AzureUse.Set, "cds-feedback"),

        // CdsOptions: the trusted EHRs come from main.bicep's cdsTrustedIssuers parameter; the rest are the code's defaults
        // (the request's own URL is the service URL a token's aud must name; CPIC's pre-test cards on).
        ["Cds:TrustedIssuers"] = new(AzureUse.Set),
        ["Cds:PublicBaseUrl"] = new(AzureUse.CodeDefault),
        ["Cds:ClockSkew"] = new(AzureUse.CodeDefault),
        ["Cds:MaxTokenLifetime"] = new(AzureUse.CodeDefault),
        ["Cds:FhirTimeout"] = new(AzureUse.CodeDefault),
        ["Cds:PreTestCards"] = new(AzureUse.CodeDefault),
        ["Cds:PreTestOffDrugs"] = new(AzureUse.CodeDefault),
        ["Cds:ReportLinkBase"] = new(AzureUse.CodeDefault),
        ["Cds:GovernanceLookbackYears"] = new(AzureUse.CodeDefault),
        ["Cosmos:ClientId"] = new(AzureUse.Set),
        ["Cosmos:EmulatorKey"] = new(AzureUse.Forbidden),
        ["Cosmos:CreateIfMissing"] = new(AzureUse.Set, "false"),

        // FhirOptions.
        ["Fhir:BaseUrl"] = new(AzureUse.Set),
        ["Fhir:UseManagedIdentity"] = new(AzureUse.Set, "true"),
        ["Fhir:ClientId"] = new(AzureUse.Set),
        ["Fhir:MaxRetries"] = new(AzureUse.Set),
        ["Fhir:RetryBaseDelay"] = new(AzureUse.Set),
        ["Fhir:AttemptTimeout"] = new(AzureUse.Set),
        ["Fhir:TotalTimeout"] = new(AzureUse.Set),
        ["Fhir:MaxConcurrency"] = new(AzureUse.Set),
        // The circuit breaker: trips on half the attempts failing (not 429s); its defaults hold.
        ["Fhir:BreakerFailureRatio"] = new(AzureUse.CodeDefault),
        ["Fhir:BreakerMinimumThroughput"] = new(AzureUse.CodeDefault),
        ["Fhir:BreakerSamplingDuration"] = new(AzureUse.CodeDefault),
        ["Fhir:BreakDuration"] = new(AzureUse.CodeDefault),

        // KnowledgeOptions: in Azure the store is the Cosmos container; the cache's
        // defaults hold.
        ["Knowledge:Store"] = new(AzureUse.Set, "Cosmos"),
        ["Knowledge:CacheEntries"] = new(AzureUse.CodeDefault),
        ["Knowledge:VersionRefresh"] = new(AzureUse.CodeDefault),

        // PipelineOptions: the version recorded in Provenance is the build's own; the known labs are
        // the parameter knownLabs (a list: Pipeline__KnownLabs__0, ...).
        ["Pipeline:PipelineVersion"] = new(AzureUse.CodeDefault),
        ["Pipeline:KnownLabs"] = new(AzureUse.Set),
        // A unit's claim lapses after host.json's functionTimeout (checked in AppSettingsTests).
        ["Pipeline:UnitClaim"] = new(AzureUse.CodeDefault),
        // The replay bound is the same for the app and for `pmed replay` (which reads no app settings): the code default.
        ["Pipeline:MaxReplays"] = new(AzureUse.CodeDefault),
        // With the limits: 1 MiB inline by default, larger documents to the documents container.
        ["Pipeline:MaxInlineDocumentBytes"] = new(AzureUse.Set),
        // A unit the FHIR service fails transiently waits 30 s doubling to 15 min, for up to 24 h: the code defaults
        // (tests scale them down; an operator may lengthen the budget for a planned FHIR maintenance).
        ["Pipeline:TransientRetryBaseDelay"] = new(AzureUse.CodeDefault),
        ["Pipeline:TransientRetryMaxDelay"] = new(AzureUse.CodeDefault),
        ["Pipeline:TransientRetryBudget"] = new(AzureUse.CodeDefault),
        // A VCF without its manifest waits 1 h for it, then is held: the code default (a lab that sends manifests late may lengthen it).
        ["Pipeline:VcfManifestWait"] = new(AzureUse.CodeDefault),

        // NotificationOptions: the Service Bus topic; the Storage Queue fallback is for local runs.
        ["Notifications:ServiceBusNamespace"] = new(AzureUse.Set),
        ["Notifications:Topic"] = new(AzureUse.Set, "genomic-results"),
        ["Notifications:QueueName"] = new(AzureUse.CodeDefault),
        ["Notifications:ClientId"] = new(AzureUse.Set),

        // VcfOptions: the reportable-variant policy. Its defaults (PASS only, non-reference genotypes, germline,
        // the lab profile's genome build, 10,000 variants a sample) are the clinical default; a deployment that
        // needs another policy adds a parameter here and in main.bicep rather than setting it by hand. A regions
        // BED is a local file the package does not carry.
        ["Vcf:GenomeBuild"] = new(AzureUse.CodeDefault),
        ["Vcf:GenomicSourceClass"] = new(AzureUse.CodeDefault),
        ["Vcf:RequirePassFilter"] = new(AzureUse.CodeDefault),
        ["Vcf:RequireNonReferenceGenotype"] = new(AzureUse.CodeDefault),
        ["Vcf:RegionsBed"] = new(AzureUse.CodeDefault),
        ["Vcf:Genes"] = new(AzureUse.CodeDefault),
        ["Vcf:OnlyKnownVariants"] = new(AzureUse.CodeDefault),
        ["Vcf:MaxReportableVariants"] = new(AzureUse.CodeDefault),
        ["Vcf:HomoplasmicRatio"] = new(AzureUse.CodeDefault),
        // Where labs write the diplotypes they called (PGX_DIPLOTYPE); a lab with another key is a code change, like the INFO keys read for genes.
        ["Vcf:DiplotypeInfoKey"] = new(AzureUse.CodeDefault),
        // The sample's sex is a fact of one order, not of a deployment: unknown (no hemizygous inference) by default.
        ["Vcf:SampleSex"] = new(AzureUse.CodeDefault),

        // LimitsOptions: hostile-input limits, from main.bicep's `limits` parameter, whose defaults are the code's
        // (AppSettingsTests checks they agree), so ops change a limit by deployment, never by hand.
        ["Limits:MaxFileBytes"] = new(AzureUse.Set),
        ["Limits:MaxDecompressedBytes"] = new(AzureUse.Set),
        ["Limits:MaxDecompressionRatio"] = new(AzureUse.Set),
        ["Limits:MaxDocumentBytes"] = new(AzureUse.Set),
        ["Limits:MaxLineBytes"] = new(AzureUse.Set),
        ["Limits:MaxMessagesPerFile"] = new(AzureUse.Set),
        ["Limits:MaxJsonDepth"] = new(AzureUse.Set),
    };

    /// <summary>Settings the Functions host and the Application Insights integration read.</summary>
    public static IReadOnlyDictionary<string, string?> HostSettings { get; } = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
    {
        ["AzureWebJobsStorage__blobServiceUri"] = null,
        ["AzureWebJobsStorage__queueServiceUri"] = null,
        ["AzureWebJobsStorage__credential"] = "managedidentity",
        ["AzureWebJobsStorage__clientId"] = null,
        ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = null,
        ["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"] = null,
    };

    /// <summary>
    /// Settings that must not exist in Azure: connection strings with account keys (the connection
    /// string forms of AzureWebJobsStorage and LabStorage), and settings Flex Consumption rejects or
    /// replaces with functionAppConfig.
    /// </summary>
    public static IReadOnlyList<string> ForbiddenHostSettings { get; } =
    [
        "AzureWebJobsStorage",
        LabStorageOptions.ConnectionName,
        "APPINSIGHTS_INSTRUMENTATIONKEY",
        "FUNCTIONS_WORKER_RUNTIME",
        "FUNCTIONS_EXTENSION_VERSION",
        "WEBSITE_RUN_FROM_PACKAGE",
        "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING",
        "WEBSITE_CONTENTSHARE",
    ];

    /// <summary>The app setting name of an option: configuration's ':' is '__' in app settings.</summary>
    public static string AppSettingName(string option) => option.Replace(":", "__", StringComparison.Ordinal);

    /// <summary>
    /// Every option property of every options class, as "Section:Property": the ones with a public
    /// setter and the get-only collections, which the configuration binder fills.
    /// </summary>
    public static IEnumerable<string> OptionsInCode() =>
        from options in OptionsClasses
        from property in options.Options.GetProperties()
        where property.SetMethod is { IsPublic: true }
            || (property.PropertyType != typeof(string) && typeof(System.Collections.IEnumerable).IsAssignableFrom(property.PropertyType))
        select $"{options.Section}:{property.Name}";
}
