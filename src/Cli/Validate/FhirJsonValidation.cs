using System.Text.Json;
using PrecisionMed.Core.LabReports;
using PrecisionMed.Validation;

namespace PrecisionMed.Cli.Validate;

/// <summary>
/// Validates one FHIR JSON text, a Bundle (each entry on its own, plus the bundle's references) or a single
/// resource, with the validator the tests use. A reference that should resolve inside the bundle and does
/// not is an error, except a relative Type/id: a transaction's server may hold its target, so it is a warning.
/// </summary>
internal static class FhirJsonValidation
{
    public static IReadOnlyList<ResourceFindings> Validate(string json, FhirProfileValidator validator)
    {
        string? resourceType;
        string? id;
        try
        {
            using var document = JsonDocument.Parse(json);
            resourceType = StringProperty(document.RootElement, "resourceType");
            id = StringProperty(document.RootElement, "id");
        }
        catch (JsonException ex)
        {
            return [FileProblem($"(json) {JsonErrors.Position(ex)}", "not valid JSON: " + JsonErrors.Reason(ex))];
        }

        if (string.IsNullOrEmpty(resourceType)) return [FileProblem("(json)", "not a FHIR resource: expected an object with a string 'resourceType'")];
        return resourceType == "Bundle"
            ? ValidateBundle(json, validator)
            : [new ResourceFindings(null, $"{resourceType}/{id ?? "(no id)"}", null, validator.Validate(json).Issues)];
    }

    private static string? StringProperty(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static List<ResourceFindings> ValidateBundle(string json, FhirProfileValidator validator)
    {
        var report = BundleValidation.Validate(json, validator);
        var findings = new List<ResourceFindings>();
        if (report.BundleErrors.Count > 0)
        {
            findings.Add(new ResourceFindings(null, ResourceFindings.FileKey, null, [.. report.BundleErrors.Select(e => new ValidationIssue(ValidationSeverity.Error, "Bundle", e, null))]));
        }

        var references = report.UnresolvedReferences.ToLookup(r => r.EntryIndex);
        foreach (var entry in report.Entries)
        {
            var issues = entry.Report.Issues.Concat(references[entry.Index].Select(ReferenceIssue)).ToList();
            findings.Add(new ResourceFindings(entry.Index, entry.Key, entry.FullUrl, issues));
        }

        return findings;
    }

    private static ValidationIssue ReferenceIssue(BundleReference reference) => new(
        reference.Outcome == ReferenceOutcome.NoEntry ? ValidationSeverity.Warning : ValidationSeverity.Error,
        reference.Path,
        $"'{reference.Reference}' {reference.Problem}",
        "bundle-reference");

    private static ResourceFindings FileProblem(string location, string message) =>
        new(null, ResourceFindings.FileKey, null, [new ValidationIssue(ValidationSeverity.Error, location, message, null)]);
}
