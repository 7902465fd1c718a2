using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Firely.Fhir.Validation;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Specification.Source;
using Hl7.Fhir.Specification.Terminology;
using Hl7.Fhir.Utility;
using PrecisionMed.Validation.Conformance;
using PrecisionMed.Validation.Genomics;
using PrecisionMed.Validation.Packages;

namespace PrecisionMed.Validation;

/// <summary>
/// Validates single FHIR R4 resources offline against their core type and the Genomics Reporting IG
/// profiles, using the IG's npm packages (<see cref="GenomicsIgPackages"/>) and the SDK's core specification zip
/// (converted once per machine: <see cref="CoreSpecificationFolder"/>). Build it once per run and reuse it: creating it
/// indexes the packages (about a second), and the first validations compile and cache schemas.
/// </summary>
/// <remarks>
/// Severity policy: Firely's errors and fatals are errors, its warnings are warnings, information is dropped.
/// No issue class is downgraded here. What offline validation cannot check already arrives as a warning
/// from the validator itself: LOINC answer lists (http://loinc.org/vs/LL...) are unknown value sets, and
/// HGVS (http://varnomen.hgvs.org), HGNC and BCP-13 codes need code systems that no package carries, so
/// validate-code fails and the validator's default failure handler reports a warning. No
/// reference resolver is given, so reference targets are not fetched and cannot produce false errors;
/// <see cref="BundleValidation"/> checks references within a bundle instead. Every resource is also checked by
/// <see cref="GenomicConsistencyRule"/> (HGVS expressions and the agreement of a Variant's parts), whose findings are errors.
/// </remarks>
public sealed class FhirProfileValidator
{
    // Only conformance resources: the terminology package also holds multi-MB Bundles and Lists that are never needed.
    private static readonly string[] IndexedFileMasks =
        ["StructureDefinition-*.json", "ValueSet-*.json", "CodeSystem-*.json", "NamingSystem-*.json"];

    private readonly Validator _validator;
    private readonly FhirJsonDeserializer _deserializer = new(new DeserializerSettings());

    private FhirProfileValidator(Validator validator, TimeSpan creationTime)
    {
        _validator = validator;
        CreationTime = creationTime;
    }

    /// <summary>How long building the resolver and validator took (indexing of the packages and core zip included).</summary>
    public TimeSpan CreationTime { get; }

    /// <summary>
    /// Builds a validator over the IG packages found in <paramref name="packageRoot"/> (see <see cref="FhirPackageFolder"/>);
    /// throws <see cref="FhirPackagesMissingException"/> naming each package that is not there.
    /// </summary>
    public static FhirProfileValidator Create(string packageRoot) => Create(new FhirPackageFolder(packageRoot).FindAll(GenomicsIgPackages.All));

