using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Fhir;

/// <summary>
/// A report ready to write: one or more FHIR transaction bundles (at most
/// <see cref="ReportTransactionBuilder.MaxEntriesPerBundle"/> entries each, the report in the last)
/// and the references of every resource the pipeline owns in it.
/// </summary>
/// <param name="Accession">The report's accession (lab identifier, or the best stable key there is).</param>
/// <param name="ReportReference"><c>DiagnosticReport/id</c>, or null for a bundle of results without a report.</param>
/// <param name="OwnedReferences"><c>Type/id</c> of each resource written with PUT.</param>
/// <param name="PatientCount">Patients found or conditionally created by identifier (never overwritten).</param>
/// <param name="Bundles">The bundles as nodes.</param>
/// <remarks>
/// A builder that writes JSON straight away (<see cref="Genomics.GenomicReportBuilder"/>) hands over UTF-8 bundles:
/// <see cref="Bundles"/> then parses them on first use, and from then on the nodes are the truth (a caller may edit
/// them, as <c>ReportAmendments</c> does), so <see cref="WriteBundle"/> writes what the nodes say. Until then it copies
/// the bytes. Dispose when done to give the UTF-8 buffer back to the pool (optional).
/// </remarks>
public sealed record ReportTransaction(
    string Accession,
    string? ReportReference,
    IReadOnlyList<string> OwnedReferences,
    int PatientCount,
    IReadOnlyList<JsonObject> Bundles) : IDisposable
{
    private IReadOnlyList<JsonObject>? _bundles = Bundles;
    private readonly Utf8Bundles? _utf8;

    internal ReportTransaction(string accession, string? reportReference, IReadOnlyList<string> ownedReferences, int patientCount, Utf8Bundles bundles)
        : this(accession, reportReference, ownedReferences, patientCount, Bundles: null!)
    {
        _utf8 = bundles;
    }

    /// <summary>A copy (<c>with</c>) gets nodes of its own: the UTF-8 buffer has one owner.</summary>
    private ReportTransaction(ReportTransaction original)
    {
        Accession = original.Accession;
        ReportReference = original.ReportReference;
        OwnedReferences = original.OwnedReferences;
        PatientCount = original.PatientCount;
        _bundles = [.. original.Bundles.Select(b => b.DeepClone().AsObject())];
        Skipped = original.Skipped;
        KnowledgeVersion = original.KnowledgeVersion;
        StatusStatedByLab = original.StatusStatedByLab;
        RecordCounts = original.RecordCounts;
        Hgvs = original.Hgvs;
    }

    public IReadOnlyList<JsonObject> Bundles
    {
        get => _bundles ??= (_utf8 ?? throw new InvalidOperationException("The transaction has no bundles.")).Parse();
        init => _bundles = value;
    }

    /// <summary>How many bundles the report takes, without parsing them.</summary>
    public int BundleCount => _bundles?.Count ?? _utf8?.Count ?? 0;

    public int ResourceCount => OwnedReferences.Count + PatientCount;

    /// <summary>Writes bundle <paramref name="index"/> as UTF-8 JSON (the nodes' JSON once <see cref="Bundles"/> was read).</summary>
    public void WriteBundle(int index, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (_bundles is null && _utf8 is not null)
        {
            output.Write(_utf8[index]);
            return;
        }

        using var writer = new Utf8JsonWriter(output);
        Bundles[index].WriteTo(writer);
    }

    public void Dispose() => _utf8?.Dispose();

    /// <summary>The report's resource in the last bundle, where the builders put it; null when there is none.</summary>
    public JsonObject? ReportResource()
    {
        if (ReportReference is null || Bundles.Count == 0 || Bundles[^1]["entry"] is not JsonArray entries) return null;
        foreach (var entry in entries)
        {
            // A lab's value that is not a string (found by the pipeline fuzz) matches nothing rather than throwing.
            if (entry?["request"]?["url"] is JsonValue url && url.GetValueKind() == System.Text.Json.JsonValueKind.String
                && url.GetValue<string>() == ReportReference)
                return entry["resource"] as JsonObject;
        }

        return null;
    }

    /// <summary>
    /// What the lab sent that is not in the bundles, each with where and why (for the unit's ledger record):
    /// the parser's skipped items and those the FHIR builder could not place (a component the IG profile
    /// does not allow, a reference to an unknown finding). For a lab's FHIR bundle, only what its enrichment could not interpret.
    /// </summary>
    public IReadOnlyList<LabFileProblem> Skipped { get; init; } = [];

    /// <summary>The knowledge store version the report was enriched with (also in its Provenance); null when not enriched.</summary>
    public string? KnowledgeVersion { get; init; }
    /// <summary>False when the report's status is the format's default rather than the lab's word (VCF): see <see cref="LabReports.LabReport.StatusStatedByLab"/>.</summary>
    public bool StatusStatedByLab { get; init; } = true;

    /// <summary>For VCF units: every record counted by outcome (reported, or the rule that skipped it).</summary>
    public IReadOnlyDictionary<string, long> RecordCounts { get; init; } = new Dictionary<string, long>();

    /// <summary>How the unit's HGVS components were written: as sent, completed with their reference sequence, or as text.</summary>
    public LabReports.HgvsCounts Hgvs { get; init; } = LabReports.HgvsCounts.None;
}
