namespace PrecisionMed.Core.Fhir;

/// <summary>
/// Where a report unit came from: what its Provenance records. Holds no PHI, but for <see cref="Manifest"/>, which only
/// the report's build reads.
/// </summary>
/// <param name="LabId">The lab, from the blob path.</param>
/// <param name="SourceBlob">The original blob, e.g. <c>incoming/lab-a/2026/run-7.json</c>.</param>
/// <param name="ContentHash">Lowercase hex SHA-256 of the original file.</param>
/// <param name="FileName">The file's name under the lab's folder (never an accession: labs reuse names).</param>
/// <param name="ReceivedAt">When the file arrived; used as Provenance.recorded so re-runs write identical resources.</param>
public sealed record ReportProvenance(
    string LabId,
    string SourceBlob,
    string ContentHash,
    string FileName,
    int UnitIndex,
    int UnitCount,
    DateTimeOffset ReceivedAt,
    string PipelineVersion)
{
    /// <summary>
    /// For a VCF: who its sample columns are, as the lab stated beside the file (its manifest, or <c>pmed ingest --patient</c>);
    /// null when nothing was stated there. Holds patient identifiers: never logged.
    /// </summary>
    public Formats.Vcf.VcfManifest? Manifest { get; init; }
}
