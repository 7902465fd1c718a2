using System.Collections.Frozen;
using System.Text.Json.Nodes;
using PrecisionMed.Core.Genomics.Index;

namespace PrecisionMed.Core.Genomics.Operations;

/// <summary>find-study-metadata: one <c>tests</c> part per test of the subject the filters keep, with its identifier,
/// date, specimen, genome build, DNA change types and (narrowed to the ranges asked, when asked) its regions.</summary>
internal static class StudyMetadataOperation
{
    private const string SequenceOntology = "http://www.sequenceontology.org";

    private static readonly FrozenDictionary<string, string> ChangeTypeNames = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["SO:0001483"] = "SNV",
        ["SO:0002007"] = "MNV",
        ["SO:1000032"] = "delins",
        ["SO:0000159"] = "deletion",
        ["SO:0000667"] = "insertion",
        ["SO:1000035"] = "duplication",
        ["SO:0001019"] = "copy_number_variation",
        ["SO:0001742"] = "copy_number_gain",
        ["SO:0001743"] = "copy_number_loss",
        ["SO:0001059"] = "sequence_alteration",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static JsonObject Evaluate(OperationRequest request, IReadOnlyList<IndexedReport> reports)
    {
        var tests = new List<JsonObject>();
        foreach (var report in ReportFilter.Reports(request, reports))
        {
            var parts = new List<JsonObject> { ParametersJson.String("testId", report.TestIds.Count > 0 ? report.TestIds[0] : report.Report) };
            if (report.TestDate is { } date) parts.Add(ParametersJson.DateTime("testDate", date));
            if (report.SpecimenIds.Count > 0 && report.SpecimenIds[0] is { } specimen) parts.Add(ParametersJson.String("specimenId", specimen));
            if (Build(report.GenomicBuild) is { } build) parts.Add(ParametersJson.CodeableConcept("genomicBuild", [build]));
            if (report.DnaChangeTypes.Count > 0)
            {
                parts.Add(ParametersJson.CodeableConcept("dnaChangeType", report.DnaChangeTypes.Select(c => c[(c.LastIndexOf('|') + 1)..])
                    .Select(code => (SequenceOntology, code, ChangeTypeNames.GetValueOrDefault(code)))));
            }

            if (Regions("regionStudied", request, report.RegionsStudied) is { } studied) parts.Add(studied);
            if (Regions("uncallableRegions", request, report.UncallableRegions) is { } uncallable) parts.Add(uncallable);
            tests.Add(ParametersJson.Part("tests", parts));
        }

        return ParametersJson.Parameters(tests);
    }

    // The IG's example writes a list of regions as one string: ['NC_000007.14:55019016-55019365', '...'].
    private static JsonObject? Regions(string name, OperationRequest request, IReadOnlyList<string> regions)
    {
        var kept = request.Ranges.Count == 0 ? regions : [.. regions.Where(r => request.Ranges.Any(q => q.Overlaps(r)))];
        if (kept.Count == 0) return request.Ranges.Count == 0 || regions.Count > 0 ? null : ParametersJson.String(name, "unknown");
        return ParametersJson.String(name, "[" + string.Join(", ", kept.Select(r => "'" + r + "'")) + "]");
    }

    private static (string, string, string?)? Build(string? build) => build switch
    {
        "GRCh38" => ("http://loinc.org", "LA26806-2", "GRCh38"),
        "GRCh37" => ("http://loinc.org", "LA14029-5", "GRCh37"),
        _ => null,
    };
}
