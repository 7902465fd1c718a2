using System.Text.Json;

namespace PrecisionMed.Validation;

/// <summary>
/// Validates a bundle the way the offline validator can: each entry's resource on its own, and the bundle's
/// references checked here rather than by the Firely reference resolver (which gave false errors on the IG's
/// own examples).
/// </summary>
public static class BundleValidation
{
    /// <summary>Validates every entry with <paramref name="validator"/> and checks references.</summary>
    public static BundleValidationReport Validate(string bundleJson, FhirProfileValidator validator)
    {
        ArgumentNullException.ThrowIfNull(validator);
        return Run(bundleJson, validator);
    }

    /// <summary>Checks the bundle's references only; <see cref="BundleValidationReport.Entries"/> stays empty.</summary>
    public static BundleValidationReport CheckReferences(string bundleJson) => Run(bundleJson, validator: null);

    private static BundleValidationReport Run(string bundleJson, FhirProfileValidator? validator)
    {
        var bundleErrors = new List<string>();
        var unresolved = new List<BundleReference>();
        var external = new List<BundleReference>();
        var reports = new List<BundleEntryReport>();

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bundleJson);
        }
        catch (JsonException ex)
        {
            bundleErrors.Add($"(json) line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}: {ex.Message}");
            return new BundleValidationReport(reports, bundleErrors, unresolved, external);
        }

        using (document)
        {
            var entries = ReadEntries(document.RootElement, bundleErrors);
            BundleReferences.Check(entries, unresolved, external);
            if (validator is not null)
            {
                reports.AddRange(entries.Select(e =>
                    new BundleEntryReport(e.Index, e.Key, e.FullUrl, validator.Validate(e.Resource.GetRawText()))));
            }
        }

        return new BundleValidationReport(reports, bundleErrors, unresolved, external);
    }

    private static List<BundleEntry> ReadEntries(JsonElement bundle, List<string> bundleErrors)
    {
        var entries = new List<BundleEntry>();
        if (bundle.ValueKind != JsonValueKind.Object
            || !bundle.TryGetProperty("resourceType", out var type)
            || type.ValueKind != JsonValueKind.String
            || type.GetString() != "Bundle")
        {
            bundleErrors.Add("(json): not a Bundle: expected an object with \"resourceType\": \"Bundle\"");
            return entries;
        }

        if (!bundle.TryGetProperty("entry", out var entryArray))
        {
            return entries;
        }

        if (entryArray.ValueKind != JsonValueKind.Array)
        {
            bundleErrors.Add("Bundle.entry: expected an array");
            return entries;
        }

        var index = 0;
        foreach (var entry in entryArray.EnumerateArray())
        {
            if (entry.ValueKind != JsonValueKind.Object)
            {
                bundleErrors.Add($"Bundle.entry[{index}]: expected an object");
            }
            else if (entry.TryGetProperty("resource", out var resource))
            {
                entries.Add(BundleEntry.Read(index, entry, resource));
            }

            index++;
        }

        return entries;
    }
}
