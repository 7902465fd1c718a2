using System.Text.Json.Nodes;
using PrecisionMed.Core.Fhir;
using PrecisionMed.Core.Pipeline.Ledger;
using PrecisionMed.Core.Pipeline.Review;

namespace PrecisionMed.Core.Pipeline.Work;

/// <summary>
/// The queue worker's target: the FHIR service, behind the patient-safety checks that hold a claimed unit for review
/// (<see cref="PatientSafetyCheck"/>).
/// </summary>
internal sealed class PatientSafetyTarget(PatientSafetyCheck patientSafety, WorkItem item, LedgerUnit unit, LabFileLocation original) : IReportUnitTarget
{
    public Task<bool> HoldBeforeWriteAsync(ReportTransaction transaction, CancellationToken cancellationToken) =>
        patientSafety.HoldIfPatientDisagreesAsync(item, unit, original, transaction, cancellationToken);

    public Task<bool> HoldForPreviousAsync(ReportTransaction transaction, JsonObject? previous, IFhirWriter fhir, CancellationToken cancellationToken) =>
        patientSafety.HoldIfAccessionOfAnotherPatientAsync(item, unit, original, transaction, previous, cancellationToken);

    // A 412 to the Patient's conditional create is settled there: written again, or held when ambiguous.
    public Task<FhirWriteResult?> WriteBundleAsync(ReportTransaction transaction, int part, CancellationToken cancellationToken) =>
        patientSafety.WriteOrHoldAsync(item, unit, original, transaction, part, cancellationToken);
}
