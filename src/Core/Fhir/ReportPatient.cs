using System.Text.Json.Nodes;

namespace PrecisionMed.Core.Fhir;

/// <summary>
/// A Patient a report's bundles conditionally create (every bundle carries it): the identifier its <c>ifNoneExist</c>
/// searches by and the details the patient-safety check compares with the EMR's, as the builder wrote them. The pipeline
/// reads these rather than the bundles' JSON.
/// </summary>
/// <param name="FullUrl">The entry's <c>urn:uuid:</c>, which the report's resources reference.</param>
/// <param name="System">The searched identifier's system.</param>
/// <param name="Value">The searched identifier's value.</param>
/// <param name="FamilyNames">Each <c>name.family</c>, trimmed.</param>
/// <param name="BirthDate"><c>birthDate</c>, trimmed; null when absent.</param>
/// <param name="Gender"><c>gender</c>, trimmed; null when absent.</param>
public sealed record ReportPatient(
    string FullUrl, string System, string Value, IReadOnlyList<string> FamilyNames, string? BirthDate, string? Gender)
{
    /// <summary>The details of a Patient resource given as nodes (a lab's own Patient, or the EMR's).</summary>
    public static ReportPatient Of(JsonObject resource, string fullUrl = "", string system = "", string value = "")
    {
        ArgumentNullException.ThrowIfNull(resource);
        var families = new List<string>();
        foreach (var name in resource["name"] as JsonArray ?? [])
        {
            if (Text(name?["family"]) is { } family) families.Add(family);
        }

        return new ReportPatient(fullUrl, system, value, families, Text(resource["birthDate"]), Text(resource["gender"]));
    }

    /// <summary>A detail as compared: trimmed, and none when blank or not a string.</summary>
    public static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? Clean(text) : null;
}
