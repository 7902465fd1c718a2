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
            written?.PatientReference(),
            item.LabId,
            transaction.Accession,
            transaction.ReportStatus,
            transaction.KnowledgeVersion,
            item.FileId,
            item.UnitIndex,
            item.CorrelationId,
            now,
            withdrawal?.References ?? []);
}
