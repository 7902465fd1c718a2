using System.Text.Json.Nodes;
using PrecisionMed.Core.Fhir;

namespace PrecisionMed.Core.Pipeline.Work;

/// <summary>
/// Where <see cref="ReportUnitPipeline"/> writes a built unit, and what may hold it back first: the queue worker's
/// patient-safety checks and review area (<see cref="PatientSafetyTarget"/>), or <c>pmed ingest</c>'s output folder.
/// </summary>
public interface IReportUnitTarget
{
    /// <summary>Before anything is read or written: whether the unit is held (the report's patient disagrees with the EMR's).</summary>
    Task<bool> HoldBeforeWriteAsync(ReportTransaction transaction, CancellationToken cancellationToken);

    /// <summary>
    /// Whether the unit is held because the report of the same accession already written (<paramref name="previous"/>, its
    /// Provenance) is another patient's: a report replaces an earlier one only when the accession and the patient both match.
    /// </summary>
    Task<bool> HoldForPreviousAsync(ReportTransaction transaction, JsonObject? previous, IFhirWriter fhir, CancellationToken cancellationToken);

    /// <summary>Writes part <paramref name="part"/> of the transaction; null when the unit was held instead.</summary>
    Task<FhirWriteResult?> WriteBundleAsync(ReportTransaction transaction, int part, CancellationToken cancellationToken);
}
