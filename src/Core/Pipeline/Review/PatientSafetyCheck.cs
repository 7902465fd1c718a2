using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PrecisionMed.Core.Fhir;
using PrecisionMed.Core.LabReports;
using PrecisionMed.Core.Pipeline.Ledger;
using PrecisionMed.Core.Pipeline.Work;

namespace PrecisionMed.Core.Pipeline.Review;

/// <summary>
/// The patient-safety gate before a report is written: when the report's patient identifier finds a Patient
/// in the FHIR service whose family name, birth date or sex disagrees with the report, the report may belong to
/// someone else (a mistyped MRN, a swapped sample). It is then held: nothing is written, the unit is
/// <see cref="UnitState.Held"/>, the file is copied to <c>review/</c> with the reason (field names only), an alert
/// metric and a warning are emitted, and <c>pmed review release|reject</c> resolves it. A report whose identifier
/// finds several Patients is held the same way (the multiple-match check): before the write, or when the write's
/// conditional create is refused with 412 because concurrent first reports each created one (<see cref="WriteOrHoldAsync"/>).
/// </summary>
public sealed class PatientSafetyCheck(
    IFhirWriter fhir,
    ReviewArea review,
    ILabFileLedger ledger,
    LabFileFinisher finisher,
    IOptions<PipelineOptions> options,
    TimeProvider clock,
    ILogger<PatientSafetyCheck> logger)
{
    /// <summary>
    /// After a replayed unit ended other than held (a held unit is replayable, and the check runs again): its held report
    /// in <c>review/</c> goes, and the file's copy with the last one, so <c>pmed review list</c> no longer shows it.
    /// </summary>
    public async Task ResolveReplayedAsync(WorkItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        var units = await ledger.ListUnitsAsync(item.FileId, cancellationToken);
        if (units.FirstOrDefault(u => u.UnitIndex == item.UnitIndex) is not { State: not UnitState.Held }) return;
        await review.ResolveAsync(item.FileId, item.LabId, item.ContentHash, item.BlobName, item.UnitIndex,
            units.Any(u => u.State == UnitState.Held), units.Any(u => u.State == UnitState.Rejected), cancellationToken);
    }

    /// <summary>
    /// Holds the claimed unit when its patient identifier finds several Patients in the FHIR service (the report cannot
    /// be tied to one: the multiple-match check, run even for released content) or a Patient whose details disagree with
    /// the report's (waived once a reviewer released this content); returns whether it did.
    /// </summary>
    public async Task<bool> HoldIfPatientDisagreesAsync(
        WorkItem item, LedgerUnit unit, LabFileLocation original, ReportTransaction transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        var matches = await FindMatchesAsync(transaction.Patients, cancellationToken);
        if (MostMatches(matches) is var most and > 1)
        {
            await HoldForMultipleMatchesAsync(item, unit, original, transaction, most, cancellationToken);
            return true;
        }

        if (unit.ReleasedAt is not null) return false; // a reviewer has accepted this very content

        var fields = Disagreements(matches);
        if (fields.Count == 0) return false;

        await HoldAsync(item, unit, original, transaction.Accession, fields, HeldReport.ReasonFor(fields), cancellationToken);
        ReviewLog.UnitHeld(logger, item.UnitIndex, item.FileId, item.LabId, string.Join(", ", fields));
        return true;
    }

    /// <summary>
    /// Holds the claimed unit when the FHIR service holds a report of the same lab and accession for another patient
    /// (<paramref name="previous"/>, the Provenance that report wrote, names its Patient): a report replaces an earlier one
    /// only when the accession and the patient both match. Another patient's results are never set to entered-in-error by
    /// it, and no review waives this: the lab must send the report under its own accession. Returns whether it held.
    /// </summary>
    public async Task<bool> HoldIfAccessionOfAnotherPatientAsync(
        WorkItem item, LedgerUnit unit, LabFileLocation original, ReportTransaction transaction, JsonObject? previous, CancellationToken cancellationToken)
    {
        if (await ReportPatients.SameAsPreviousAsync(transaction, previous, fhir, cancellationToken)) return false;
        await HoldAsync(item, unit, original, transaction.Accession, [HeldReport.SubjectField], HeldReport.ReasonForAnotherPatient, cancellationToken);
        ReviewLog.UnitHeldForAnotherPatient(logger, item.UnitIndex, item.FileId, item.LabId);
        return true;
    }

    /// <summary>
    /// Writes the report's transaction bundle <paramref name="bundleIndex"/>. A 412 to a bundle that conditionally creates Patients means the
    /// FHIR service found several Patients for an identifier when it ran the create: two first reports for one patient
    /// can each create one, as the service takes no lock between its match search and its create. The identifiers are
    /// searched again: several Patients hold the unit for review (returns null: the report is not completed); one or
    /// none write the bundle again, whose conditional create then finds that one. A 412 that stays while no identifier
    /// matches several Patients throws <see cref="FhirTransientException"/>: the queue retries, the report is never
    /// rejected for it.
    /// </summary>
    public async Task<FhirWriteResult?> WriteOrHoldAsync(
        WorkItem item, LedgerUnit unit, LabFileLocation original, ReportTransaction transaction, int bundleIndex, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(transaction);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await fhir.WriteTransactionAsync(transaction.Bundle(bundleIndex), cancellationToken);
            }
            catch (FhirRejectedException ex) when (ex.StatusCode == PreconditionFailed && transaction.Patients.Count > 0)
            {
                // Every bundle of a report carries its Patients' conditional creates.
                var most = MostMatches(await FindMatchesAsync(transaction.Patients, cancellationToken));
                if (most > 1)
                {
                    await HoldForMultipleMatchesAsync(item, unit, original, transaction, most, cancellationToken);
                    return null;
                }

                if (attempt == MaxConditionalCreateAttempts)
                {
                    throw new FhirTransientException(
                        $"The FHIR service answered HTTP 412 to the Patient's conditional create {attempt} times, though its identifier matches {most} Patient(s).", ex);
                }

                ReviewLog.ConditionalCreateRefused(logger, item.UnitIndex, item.FileId, most, attempt);
            }
        }
    }

    /// <summary>
    /// The Patient fields that disagree between the report and the FHIR service, over every Patient the report
    /// conditionally creates (one per report in practice) and every Patient its identifier finds.
    /// </summary>
    public async Task<IReadOnlyList<string>> FindDisagreementsAsync(ReportTransaction transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        return Disagreements(await FindMatchesAsync(transaction.Patients, cancellationToken));
    }

    /// <summary>Each Patient the report conditionally creates, with the Patients its identifier finds in the FHIR service.</summary>
    private async Task<List<(ReportPatient Patient, IReadOnlyList<JsonObject> Existing)>> FindMatchesAsync(
        IReadOnlyList<ReportPatient> patients, CancellationToken cancellationToken)
    {
        var matches = new List<(ReportPatient, IReadOnlyList<JsonObject>)>(patients.Count);
        foreach (var patient in patients)
            matches.Add((patient, await fhir.FindPatientsAsync(patient.System, patient.Value, cancellationToken)));
        return matches;
    }

    private static int MostMatches(List<(ReportPatient Patient, IReadOnlyList<JsonObject> Existing)> matches) =>
        matches.Count == 0 ? 0 : matches.Max(m => m.Existing.Count);

    private static List<string> Disagreements(List<(ReportPatient Patient, IReadOnlyList<JsonObject> Existing)> matches)
    {
        var fields = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (patient, existing) in matches)
        {
            foreach (var match in existing) fields.UnionWith(PatientDemographics.Disagreements(patient, match));
        }

        return [.. fields];
    }

    private async Task HoldForMultipleMatchesAsync(
        WorkItem item, LedgerUnit unit, LabFileLocation original, ReportTransaction transaction, int matches, CancellationToken cancellationToken)
    {
        await HoldAsync(item, unit, original, transaction.Accession, [HeldReport.IdentifierField], HeldReport.ReasonForMultipleMatches(matches), cancellationToken);
        ReviewLog.UnitHeldForMultipleMatches(logger, item.UnitIndex, item.FileId, item.LabId, matches);
    }

    /// <summary>Nothing more is written: the unit is Held, the file copied to <c>review/</c> with the reason, the alert counted.</summary>
    /// <param name="item">The unit's work item.</param>
    /// <param name="unit">The unit as claimed.</param>
    /// <param name="original">Where the file is read from.</param>
    /// <param name="accession">The report's accession, when the report was built.</param>
    /// <param name="fields">The patient elements the hold is about, by name.</param>
    /// <param name="reason">Why, naming fields and sources, never values.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    public async Task HoldAsync(
        WorkItem item, LedgerUnit unit, LabFileLocation original, string? accession, IReadOnlyList<string> fields, string reason,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(unit);
        var now = clock.GetUtcNow();
        await review.HoldAsync(
            original,
            new HeldReport
            {
                FileId = item.FileId,
                LabId = item.LabId,
                File = $"{LabFileAreas.Incoming}/{item.LabPath}",
                UnitIndex = item.UnitIndex,
                Accession = accession,
                Fields = fields,
                Reason = reason,
                At = now,
                PipelineVersion = options.Value.PipelineVersion,
            },
            item.ContentHash,
            item.BlobName,
            cancellationToken);
        await ledger.SaveUnitAsync(
            (unit with { ContentHash = item.ContentHash, Accession = accession }).Hold(new LabFileProblem(SourcePosition.None, reason), now),
            cancellationToken);
        PatientSafetyMetrics.ReportHeld(item.LabId);
        await finisher.TryFinishAsync(item.FileId, cancellationToken);
    }

    private const int PreconditionFailed = 412;

    /// <summary>A first write and two more: enough for a race that one search and retry settles, few enough to stay quick.</summary>
    private const int MaxConditionalCreateAttempts = 3;
}
