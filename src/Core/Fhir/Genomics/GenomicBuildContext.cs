using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Fhir.Genomics;

/// <summary>
/// One <see cref="GenomicReportBuilder.Build"/> call's state: the report and where it came from, its patient, the ids
/// it hands out (<see cref="Ids"/>), the findings by key (<see cref="Findings"/>), the entries written so far
/// (<see cref="Bundle"/>), the results the report lists and everything the build could not place.
/// </summary>
internal sealed class GenomicBuildContext
{
    public GenomicBuildContext(LabReport report, ReportProvenance provenance)
    {
        Report = report;
        Provenance = provenance;
        // A report that names nobody must not reach the FHIR service (patient safety): every format's mapper already
        // rejects it where it can say where (HL7 v2 PID-3, a VCF sample column), so this is the last guard.
        Patient = FirstIdentifier(report.Patient) is { } identifier
            ? PatientIdentity.FromIdentifier(identifier.System, identifier.Value, provenance.LabId)
            : throw new LabFileRejectedException(SourcePosition.None, "the report has no usable patient identifier: it cannot be tied to a patient");
        Ids = new GenomicIds(provenance.LabId, report.Accession, ExpectedResources(report));
        ReportId = Ids.NewId("DiagnosticReport", "report");
        ReportReference = GenomicIds.Reference("DiagnosticReport", ReportId);
        Bundle = new GenomicBundleWriter(ExpectedBytes(report));
    }

    // About one resource per finding, a Task per therapeutic implication, and the report's own dozen.
    private static int ExpectedResources(LabReport report) =>
        16 + report.Variants.Count + report.Haplotypes.Count + report.Genotypes.Count + report.LabResults.Count
        + report.DiagnosticImplications.Count + 2 * report.TherapeuticImplications.Count;

    // Only large reports are worth sizing for: a variant Observation takes about 1.6 KB, an implication about 3 KB.
    private static int ExpectedBytes(LabReport report) =>
        report.Variants.Count < 100 ? 0 : (int)Math.Min(int.MaxValue / 2, 1_800L * report.Variants.Count + 3_000L * (report.DiagnosticImplications.Count + report.TherapeuticImplications.Count) + 64 * 1024);

    public LabReport Report { get; }

    public ReportProvenance Provenance { get; }

    public PatientIdentity Patient { get; }

    public GenomicIds Ids { get; }

    public FindingIndex Findings { get; } = new();

    public GenomicBundleWriter Bundle { get; }

    public Guid ReportId { get; }

    public string ReportReference { get; }

    public string? SpecimenReference { get; set; }

    /// <summary>The report's effective date as a FHIR dateTime (null when it is none), checked once for every Observation that takes it.</summary>
    public string? ReportEffective => (_reportEffective ??= new Checked(FhirDateTimes.ValidDateTime(Report.Effective))).Value;

    /// <summary>The report's issued instant (null when it is none), checked once for every Observation.</summary>
    public string? ReportIssued => (_reportIssued ??= new Checked(FhirDateTimes.ValidInstant(Report.Issued))).Value;

    private Checked? _reportEffective;
    private Checked? _reportIssued;

    /// <summary>A value checked once (null when it failed the check): a box, so that "checked, none" is not "not checked".</summary>
    private sealed record Checked(string? Value);

    /// <summary>Every Observation written, for DiagnosticReport.result.</summary>
    public List<string> Results { get; } = [];

    public List<LabFileProblem> Skipped { get; } = [];

    public void Skip(string path, string? field, string reason) =>
        Skipped.Add(new LabFileProblem(new SourcePosition { Path = path, Field = field }, reason));

    /// <summary><see cref="FhirDateTimes.ValidDateTime"/>, recording a value that was cut to its day or could not be written at all.</summary>
    public string? DateTime(string? value, string path, string field)
    {
        var dateTime = FhirDateTimes.ToDateTime(value, out var cutToDay);
        if (cutToDay) Skip(path, field, FhirDateTimes.ZonelessDateTime);
        else if (value is not null && dateTime is null) Skip(path, field, "not a FHIR dateTime");
        return dateTime;
    }

    private static PatientIdentifier? FirstIdentifier(PatientDetails patient)
    {
        foreach (var identifier in patient.Identifiers)
        {
            if (!string.IsNullOrWhiteSpace(identifier.Value)) return identifier;
        }

        return null;
    }
}
