using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using PrecisionMed.Core.Fhir;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Pipeline.Documents;

/// <summary>
/// Keeps a report's large attached documents (an HL7 v2 OBX ED PDF, typically) out of the FHIR transaction: a
/// document over <see cref="PipelineOptions.MaxInlineDocumentBytes"/> is written to the document store under a
/// deterministic name and referenced by URL, with its size and SHA-1 hash so a reader can check what it fetched.
/// Smaller ones stay inline. Without a store (unit tests of a format) every document stays inline.
/// </summary>
public sealed class ReportDocumentOffloader(IOptions<PipelineOptions> options, IReportDocumentStore? store = null)
{
    public async Task<LabReport> OffloadAsync(LabReport report, ReportProvenance provenance, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(provenance);
        var limit = options.Value.MaxInlineDocumentBytes;
        if (store is null || !report.Documents.Any(d => d.Data is { } data && data.Length > limit)) return report;

        var documents = new List<ReportDocument>(report.Documents.Count);
        foreach (var document in report.Documents)
        {
            if (document.Data is not { } data || data.Length <= limit)
            {
                documents.Add(document);
                continue;
            }

            // Named by the DocumentReference's own deterministic id: a re-delivery overwrites the same blob.
            var name = DeterministicIds.ForReportResource(provenance.LabId, report.Accession, "DocumentReference", document.Key) + ExtensionOf(document.ContentType);
            var url = await store.StoreAsync(provenance.LabId, name, data, document.ContentType, cancellationToken);
#pragma warning disable CA5350 // FHIR R4 defines Attachment.hash as SHA-1: a check of what was fetched, not a security control.
            var sha1 = SHA1.HashData(data);
#pragma warning restore CA5350
            documents.Add(document with { Data = null, Url = url, StoredSize = data.Length, StoredSha1 = sha1 });
        }

        return report with { Documents = documents };
    }

    private static string ExtensionOf(string contentType) => contentType switch
    {
        "application/pdf" => ".pdf",
        "text/plain" => ".txt",
        "text/html" => ".html",
        "application/xml" or "text/xml" => ".xml",
        "image/png" => ".png",
        "image/jpeg" => ".jpg",
        "image/tiff" => ".tiff",
        _ => ".bin",
    };
}
