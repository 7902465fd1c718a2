namespace PrecisionMed.Core.LabReports;

/// <summary>
/// A document the lab attached (a PDF report in OBX ED, a pointer in OBX RP): becomes a
/// DocumentReference and the report's presentedForm.
/// </summary>
/// <param name="Data">The bytes, when carried inline.</param>
/// <param name="Url">Where the document is, when only referenced (RP) or stored aside (too large to inline).</param>
/// <param name="Incomplete">The lab's encoding was cut short: only the part that decodes is carried, and the document says so.</param>
/// <param name="GenomicDataFile">The lab's data file itself (a VCF): an IG GenomicDataFile, not a presented form of the report.</param>
public sealed record ReportDocument(
    string Key, string ContentType, byte[]? Data, Uri? Url, string? Title, CodedValue? Type = null, bool Incomplete = false, bool GenomicDataFile = false)
{
    /// <summary>For a document the pipeline stored aside (too large to inline): its size in bytes.</summary>
    public long? StoredSize { get; init; }

    /// <summary>For a document the pipeline stored aside: the SHA-1 of its bytes (FHIR Attachment.hash).</summary>
    public byte[]? StoredSha1 { get; init; }
}
