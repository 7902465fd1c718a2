using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Fhir;

/// <summary>
/// A report ready to write: one or more FHIR transaction bundles as UTF-8 JSON (at most
/// <see cref="ReportTransactionBuilder.MaxEntriesPerBundle"/> entries each, the report in the last), the references of
/// every resource the pipeline owns in them, and what the pipeline needs to know of them without reading them back:
/// the Patients they conditionally create and the report's status.
/// </summary>
/// <remarks>
/// The bytes are what the writers send and store (<see cref="Bundle"/>); the one edit the pipeline makes, an amended
/// status, goes through <see cref="SetReportStatus"/>. Dispose when done to give the UTF-8 buffer back to the pool
/// (optional); a copy (<c>with</c>) gets a buffer of its own.
/// </remarks>
public sealed record ReportTransaction : IDisposable
{
    private readonly Utf8Bundles _utf8;
    private IReadOnlyList<JsonObject>? _parsed;

    /// <summary>Where the report's status value starts in the buffer (past its opening quote); -1 when not known.</summary>
    private readonly int _statusAt;

    /// <param name="accession">The report's accession (lab identifier, or the best stable key there is).</param>
    /// <param name="reportReference"><c>DiagnosticReport/id</c>, or null for a bundle of results without a report.</param>
    /// <param name="ownedReferences"><c>Type/id</c> of each resource written with PUT.</param>
    /// <param name="patients">Patients found or conditionally created by identifier (never overwritten), in every bundle.</param>
    /// <param name="bundles">The bundles.</param>
    /// <param name="reportStatus">The report's status as written; null when there is no report or its status is no string.</param>
    /// <param name="reportStatusAt">Where <paramref name="reportStatus"/>'s value starts in the bundles' buffer, or -1.</param>
    internal ReportTransaction(
        string accession, string? reportReference, IReadOnlyList<string> ownedReferences, IReadOnlyList<ReportPatient> patients,
        Utf8Bundles bundles, string? reportStatus, int reportStatusAt)
    {
        Accession = accession;
        ReportReference = reportReference;
        OwnedReferences = ownedReferences;
        Patients = patients;
        ReportStatus = reportStatus;
        _utf8 = bundles;
        _statusAt = reportStatus is null ? -1 : reportStatusAt;
    }

    private ReportTransaction(ReportTransaction original)
    {
        Accession = original.Accession;
        ReportReference = original.ReportReference;
        OwnedReferences = original.OwnedReferences;
        Patients = original.Patients;
        ReportStatus = original.ReportStatus;
        _utf8 = original._utf8.Clone();
        _statusAt = original._statusAt;
        Skipped = original.Skipped;
        KnowledgeVersion = original.KnowledgeVersion;
        StatusStatedByLab = original.StatusStatedByLab;
        RecordCounts = original.RecordCounts;
        Hgvs = original.Hgvs;
    }

    /// <summary>The report's accession (lab identifier, or the best stable key there is).</summary>
    public string Accession { get; init; }

    /// <summary><c>DiagnosticReport/id</c>, or null for a bundle of results without a report.</summary>
    public string? ReportReference { get; init; }

    /// <summary><c>Type/id</c> of each resource written with PUT.</summary>
    public IReadOnlyList<string> OwnedReferences { get; init; }

    /// <summary>The Patients every bundle conditionally creates (found by identifier, never overwritten).</summary>
    public IReadOnlyList<ReportPatient> Patients { get; init; }

    public int PatientCount => Patients.Count;

    /// <summary>The report's status as written (e.g. <c>final</c>); null when there is no report or its status is no string.</summary>
    public string? ReportStatus { get; private set; }

    /// <summary>How many bundles the report takes.</summary>
    public int BundleCount => _utf8.Count;

    public int ResourceCount => OwnedReferences.Count + PatientCount;

    /// <summary>Bundle <paramref name="index"/> as compact UTF-8 JSON, valid until the transaction is disposed.</summary>
    public ReadOnlyMemory<byte> Bundle(int index) => _utf8.Memory(index);

    /// <summary>
    /// The PUT entries' resources in write order, as the builder recorded them; null when the bundles came another way
    /// (a lab's own FHIR bundle). Valid until the transaction is disposed; <see cref="SetReportStatus"/> keeps them right.
    /// </summary>
    public IReadOnlyList<WrittenResource>? WrittenResources => _utf8.Resources;

    /// <summary>One of <see cref="WrittenResources"/> as compact UTF-8 JSON, valid until the transaction is disposed or edited.</summary>
    public ReadOnlyMemory<byte> ResourceJson(WrittenResource resource) => _utf8.Json(resource);

    /// <summary>Writes bundle <paramref name="index"/> as UTF-8 JSON.</summary>
    public void WriteBundle(int index, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.Write(_utf8[index]);
    }

    /// <summary>
    /// The bundles parsed into nodes, for tests and tools that inspect them: the pipeline writes the UTF-8, and editing
    /// these changes nothing that is written.
    /// </summary>
    public IReadOnlyList<JsonObject> Bundles => _parsed ??= _utf8.Parse();

    /// <summary>Rewrites the report's status in the last bundle (an amendment of a report whose format states none).</summary>
    /// <exception cref="InvalidOperationException">The builder recorded no status to rewrite.</exception>
    public void SetReportStatus(string status)
    {
        ArgumentException.ThrowIfNullOrEmpty(status);
        if (ReportStatus is null || _statusAt < 0) throw new InvalidOperationException("The transaction's report has no status the builder recorded.");
        var old = JsonEncodedText.Encode(ReportStatus).EncodedUtf8Bytes.Length;
        _utf8.Replace(_statusAt, old, JsonEncodedText.Encode(status).EncodedUtf8Bytes);
        ReportStatus = status;
        _parsed = null;
    }

    public void Dispose() => _utf8.Dispose();

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
