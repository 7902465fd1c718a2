using PrecisionMed.Core.Pipeline.Documents;

namespace PrecisionMed.Cli.Ingest;

/// <summary>
/// <c>pmed ingest</c>'s place for documents too large to inline: <c>{out}/documents/{labId}/{name}</c> beside the
/// bundles, referenced by its file URL.
/// </summary>
internal sealed class FolderDocumentStore(DirectoryInfo output) : IReportDocumentStore
{
    public async Task<Uri> StoreAsync(string labId, string name, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateDirectory(Path.Combine(output.FullName, "documents", labId));
        var path = Path.Combine(folder.FullName, name);
        await File.WriteAllBytesAsync(path, content, cancellationToken);
        return new Uri(path);
    }
}
