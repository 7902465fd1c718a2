using PrecisionMed.Core.Fhir;
using PrecisionMed.Core.Pipeline.Notifications;

namespace PrecisionMed.Core.Pipeline.Work;

/// <summary>The GenomicResultAvailable message of a written report unit.</summary>
internal static class UnitNotifications
{
    public static GenomicResultAvailable For(
        WorkItem item, ReportTransaction transaction, FhirWriteResult? written, ReportWithdrawal? withdrawal, DateTimeOffset now) =>
        new(
            GenomicResultAvailable.MessageIdFor(item.FileId, item.UnitIndex),
            transaction.ReportReference,
            PatientReferenceOf(written),
            item.LabId,
            transaction.Accession,
            transaction.ReportStatus,
            transaction.KnowledgeVersion,
            item.FileId,
            item.UnitIndex,
            item.CorrelationId,
            now,
            withdrawal?.References ?? []);

    /// <summary>
    /// <c>Patient/id</c> from the server's answer to the conditional create (the EMR's id, not ours). Servers give
    /// locations relative or absolute, with or without <c>/_history/n</c>: the type and id are the last two segments.
    /// </summary>
    private static string? PatientReferenceOf(FhirWriteResult? written)
    {
        foreach (var location in written?.Locations ?? [])
        {
            var history = location.IndexOf("/_history", StringComparison.Ordinal);
            var segments = (history > 0 ? location[..history] : location).Split('/', StringSplitOptions.RemoveEmptyEntries);
            if (segments.Length >= 2 && segments[^2] == "Patient") return $"Patient/{segments[^1]}";
        }

        return null;
    }

}
