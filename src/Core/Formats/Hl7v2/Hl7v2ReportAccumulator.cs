using System.Globalization;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Formats.Hl7v2;

/// <summary>
/// What mapping one message collects: the OBX rows, the findings and results each mapper adds, the report fields the
/// study items set, and the loss account (skipped items with their positions, and which rows a rule took).
/// </summary>
internal sealed class Hl7v2ReportAccumulator(string labId)
{
    public string LabId { get; } = labId;

    public List<ObxRow> Rows { get; } = [];

    public HashSet<int> MappedRows { get; } = [];

    public List<LabFileProblem> Skipped { get; } = [];

    public List<string> Notes { get; } = [];

    public List<VariantFinding> Variants { get; } = [];

    public List<DiagnosticImplicationFinding> Implications { get; } = [];

    public List<HaplotypeFinding> Haplotypes { get; } = [];

    public List<GenotypeFinding> Genotypes { get; } = [];

    public List<TherapeuticImplicationFinding> Therapeutic { get; } = [];

    public List<PhaseRelationshipFinding> Phases { get; } = [];

    public List<(string Answer, string Relationship, string VariantKey, ObxRow Row)> PhaseRows { get; } = [];

    public List<string> Conclusion { get; } = [];

    public List<CodedValue> Genes { get; } = [];

    public List<string> Regions { get; } = [];

    public CodedValue? ConclusionCode { get; set; }

    public CodedValue? GenomeBuild { get; set; }

    public List<LabResult> LabResults { get; } = [];

    public List<ReportDocument> Documents { get; } = [];

    /// <summary>The rows that became lab results (their notes go with them, not to the report).</summary>
    public HashSet<int> LabResultRows { get; } = [];

    /// <summary>The finding keys given so far: each is unique within the report.</summary>
    private HashSet<string> Keys { get; } = new(StringComparer.Ordinal);

    public void Skip(Hl7v2Segment segment, string reason) => Skipped.Add(new LabFileProblem(segment.Position, reason));

    public void Skip(ObxRow row, Hl7v2Element? field, string reason)
    {
        row.Skipped = true;
        Skipped.Add(new LabFileProblem(field?.Position ?? row.Segment.Position, reason));
    }

    public void Mapped(ObxRow row) => MappedRows.Add(row.Occurrence);

    public void Mapped(IEnumerable<ObxRow> rows)
    {
        foreach (var row in rows) Mapped(row);
    }

    /// <summary>A key stable across resends of the same report: OBR, code and OBX-4 sub-ID (never the row's position).</summary>
    public string KeyFor(ObxRow row)
    {
        var code = row.Code.Length > 0 ? row.Code : "text";
        var key = row.SubId.Length > 0 ? $"{code}-{row.SubId}" : code;
        if (row.ObrIndex > 1) key = string.Create(CultureInfo.InvariantCulture, $"obr{row.ObrIndex}-{key}");
        var unique = key;
        for (var n = 2; !Keys.Add(unique); n++) unique = string.Create(CultureInfo.InvariantCulture, $"{key}#{n}");
        return unique;
    }
}
