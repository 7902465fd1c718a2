using System.Text.Json.Nodes;
using PrecisionMed.Core.Genomics.Index;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Pipeline;

/// <summary>What a rebuild did: patients and reports indexed, reports removed (entered-in-error or cancelled in FHIR).</summary>
public sealed record GenomicIndexRebuild(int Patients, int Reports, int Removed);

/// <summary>
/// Rebuilds the genomic index from the FHIR service (after a restore, a new index layout, or to check it): per patient,
/// every DiagnosticReport and Observation of the patient read by search (paged), each report's entry read the way the
/// pipeline reads what it writes (<see cref="IndexedReportReader"/>), withdrawn results (entered-in-error) left out, and
/// the entry written over the index's; a report entered-in-error or cancelled is removed.
/// </summary>
public sealed class GenomicIndexRebuilder(IFhirWriter fhir, IGenomicIndex index)
{
    private const int PageSize = 200;

    /// <param name="patient"><c>Patient/id</c> or the id alone; null for every patient with a DiagnosticReport.</param>
    /// <param name="progress">Told after each patient: patients done so far.</param>
    public async Task<GenomicIndexRebuild> RebuildAsync(string? patient, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        if (patient is not null && !IsPatient(patient))
            throw new ArgumentException("not a FHIR Patient id (letters, digits, '-' and '.', at most 64), with or without 'Patient/'", nameof(patient));
        var patients = patient is null ? await PatientsWithReportsAsync(cancellationToken) : [Reference(patient)];
        var (reports, removed, done) = (0, 0, 0);
        foreach (var subject in patients)
        {
            var resources = new List<JsonObject>();
            resources.AddRange(await SearchAsync($"DiagnosticReport?subject={subject}&_count={PageSize}", cancellationToken));
            resources.AddRange((await SearchAsync($"Observation?subject={subject}&_count={PageSize}", cancellationToken))
                .Where(o => FhirFindings.Text(o["status"]) != "entered-in-error"));
            foreach (var entry in IndexedReportReader.Read(resources, subject))
            {
                if (entry.Status is "entered-in-error" or "cancelled")
                {
                    await index.RemoveAsync(entry.Patient, entry.Report, cancellationToken);
                    removed++;
                }
                else
                {
                    await index.WriteAsync(entry, cancellationToken);
                    reports++;
                }
            }

            progress?.Report(++done);
        }

        return new GenomicIndexRebuild(patients.Count, reports, removed);
    }

    /// <summary>
    /// Whether <paramref name="patient"/> is <c>Patient/id</c> or an id as FHIR allows them: it goes into a search's query
    /// as it is, so nothing else may reach it (<c>x&amp;_id=y</c> would be a second parameter).
    /// </summary>
    public static bool IsPatient(string patient)
    {
        ArgumentNullException.ThrowIfNull(patient);
        return FhirIds.IsId(patient.StartsWith("Patient/", StringComparison.Ordinal) ? patient.AsSpan("Patient/".Length) : patient.AsSpan());
    }

    private static string Reference(string patient) => patient.StartsWith("Patient/", StringComparison.Ordinal) ? patient : "Patient/" + patient;

    private async Task<List<string>> PatientsWithReportsAsync(CancellationToken cancellationToken) =>
        [.. (await SearchAsync($"DiagnosticReport?_elements=subject&_count={PageSize}", cancellationToken))
            .Select(r => FhirFindings.Text(FhirFindings.At(r["subject"], "reference"))).OfType<string>().Where(r => r.StartsWith("Patient/", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    /// <summary>Every match of a search, following the bundles' <c>next</c> links.</summary>
    private async Task<List<JsonObject>> SearchAsync(string query, CancellationToken cancellationToken)
    {
        var found = new List<JsonObject>();
        for (string? next = query; next is not null;)
        {
            var page = await fhir.ReadAsync(next, cancellationToken);
            foreach (var entry in FhirFindings.At(page, "entry") as JsonArray ?? [])
            {
                if (FhirFindings.At(entry, "resource") is JsonObject resource && FhirFindings.Text(FhirFindings.At(FhirFindings.At(entry, "search"), "mode")) is null or "match") found.Add(resource);
            }

            next = (FhirFindings.At(page, "link") as JsonArray ?? []).Where(l => FhirFindings.Text(FhirFindings.At(l, "relation")) == "next").Select(l => FhirFindings.Text(FhirFindings.At(l, "url"))).FirstOrDefault();
        }

        return found;
    }
}
