using System.Text.Json.Nodes;
using PrecisionMed.Core.Fhir;
using PrecisionMed.Core.Pipeline.Arrival;

namespace PrecisionMed.Core.Pipeline.Work;

/// <summary>What writing a unit came to: held (nothing of the report written), or written, with what it withdrew.</summary>
/// <param name="Held">The target held the unit back.</param>
/// <param name="Written">The answer to the last bundle written (the Patient's conditional create is in every part).</param>
/// <param name="Withdrawal">The results an earlier version wrote that this one no longer carries, now entered-in-error.</param>
/// <param name="ReplacedVersion">The FHIR service held an earlier version of the report (an amendment, a correction or a resend).</param>
public sealed record ReportUnitWrite(bool Held, FhirWriteResult? Written, ReportWithdrawal? Withdrawal, bool ReplacedVersion = false);

/// <summary>
/// The pipeline's steps for one mapped report unit, shared by the queue worker (<see cref="ReportWorkHandler"/>, which adds
/// the ledger and the notification around them) and <c>pmed ingest</c>: enrich → store documents aside → build FHIR
/// (<see cref="ReportUnitBuilder"/>), then the patient-safety checks → amend → withdraw → write (<see cref="WriteAsync"/>).
/// </summary>
public sealed class ReportUnitPipeline(ReportUnitBuilder builder)
{
    public Task<ReportTransaction> BuildAsync(MappedUnit unit, CancellationToken cancellationToken) => builder.BuildAsync(unit, cancellationToken);

    /// <summary>
    /// Checks, amends, withdraws and writes the built unit. With no FHIR service (<paramref name="fhir"/> null) there is no
    /// earlier version to compare with: the target alone writes.
    /// </summary>
    public static async Task<ReportUnitWrite> WriteAsync(
        ReportTransaction transaction, string contentHash, IFhirWriter? fhir, IReportUnitTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(target);
        if (await target.HoldBeforeWriteAsync(transaction, cancellationToken)) return new ReportUnitWrite(true, null, null);

        ReportWithdrawal? withdrawal = null;
        JsonObject? previous = null;
        if (fhir is not null)
        {
            // The previous version of this report, read once: it decides an amendment and what is withdrawn, and only
            // a report of the same patient may replace it.
            previous = await ReportWithdrawals.PreviousProvenanceAsync(transaction, fhir, cancellationToken);
            if (await target.HoldForPreviousAsync(transaction, previous, fhir, cancellationToken)) return new ReportUnitWrite(true, null, null);
            await ReportAmendments.ApplyAsync(transaction, contentHash, previous, fhir, cancellationToken);

            // Withdrawals first: a retry after a failure in between finds the same previous Provenance and
            // the withdrawn results already entered-in-error, so it writes nothing twice.
            withdrawal = await ReportWithdrawals.FindAsync(transaction, previous, fhir, cancellationToken);
            if (withdrawal is not null) await fhir.WriteTransactionAsync(withdrawal.Bundle, cancellationToken);
        }

        FhirWriteResult? written = null;
        for (var part = 0; part < transaction.BundleCount; part++)
        {
            written = await target.WriteBundleAsync(transaction, part, cancellationToken);
            if (written is null) return new ReportUnitWrite(true, null, withdrawal);
        }

        return new ReportUnitWrite(false, written, withdrawal, previous is not null);
    }
}
