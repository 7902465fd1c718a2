using System.Text.Json;

namespace PrecisionMed.Validation.Genomics;

/// <summary>
/// The genomic rule checked beside the profile validation (the IG binds HGVS components to HGVS expressions but no
/// offline validator can read one): every HGVS coding (system http://varnomen.hgvs.org, in any component or value)
/// parses as <c>&lt;accession&gt;:&lt;c|g|m|n|p|r&gt;.&lt;change&gt;</c> on a sequence of the right type, the c./p./g.
/// components (48004-6, 48005-3, 81290-9) hold changes of their own kind, and a Variant's gene, coordinates and
/// alleles agree with each other (<see cref="VariantAgreement"/>).
/// </summary>
/// <remarks>
/// Every finding is an error (but a c. HGVS on another version of the Variant's transcript, a warning), on a lab's own resources too (a lab FHIR bundle's Variant is stored as the lab sent it):
/// an HGVS string that names no sequence, or a Variant whose parts disagree, is wrong whoever wrote it, and the lab's
/// resources are where a reader must be warned. Rule ids: hgvs-expression, hgvs-reference-kind, hgvs-component-kind,
/// and the variant-* ids of <see cref="VariantAgreement"/>.
/// </remarks>
public static class GenomicConsistencyRule
{
    internal const string HgvsSystem = "http://varnomen.hgvs.org";
    internal const string Loinc = "http://loinc.org";

    /// <summary>The rule's findings for one resource (JSON text); none for JSON that is not an object.</summary>
    public static IReadOnlyList<ValidationIssue> Check(string resourceJson)
    {
        ArgumentNullException.ThrowIfNull(resourceJson);
        try
        {
            using var document = JsonDocument.Parse(resourceJson);
            return Check(document.RootElement);
        }
        catch (JsonException)
        {
            // Unreadable JSON is the profile validator's finding, not this rule's.
            return [];
        }
    }

    /// <summary>The rule's findings for one resource.</summary>
    public static IReadOnlyList<ValidationIssue> Check(JsonElement resource)
    {
        var issues = new List<ValidationIssue>();
        if (resource.ValueKind != JsonValueKind.Object) return issues;
        var type = resource.TryGetProperty("resourceType", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() ?? "Resource" : "Resource";
        WalkHgvs(resource, type, issues);
        if (type == "Observation")
        {
            CheckComponentKinds(resource, issues);
            VariantAgreement.Check(resource, issues);
        }

        return issues;
    }

    private static void WalkHgvs(JsonElement element, string path, List<ValidationIssue> issues)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                if (IsString(element, "system", HgvsSystem) && element.TryGetProperty("code", out var code))
                    CheckExpression(code.ValueKind == JsonValueKind.String ? code.GetString() : null, path + ".code", issues);
                foreach (var property in element.EnumerateObject()) WalkHgvs(property.Value, $"{path}.{property.Name}", issues);
                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray()) WalkHgvs(item, $"{path}[{index++}]", issues);
                break;
        }
    }

    private static void CheckExpression(string? code, string location, List<ValidationIssue> issues)
    {
        if (HgvsExpression.Parse(code) is not { } expression)
        {
            issues.Add(Error(location, $"'{code}' is not an HGVS expression <accession>:<c|g|m|n|p|r>.<change> (a change without its reference sequence names no variant)", "hgvs-expression"));
        }
        else if (!expression.KindFitsReference())
        {
            issues.Add(Error(location, $"'{code}': a {expression.Kind}. change cannot be on {expression.Accession} (c. on a coding transcript, p. on a protein, g. on a genomic sequence)", "hgvs-reference-kind"));
        }
    }

    /// <summary>48004-6 holds c. (or n.) changes, 48005-3 p. changes, 81290-9 g. (or m.) changes.</summary>
    private static void CheckComponentKinds(JsonElement observation, List<ValidationIssue> issues)
    {
        if (!observation.TryGetProperty("component", out var components) || components.ValueKind != JsonValueKind.Array) return;
        var index = 0;
        foreach (var component in components.EnumerateArray())
        {
            var kinds = ComponentCode(component) switch
            {
                "48004-6" => "cn",
                "48005-3" => "p",
                "81290-9" => "gm",
                _ => null,
            };
            if (kinds is not null)
            {
                var path = $"Observation.component[{index}].valueCodeableConcept.coding";
                var codingIndex = 0;
                foreach (var (system, code) in Codings(component, "valueCodeableConcept"))
                {
                    if (system == HgvsSystem && HgvsExpression.Parse(code) is { } expression && !kinds.Contains(expression.Kind, StringComparison.Ordinal))
                    {
                        issues.Add(Error($"{path}[{codingIndex}].code",
                            $"'{code}' is a {expression.Kind}. change in component {ComponentCode(component)}, which holds {string.Join(" or ", kinds.Select(k => k + "."))} changes",
                            "hgvs-component-kind"));
                    }

                    codingIndex++;
                }
            }

            index++;
        }
    }

    internal static ValidationIssue Error(string location, string message, string rule) => new(ValidationSeverity.Error, location, message, rule);

    internal static bool IsString(JsonElement element, string name, string value) =>
        element.TryGetProperty(name, out var property) && property.ValueKind == JsonValueKind.String && property.GetString() == value;

    /// <summary>The LOINC (or other) code of a component's code.coding[0].</summary>
    internal static string? ComponentCode(JsonElement component)
    {
        foreach (var (_, code) in Codings(component, "code")) return code;
        return null;
    }

    /// <summary>(system, code) of each coding of a CodeableConcept property.</summary>
    internal static IEnumerable<(string? System, string? Code)> Codings(JsonElement owner, string property)
    {
        if (owner.ValueKind != JsonValueKind.Object || !owner.TryGetProperty(property, out var concept) || concept.ValueKind != JsonValueKind.Object
            || !concept.TryGetProperty("coding", out var codings) || codings.ValueKind != JsonValueKind.Array)
        {
            yield break;
        }

        foreach (var coding in codings.EnumerateArray())
        {
            if (coding.ValueKind != JsonValueKind.Object) continue;
            yield return (StringOf(coding, "system"), StringOf(coding, "code"));
        }
    }

    internal static string? StringOf(JsonElement owner, string name) =>
        owner.ValueKind == JsonValueKind.Object && owner.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
