using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PrecisionMed.Core.Fhir;
using PrecisionMed.Core.Formats;
using PrecisionMed.Core.Pipeline.Ledger;

namespace PrecisionMed.Core.Pipeline.Review;

/// <summary>
/// The patient-safety gate before a report is written (issue 7): when the report's patient identifier finds a Patient
/// in the FHIR service whose family name, birth date or sex disagrees with the report, the report may belong to
/// someone else (a mistyped MRN, a swapped sample). It is then held: nothing is written, the unit is
/// <see cref="UnitState.Held"/>, the file is copied to <c>review/</c> with the reason (field names only), an alert
/// metric and a warning are emitted, and <c>pmed review release|reject</c> resolves it.
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
        await review.ResolveAsync(item.LabId, item.BlobName, item.UnitIndex,
            units.Any(u => u.State == UnitState.Held), units.Any(u => u.State == UnitState.Rejected), cancellationToken);
    }

    /// <summary>Holds the claimed unit when its patient disagrees with the EMR's; returns whether it did.</summary>
    public async Task<bool> HoldIfPatientDisagreesAsync(
        WorkItem item, LedgerUnit unit, LabFileLocation original, ReportTransaction transaction, CancellationToken cancellationToken)
    {
        if (unit.ReleasedAt is not null) return false; // a reviewer has accepted this very content

        var fields = await FindDisagreementsAsync(transaction, cancellationToken);
        if (fields.Count == 0) return false;

        var reason = HeldReport.ReasonFor(fields);
        var now = clock.GetUtcNow();
        await review.HoldAsync(
            original,
            new HeldReport
            {
                FileId = item.FileId,
                LabId = item.LabId,
                File = $"{LabFileAreas.Incoming}/{item.LabPath}",
                UnitIndex = item.UnitIndex,
                Accession = transaction.Accession,
                Fields = fields,
                Reason = reason,
                At = now,
                PipelineVersion = options.Value.PipelineVersion,
            },
            item.BlobName,
            cancellationToken);
        await ledger.SaveUnitAsync(
            unit with
            {
                State = UnitState.Held,
                ContentHash = item.ContentHash,
                Accession = transaction.Accession,
                Problem = new LabFileProblem(SourcePosition.None, reason),
                ClaimedUntil = null,
                UpdatedAt = now,
            },
            cancellationToken);
        PatientSafetyMetrics.ReportHeld(item.LabId);
        ReviewLog.UnitHeld(logger, item.UnitIndex, item.FileId, item.LabId, string.Join(", ", fields));
        await finisher.TryFinishAsync(item.FileId, cancellationToken);
        return true;
    }

    /// <summary>
    /// The Patient fields that disagree between the report and the FHIR service, over every Patient the report
    /// conditionally creates (one per report in practice) and every Patient its identifier finds.
    /// </summary>
    public async Task<IReadOnlyList<string>> FindDisagreementsAsync(ReportTransaction transaction, CancellationToken cancellationToken)
    {
        var fields = new SortedSet<string>(StringComparer.Ordinal);
        if (transaction.Bundles.Count == 0) return [];

        // Every chunk of a report carries the same Patient entries: the first one has them all.
        foreach (var (patient, system, value) in PatientsOf(transaction.Bundles[0]))
        {
            foreach (var existing in await fhir.FindPatientsAsync(system, value, cancellationToken))
                fields.UnionWith(PatientDemographics.Disagreements(patient, existing));
        }

        return [.. fields];
    }

    /// <summary>The Patient entries (conditional creates) with the identifier their <c>ifNoneExist</c> searches by.</summary>
    private static IEnumerable<(JsonObject Patient, string System, string Value)> PatientsOf(JsonObject bundle)
    {
        foreach (var entry in bundle["entry"] as JsonArray ?? [])
        {
            if (entry?["resource"] is not JsonObject resource || entry["request"]?["ifNoneExist"] is not JsonValue condition) continue;
            if (!condition.TryGetValue<string>(out var text) || !text.StartsWith(IdentifierParameter, StringComparison.Ordinal)) continue;

            // PatientIdentity escapes system and value, so the only bare '|' is the separator.
            var bar = text.IndexOf('|', StringComparison.Ordinal);
            if (bar < 0) continue;
            yield return (resource, Uri.UnescapeDataString(text[IdentifierParameter.Length..bar]), Uri.UnescapeDataString(text[(bar + 1)..]));
        }
    }

    private const string IdentifierParameter = "identifier=";
}
