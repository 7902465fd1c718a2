namespace PrecisionMed.Core.Pipeline.Documents;

/// <summary>
/// Documents in the lab storage's <c>documents/{labId}/</c> area. The URL is the pipeline's storage URN
/// (<c>urn:precisionmed:blob:documents/...</c>, as the GenomicDataFile of a VCF names its archived original): the
/// blob is reached with an identity that has access to the lab data account, never through a public or SAS URL.
/// </summary>
public sealed class LabFileDocumentStore(ILabFileStore store) : IReportDocumentStore
{
    public async Task<Uri> StoreAsync(string labId, string name, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken)
    {
        var location = new LabFileLocation(LabFileAreas.Documents, $"{labId}/{name}");
        await store.WriteAsync(location, content, contentType, cancellationToken);
        return new Uri($"urn:precisionmed:blob:{location.Area}/{Uri.EscapeDataString(labId)}/{Uri.EscapeDataString(name)}");
    }
}