    /// <summary>
    /// The validator over unpacked packages, one folder each (holding package.json), in resolution order. A process
    /// builds one per set of folders and hands it out again: it is immutable once built and safe to share between
    /// threads, and the schemas one run compiles serve the next (a host or test process runs many commands).
    /// </summary>
    public static FhirProfileValidator Create(IReadOnlyList<string> packageFolders)
    {
        ArgumentNullException.ThrowIfNull(packageFolders);
        var key = string.Join('\n', packageFolders.Select(Path.GetFullPath));
        // One build per set of folders, however many commands ask at once; builds of other sets go on beside it (a
        // single lock over every build made each wait for the others, tens of seconds each).
        var build = Built.GetOrAdd(key, _ => new Lazy<FhirProfileValidator>(() => Build(packageFolders), LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            return build.Value;
        }
        catch
        {
            // A build that throws leaves nothing behind: the next command tries again.
            Built.TryRemove(KeyValuePair.Create(key, build));
            _coreSpecification = null;
            throw;
        }
    }

    private static readonly ConcurrentDictionary<string, Lazy<FhirProfileValidator>> Built = new(StringComparer.Ordinal);

    /// <summary>
    /// The core specification, one source for every build in the process: it is the same for all, thread-safe, and
    /// indexed once. Read from the folder <see cref="CoreSpecificationFolder"/> converts the SDK's zip into; where that
    /// folder cannot be written, from the zip itself as the SDK reads it (the same resources, seconds slower). Dropped
    /// when a build fails, so that the next one tries again.
    /// </summary>
    private static IAsyncResourceResolver? _coreSpecification;

    private static IAsyncResourceResolver CoreSpecification() => LazyInitializer.EnsureInitialized(ref _coreSpecification, () =>
    {
        try
        {
            return new ConformanceFolderSource(CoreSpecificationFolder.Ensure(CoreSpecificationFolder.SpecificationZip), CoreFileMasks);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return ZipSource.CreateValidationSource();
        }
    });

    private static readonly string[] CoreFileMasks = ["*.json"];

    private static FhirProfileValidator Build(IReadOnlyList<string> packageFolders)
    {
        var stopwatch = Stopwatch.StartNew();

        // No SnapshotSource: every StructureDefinition in the three packages ships with its snapshot, and
        // the core has them too. The IG packages come first, as for the IG publisher: the extensions and
        // terminology packages carry newer versions of some canonicals that R4 core also defines.
        var sources = packageFolders.Select(folder => (IAsyncResourceResolver)new ConformanceFolderSource(folder, IndexedFileMasks)).ToList();
        sources.Add(CoreSpecification());
        var resolver = new CachedResolver(new MultiResolver(sources));
        var terminology = new LocalTerminologyService(resolver);
        var validator = new Validator(resolver, terminology);

        // A core type is looked up in every source in turn: CreationTime is then the real cold cost. Schemas are
        // still compiled lazily, on the first validation that needs them.
        _ = resolver.FindStructureDefinitionForCoreTypeAsync("Observation").GetAwaiter().GetResult();

        return new FhirProfileValidator(validator, stopwatch.Elapsed);
    }

    /// <summary>Validates one resource (JSON text) against its core type and every profile in meta.profile.</summary>
    public ValidationReport Validate(string resourceJson) => Validate(resourceJson, profileUrl: null);

    /// <summary>
    /// Validates one resource (JSON text) against <paramref name="profileUrl"/> (or its core type when null),
    /// and against every profile in its meta.profile. JSON and structure problems come back as errors.
    /// </summary>
    public ValidationReport Validate(string resourceJson, string? profileUrl)
    {
        var issues = new List<ValidationIssue>();

        var resource = Parse(resourceJson, issues);
        if (resource is null)
        {
            return new ValidationReport(issues);
        }

        var outcome = _validator.Validate(resource, profileUrl);
        foreach (var issue in outcome.Issue)
        {
            AddValidationIssue(issue, issues);
        }

        // What no profile can say: HGVS that names its sequence, and a Variant whose parts agree.
        issues.AddRange(GenomicConsistencyRule.Check(resourceJson));
        return new ValidationReport(issues);
    }

    // Parse problems become errors (never exceptions); a resource that parsed with problems is still
    // validated, so profile errors are not hidden behind a structural one (some issues then show twice).
    private Resource? Parse(string resourceJson, List<ValidationIssue> issues)
    {
        try
        {
            using (var document = JsonDocument.Parse(resourceJson))
            {
                if (document.RootElement.ValueKind != JsonValueKind.Object
                    || !document.RootElement.TryGetProperty("resourceType", out var type)
                    || type.ValueKind != JsonValueKind.String)
                {
                    issues.Add(JsonError("not a FHIR resource: expected an object with a string 'resourceType'"));
                    return null;
                }
            }

            _deserializer.TryDeserializeResource(resourceJson, out var resource, out var parseIssues);
            foreach (var issue in parseIssues)
            {
                AddParseIssue(issue, issues);
            }

            if (resource is null && !issues.Any(i => i.Severity == ValidationSeverity.Error))
            {
                issues.Add(JsonError("the resource could not be read"));
            }

            return resource;
        }
        catch (JsonException ex)
        {
            issues.Add(new ValidationIssue(ValidationSeverity.Error, $"(json) line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}", ex.Message, null));
        }
        catch (InvalidOperationException ex)
        {
            // The SDK's reader throws this for shapes it does not expect (e.g. an array where an object belongs).
            issues.Add(JsonError(ex.Message));
        }

        return null;
    }

    private static ValidationIssue JsonError(string message) => new(ValidationSeverity.Error, "(json)", message, null);

    private static void AddParseIssue(CodedException issue, List<ValidationIssue> issues)
    {
        var (location, message, severity) = issue is ExtendedCodedException extended
            ? (Describe(extended), extended.BaseErrorMessage, extended.IssueSeverity)
            : ("(json)", issue.Message, OperationOutcome.IssueSeverity.Error);
        if (Severity(severity) is { } kept)
        {
            issues.Add(new ValidationIssue(kept, location, message, issue.ErrorCode));
        }
    }

    private static ValidationSeverity? Severity(OperationOutcome.IssueSeverity? severity) => severity switch
    {
        OperationOutcome.IssueSeverity.Fatal or OperationOutcome.IssueSeverity.Error => ValidationSeverity.Error,
        OperationOutcome.IssueSeverity.Warning => ValidationSeverity.Warning,
        _ => null,
    };

    private static string Describe(ExtendedCodedException issue)
    {
        var path = string.IsNullOrEmpty(issue.InstancePath) ? "(json)" : issue.InstancePath;
        return issue.LineNumber is { } line ? $"{path} (line {line}, column {issue.Position})" : path;
    }

    private static void AddValidationIssue(OperationOutcome.IssueComponent issue, List<ValidationIssue> issues)
    {
        if (Severity(issue.Severity) is not { } severity)
        {
            return;
        }

        var location = issue.Expression.FirstOrDefault() ?? issue.Location.FirstOrDefault() ?? "(resource)";
        var code = issue.Details?.Coding.FirstOrDefault()?.Code;
        var message = issue.Details?.Text ?? issue.Diagnostics ?? "(no message)";
        issues.Add(new ValidationIssue(severity, location, message, code));
    }
}
