using System.Text.Json.Nodes;

namespace PrecisionMed.Cli.Tests.Validate;

/// <summary>Deliberately invalid inputs made from the samples, so the defect is the only difference.</summary>
internal static class BrokenBundles
{
    /// <summary>The first Variant of the sequence-phase sample, entry 0.</summary>
    public const string VariantKey = "Observation/dv-5c7e9e1ca8252";

    private static string PhaseSample => Path.Combine(RepositoryPaths.Root, "samples", "Bundle-bundle-sequence-phase-relation-CYP2C19.json");

    /// <summary>
    /// The sequence-phase sample without its generated narratives, as `pmed ingest` writes it (the IG's generated
    /// DiagnosticReport table has no rows, which FHIR's XHTML rules reject): valid, with terminology warnings.
    /// </summary>
    public static async Task<string> WriteValidPhaseSampleAsync(string path, CancellationToken cancellationToken)
    {
        var bundle = await ReadWithoutGeneratedNarrativeAsync(cancellationToken);
        await File.WriteAllTextAsync(path, bundle.ToJsonString(), cancellationToken);
        return path;
    }

    /// <summary>
    /// <see cref="WriteValidPhaseSampleAsync"/> with the first Variant's LOINC code changed from 69548-6 (which the
    /// IG's Variant profile fixes by pattern) to 12345-6: the only defect.
    /// </summary>
    public static async Task<string> WriteVariantWithWrongCodeAsync(string path, CancellationToken cancellationToken)
    {
        var bundle = await ReadWithoutGeneratedNarrativeAsync(cancellationToken);
        var coding = bundle["entry"]![0]!["resource"]!["code"]!["coding"]![0]!;
        if (coding["code"]!.GetValue<string>() != "69548-6") throw new InvalidOperationException("the phase sample changed: entry 0 is no longer a Variant");
        coding["code"] = "12345-6";
        await File.WriteAllTextAsync(path, bundle.ToJsonString(), cancellationToken);
        return path;
    }

    /// <summary>
    /// <see cref="WriteValidPhaseSampleAsync"/> with a c.HGVS component added to the first Variant as a bare change
    /// (no reference sequence): valid for the profile, an error of the genomic consistency rule.
    /// </summary>
    public static async Task<string> WriteVariantWithBareHgvsAsync(string path, CancellationToken cancellationToken)
    {
        var bundle = await ReadWithoutGeneratedNarrativeAsync(cancellationToken);
        bundle["entry"]![0]!["resource"]!["component"]!.AsArray().Add(JsonNode.Parse(
            """{"code":{"coding":[{"system":"http://loinc.org","code":"48004-6"}]},"valueCodeableConcept":{"coding":[{"system":"http://varnomen.hgvs.org","code":"c.1A>G"}]}}"""));
        await File.WriteAllTextAsync(path, bundle.ToJsonString(), cancellationToken);
        return path;
    }

    private static async Task<JsonNode> ReadWithoutGeneratedNarrativeAsync(CancellationToken cancellationToken)
    {
        var bundle = JsonNode.Parse(await File.ReadAllTextAsync(PhaseSample, cancellationToken))!;
        foreach (var resource in bundle["entry"]!.AsArray().Select(e => e!["resource"]!.AsObject()))
        {
            if (resource["text"]?["status"]?.GetValue<string>() == "generated") resource.Remove("text");
        }

        return bundle;
    }
}
