using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using PrecisionMed.Core.Fhir.Genomics;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Fhir;

/// <summary>
/// A lab bundle is written as the lab sent it, so it must be Genomics Reporting IG 3.0.0: a resource that names a
/// profile, extension or code system of the IG that 3.0.0 does not define (STU1 and STU2 had <c>genomics-report</c>,
/// <c>grouper</c>, <c>CodeSystem/TbdCodes</c> and more), or a version other than 3.0.0, comes from an earlier version
/// whose codes differ. Rather than write it as if it were 3.0.0, the unit is rejected at the first such element, naming the
/// kind of name and its path, not the name: an unknown one is the lab's text. Only a name 3.0.0 defines is quoted.
/// The names are the 3.0.0 package's (tests/fhir-packages/package-lock.json pins it).
/// </summary>
internal static class LabBundleIgVersion
{
    private const string IgBase = "http://hl7.org/fhir/uv/genomics-reporting/";
    private const string CodeSystemBase = IgBase + "CodeSystem/";

    internal static readonly HashSet<string> StructureDefinitions = new(StringComparer.Ordinal)
    {
        "annotation-code", "coded-annotation", "diagnostic-implication", "finding", "followup-recommendation", "genomic-base",
        "genomic-data-file", "genomic-report-note", "genomic-report", "genomic-risk-assessment", "genomic-study-analysis-change-type",
        "genomic-study-analysis-device", "genomic-study-analysis-ext", "genomic-study-analysis-focus", "genomic-study-analysis-genome-build",
        "genomic-study-analysis-genomic-source-class", "genomic-study-analysis-input", "genomic-study-analysis-method-type",
        "genomic-study-analysis-metrics", "genomic-study-analysis-output", "genomic-study-analysis-protocol-performed",
        "genomic-study-analysis-regions", "genomic-study-analysis-specimen", "genomic-study-analysis-title", "genomic-study-analysis",
        "genomic-study-reference", "genomic-study-referrer-ext", "genomic-study", "genotype", "haplotype", "implication",
        "medication-assessed-reference", "medication-recommendation", "molecular-biomarker", "molecular-consequence",
        "recommended-action", "repeat-motif-order", "sequence-phase-relationship", "therapeutic-implication",
        "therapy-assessed-reference", "variant", "workflow-relatedArtifactComponent",
    };

    internal static readonly HashSet<string> CodeSystems = new(StringComparer.Ordinal)
    {
        "clinvar-evidence-level-custom-cs", "coded-annotation-types-cs", "genomic-study-change-type-cs", "genomic-study-data-format-cs",
        "genomic-study-method-type-cs", "genomic-study-status-cs", "genomic-study-type-cs", "molecular-biomarker-ontology-cs",
        "pharmgkb-evidence-level-custom-cs", "tbd-codes-cs",
    };

    public static void Check(IEnumerable<LabBundleEntry> entries)
    {
        foreach (var entry in entries)
        {
            // The profile says most plainly which version the lab wrote, wherever the resource's other elements stand.
            var profiles = (entry.Resource["meta"] as JsonObject)?["profile"] as JsonArray;
            var found = (profiles is null ? null : FirstUnknownProfile(profiles, entry.Path + ".meta.profile")) ?? Find(entry.Resource, entry.Path);
            if (found is { } problem)
                throw new LabFileRejectedException(new SourcePosition { Path = problem.Path }, problem.Reason);
        }
    }

    private static (string Path, string Reason)? Find(JsonNode? node, string path)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj)
                {
                    var at = path + "." + name;
                    var problem = (name, child) switch
                    {
                        ("profile", JsonArray profiles) => FirstUnknownProfile(profiles, at),
                        ("url", JsonValue) => At(at, Unknown(Text(child), GenomicsCodes.ProfileBase, StructureDefinitions, "extension")),
                        ("system", JsonValue) => At(at, Unknown(Text(child), CodeSystemBase, CodeSystems, "code system")),
                        _ => Find(child, at),
                    };
                    if (problem is not null) return problem;
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (Find(array[i], Index(path, i)) is { } below) return below;
                }

                break;
        }

        return null;
    }

    private static (string Path, string Reason)? FirstUnknownProfile(JsonArray profiles, string path)
    {
        for (var i = 0; i < profiles.Count; i++)
        {
            if (Unknown(Text(profiles[i]), GenomicsCodes.ProfileBase, StructureDefinitions, "profile") is { } reason) return (Index(path, i), reason);
        }

        return null;
    }

    private static (string Path, string Reason)? At(string path, string? reason) => reason is null ? null : (path, reason);

    private static string Index(string path, int i) => $"{path}[{i.ToString(CultureInfo.InvariantCulture)}]";

    private static string? Unknown(string? canonical, string prefix, HashSet<string> known, string kind)
    {
        if (canonical is null || !canonical.StartsWith(prefix, StringComparison.Ordinal)) return null;
        var bar = canonical.IndexOf('|', StringComparison.Ordinal);
        var name = bar < 0 ? canonical[prefix.Length..] : canonical[prefix.Length..bar];
        if (!known.Contains(name))
        {
            // The name is not quoted: whatever follows the IG's base is the lab's text, and may be anything (a patient's name).
            return $"names a Genomics Reporting IG {kind} that IG 3.0.0 does not define (an earlier version's, or none of the IG's): "
                + "the bundle is written as sent, so the lab sends it as IG 3.0.0";
        }

        return bar >= 0 && canonical[(bar + 1)..] != "3.0.0"
            ? $"names the Genomics Reporting IG {kind} '{name}' of another version than 3.0.0: the bundle is written as sent, so the lab sends it as IG 3.0.0"
            : null;
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
}
