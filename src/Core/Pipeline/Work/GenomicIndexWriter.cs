using System.Text.Json;
using PrecisionMed.Core.Fhir;
using PrecisionMed.Core.Genomics.Index;

namespace PrecisionMed.Core.Pipeline.Work;

/// <summary>
/// Keeps the genomic index in step with what a unit wrote (<see cref="IndexedReportReader"/> over the unit's bundles,
/// under the Patient the FHIR service resolved): the report's entry replaced whole, so an amendment's withdrawn results
/// leave it; a report entered-in-error or cancelled (every result withdrawn) removed. Only genomic reports have entries:
/// a general-lab unit costs the index nothing, unless it replaced a version of its report, whose entry it then removes.
/// Runs after the FHIR write and before the unit is Completed, so a failure here retries the unit, whose FHIR write
/// changes nothing the second time and whose index write is an upsert.
/// </summary>
public sealed class GenomicIndexWriter(IGenomicIndex index)
{
    /// <returns>How many report entries were written or removed (0 when the report has no Patient the service named).</returns>
    public async Task<int> WriteAsync(ReportTransaction transaction, ReportUnitWrite write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(write);
        if (write.Written?.PatientReference() is not { } patient) return 0;
        var entries = ReadEntries(transaction, patient);
        foreach (var entry in entries)
        {
            if (entry.Status is "entered-in-error" or "cancelled") await index.RemoveAsync(entry.Patient, entry.Report, cancellationToken);
            else await index.WriteAsync(entry, cancellationToken);
        }

        // An earlier version may have been genomic (a lab corrects a report sent as the wrong test): it leaves the index.
        if (write.ReplacedVersion && transaction.ReportReference is { } report && !entries.Any(e => e.Report == report))
        {
            await index.RemoveAsync(patient, report, cancellationToken);
            return entries.Count + 1;
        }

        return entries.Count;
    }

    /// <summary>
    /// The entries, read from the UTF-8 the unit wrote into pooled documents (nodes would cost the worker as much as
    /// building the report, and more in garbage collections): only the resources the entries read when the builder
    /// recorded what it wrote (<see cref="IndexedResources"/>), else every bundle.
    /// </summary>
    private static IReadOnlyList<IndexedReport> ReadEntries(ReportTransaction transaction, string patient) =>
        transaction.WrittenResources is { } written ? ReadWritten(transaction, written, patient) : ReadBundles(transaction, patient);

    private static IReadOnlyList<IndexedReport> ReadWritten(ReportTransaction transaction, IReadOnlyList<WrittenResource> written, string patient)
    {
        if (!IndexedResources.MayHoldGenomicReport(written.Select(r => r.Profile))) return [];
        var reports = 0;
        foreach (var resource in written) reports += resource.Type == "DiagnosticReport" ? 1 : 0;
        var documents = new List<JsonDocument>();
        try
        {
            var resources = new List<JsonElement>();
            foreach (var resource in written)
            {
                var json = transaction.ResourceJson(resource);
                if (!IndexedResources.Reads(resource.Type, resource.Profile, json.Span, reports)) continue;
                var document = JsonDocument.Parse(json);
                documents.Add(document);
                resources.Add(document.RootElement);
            }

            return IndexedReportReader.Read(resources, patient);
        }
        finally
        {
            foreach (var document in documents) document.Dispose();
        }
    }

    private static IReadOnlyList<IndexedReport> ReadBundles(ReportTransaction transaction, string patient)
    {
        var documents = new JsonDocument[transaction.BundleCount];
        try
        {
            var resources = new List<JsonElement>();
            for (var part = 0; part < documents.Length; part++)
            {
                documents[part] = JsonDocument.Parse(transaction.Bundle(part));
                if (documents[part].RootElement is not { ValueKind: JsonValueKind.Object } bundle || !bundle.TryGetProperty("entry", out var entries) || entries.ValueKind != JsonValueKind.Array) continue;
                resources.EnsureCapacity(resources.Count + entries.GetArrayLength());
                foreach (var entry in entries.EnumerateArray())
                {
                    if (entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("resource", out var resource) && resource.ValueKind == JsonValueKind.Object)
                        resources.Add(resource);
                }
            }

            return IndexedReportReader.Read(resources, patient);
        }
        finally
        {
            foreach (var document in documents) document?.Dispose();
        }
    }
}
