using System.Text.Json.Nodes;
using PrecisionMed.Core.Genomics.Index;

namespace PrecisionMed.Core.Cds.Pgx;

/// <summary>
/// A patient's reports read from FHIR when the genomic index has none for them (a patient whose results predate the
/// index, an index not configured, a result the EHR holds and we never ingested): the patient's DiagnosticReports and
/// genotype and haplotype Observations (LOINC 84413-4, 84414-2) by search, from the EHR's <c>fhirServer</c> with its
/// <c>fhirAuthorization</c> when sent, else from the app's FHIR service; read into index entries the way an index
/// rebuild reads them (<see cref="IndexedReportReader"/>), so the cards decide the same way on either source.
/// </summary>
internal static class FhirPharmacogenomics
{
    private const int PageSize = 100;

    /// <summary>The entries, or null when no FHIR server can be asked.</summary>
    public static async Task<IReadOnlyList<IndexedReport>?> ReadAsync(CdsHookRequest request, ICdsFhirReader fhir, CancellationToken cancellationToken)
    {
        var subject = $"Patient/{request.PatientId}";
        var escaped = Uri.EscapeDataString(subject);
        var reports = await fhir.SearchAsync(request, $"DiagnosticReport?subject={escaped}&_count={PageSize}", cancellationToken);
        if (reports is null) return null;
        EnsureThePatients(reports, request.PatientId, "DiagnosticReport");
        if (reports.Count == 0) return [];
        var genotypes = await fhir.SearchAsync(
            request, $"Observation?subject={escaped}&code={Uri.EscapeDataString("http://loinc.org|84413-4,http://loinc.org|84414-2")}&_count={PageSize}", cancellationToken) ?? [];
        EnsureThePatients(genotypes, request.PatientId, "Observation");
        return IndexedReportReader.Read(
            [.. reports, .. genotypes.Where(o => CdsHookRequest.Text(o["status"]) is not ("entered-in-error" or "cancelled"))], subject);
    }

    /// <summary>
    /// A search by subject answers with that patient's resources only. A server that did not apply the filter (FHIR lets a
    /// server ignore a parameter it does not support) answers with other patients' too, and then nothing it answered can
    /// be taken as the patient's whole record: refused as data that could not be read (412), never carded.
    /// </summary>
    private static void EnsureThePatients(IReadOnlyList<JsonObject> resources, string patientId, string type)
    {
        if (resources.All(r => PatientReferences.Names(r["subject"], patientId))) return;
        throw new CdsFetchException(
            $"the FHIR server's search for the patient's {type} resources returned resources that are not this patient's (it did not apply the subject filter), so none of them was used");
    }
}
