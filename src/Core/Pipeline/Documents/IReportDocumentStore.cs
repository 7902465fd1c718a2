namespace PrecisionMed.Core.Pipeline.Documents;

/// <summary>
/// Where documents too large to carry inline in FHIR are kept: the <c>documents</c> area of lab storage in
/// Azure, a folder beside the bundles for <c>pmed ingest</c>. Writing the same name again replaces it with the same bytes.
/// </summary>
public interface IReportDocumentStore
{
    /// <summary>Stores the document under <paramref name="name"/> (unique per lab, report and document) and returns its URL.</summary>
    Task<Uri> StoreAsync(string labId, string name, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken);
}
