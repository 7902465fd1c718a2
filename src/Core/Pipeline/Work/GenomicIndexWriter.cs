using System.Text.Json.Nodes;
using PrecisionMed.Core.Fhir;
using PrecisionMed.Core.Genomics.Index;

namespace PrecisionMed.Core.Pipeline.Work;

/// <summary>
/// Keeps the genomic index in step with what a unit wrote (<see cref="IndexedReportReader"/> over the unit's bundles,
/// under the Patient the FHIR service resolved): the report's entry replaced whole, so an amendment's withdrawn results
/// leave it; a report entered-in-error or cancelled (every result withdrawn) removed. Runs after the FHIR write and before the unit is Completed, so a failure
/// here retries the unit, whose FHIR write changes nothing the second time and whose index write is an upsert.
/// </summary>
public sealed class GenomicIndexWriter(IGenomicIndex index)
{
    /// <returns>How many report entries were written or removed (0 when the report has no Patient the service named).</returns>
    public async Task<int> WriteAsync(ReportTransaction transaction, FhirWriteResult? written, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        if (written?.PatientReference() is not { } patient) return 0;
        var resources = transaction.Bundles.SelectMany(b => b["entry"] as JsonArray ?? []).Select(e => (e as JsonObject)?["resource"]).OfType<JsonObject>().ToList();
        var entries = IndexedReportReader.Read(resources, patient);
        foreach (var entry in entries)
        {
            if (entry.Status is "entered-in-error" or "cancelled") await index.RemoveAsync(entry.Patient, entry.Report, cancellationToken);
            else await index.WriteAsync(entry, cancellationToken);
        }

        return entries.Count;
    }
}
