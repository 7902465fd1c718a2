namespace PrecisionMed.Core.Fhir;

/// <summary>Where a report unit came from: what its Provenance records. Holds no PHI.</summary>
/// <param name="LabId">The lab, from the blob path.</param>
/// <param name="SourceBlob">The original blob, e.g. <c>incoming/lab-a/2026/run-7.json</c>.</param>
/// <param name="ContentHash">Lowercase hex SHA-256 of the original file.</param>
/// <param name="FileName">The file's name under the lab's folder; the accession of last resort.</param>
/// <param name="ReceivedAt">When the file arrived; used as Provenance.recorded so re-runs write identical resources.</param>
public sealed record ReportProvenance(
    string LabId,
    string SourceBlob,
    string ContentHash,
    string FileName,
    int UnitIndex,
    int UnitCount,
    DateTimeOffset ReceivedAt,
    string PipelineVersion);
