using System.Globalization;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Fhir.Genomics;

/// <summary>
/// Turns a canonical <see cref="LabReport"/> into FHIR transaction bundle(s) conforming to the Genomics
/// Reporting IG 3.0.0: GenomicReport, Variant, Haplotype, Genotype, SequencePhaseRelationship, MolecularConsequence, Diagnostic and
/// Therapeutic implications (with MedicationRecommendation Tasks), plain laboratory Observations, Specimen,
/// ServiceRequest, DocumentReferences and a Provenance. It follows <see cref="ReportTransactionBuilder"/>'s
/// conventions (docs/design.md, "Contracts"): PUT with ids from (lab, accession, kind, key); the Patient found by identifier or
/// conditionally created; the report and its Provenance in the last bundle. What cannot be written validly is
/// listed in <see cref="ReportTransaction.Skipped"/>, never thrown.
/// </summary>
public static partial class GenomicReportBuilder
{
    private const string ReportPath = "report";

    /// <param name="report">The report, as a parser produced it.</param>
    /// <param name="provenance">Where the report unit came from.</param>
    /// <param name="maxEntriesPerBundle">The most entries one transaction may hold.</param>
    public static ReportTransaction Build(
        LabReport report, ReportProvenance provenance, int maxEntriesPerBundle = ReportTransactionBuilder.MaxEntriesPerBundle)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEntriesPerBundle, 3);
        ArgumentNullException.ThrowIfNull(report);

        // Every format's HGVS components get their reference sequence here, or become text: none is written bare.
        report = HgvsCompletion.Complete(report);
        var context = new GenomicBuildContext(report, provenance);
        var patient = WritePatientEntry(context);
        var serviceRequest = AddServiceRequest(context);
        AddSpecimen(context);
        var study = AddGenomicStudy(context, serviceRequest);

        var (variantIds, haplotypeIds, genotypeIds) = RegisterFindings(context);
        for (var i = 0; i < report.Variants.Count; i++) AddVariant(context, report.Variants[i], variantIds[i]);
        for (var i = 0; i < report.Haplotypes.Count; i++)
        {
            if (haplotypeIds[i] is { } id) AddHaplotype(context, report.Haplotypes[i], id);
        }

        for (var i = 0; i < report.Genotypes.Count; i++)
        {
            if (genotypeIds[i] is { } id) AddGenotype(context, report.Genotypes[i], id);
        }

        foreach (var phase in report.PhaseRelationships) AddPhaseRelationship(context, phase);
        foreach (var consequence in report.MolecularConsequences) AddMolecularConsequence(context, consequence);
        foreach (var implication in report.DiagnosticImplications) AddDiagnosticImplication(context, implication);
        var recommendations = new List<string>();
        foreach (var implication in report.TherapeuticImplications)
        {
            if (AddTherapeuticImplication(context, implication) is { } reference
                && AddRecommendation(context, implication, reference) is { } task)
            {
                recommendations.Add(task);
            }
        }

        foreach (var result in report.LabResults) AddLabResult(context, result);

        // DocumentReferences point at the report, so they go right before it: in the last bundle when they fit.
        var presentedForms = new List<ReportDocument>();
        foreach (var document in report.Documents)
        {
            if (HasAttachment(context, document))
            {
                AddDocumentReference(context, document);
                if (!document.GenomicDataFile) presentedForms.Add(document);
            }
        }

        var original = AddOriginalFile(context);
        AddReport(context, serviceRequest, study, recommendations, presentedForms);
        NoteUnwritten(context);

        var provenanceId = DeterministicIds.ForReportResourceGuid(provenance.LabId, report.Accession, "Provenance", "unit");
        var writer = context.Bundle.BeginResource("Provenance", provenanceId);
        ProvenanceResource.WriteBody(writer, context.Bundle.OwnedReferences, provenance, report.KnowledgeVersion, context.Patient.FullUrl, original);
        context.Bundle.EndResource();

        var (bundles, statusAt) = context.Bundle.Finish(maxEntriesPerBundle);
        IReadOnlyList<LabFileProblem> skipped = context.Skipped.Count == 0 ? report.Skipped : [.. report.Skipped, .. context.Skipped];
        return new ReportTransaction(
            report.Accession, context.ReportReference, context.Bundle.OwnedReferences, [patient], bundles, ReportStatusOf(report.Status), statusAt)
        {
            Skipped = skipped,
            KnowledgeVersion = report.KnowledgeVersion,
            RecordCounts = report.RecordCounts,
            StatusStatedByLab = report.StatusStatedByLab,
            Hgvs = report.Hgvs ?? HgvsCounts.None,
        };
    }

    /// <summary>The DocumentReference to the report's original file, when there is one to point at; its reference.</summary>
    private static string? AddOriginalFile(GenomicBuildContext context)
    {
        if (context.Provenance.OriginalUrl is not { } url) return null;
        var id = context.Ids.NewId("DocumentReference", OriginalFileDocument.KeyOf(context.Provenance));
        var writer = context.Bundle.BeginResource("DocumentReference", id, OriginalFileDocument.ProfileOf(context.Provenance));
        OriginalFileDocument.WriteBody(writer, context.Provenance, url, context.Patient.FullUrl, context.ReportReference);
        context.Bundle.EndResource();
        return GenomicIds.Reference("DocumentReference", id);
    }

    /// <summary>
    /// A genomic report when the lab's file says it is a genomic test, when it holds a genomic finding or study item, or when
    /// its only content is the lab's report document (genomic labs that send their report as a PDF alone). A report with
    /// nothing readable in it (every OBX-3 empty) is none of these: it is a plain laboratory report.
    /// </summary>
    private static bool IsGenomic(LabReport report) =>
        report.GenomicTest
        || (report.LabResults.Count == 0 && report.Documents.Count > 0)
        || report.Variants.Count > 0 || report.Haplotypes.Count > 0 || report.Genotypes.Count > 0
        || report.PhaseRelationships.Count > 0 || report.MolecularConsequences.Count > 0
        || report.DiagnosticImplications.Count > 0 || report.TherapeuticImplications.Count > 0
        || report.GenesStudied.Count > 0 || report.GenomeBuild is not null || report.RegionsStudied.Count > 0;

    /// <summary>The report's notes, then how many positioned problems were counted beyond those listed, when any were.</summary>
    private static IEnumerable<string> NotesOf(LabReport report)
    {
        foreach (var note in report.Notes) yield return note;
        if (report.UnlistedProblems > 0)
            yield return string.Create(CultureInfo.InvariantCulture, $"{report.UnlistedProblems} further positioned problems were counted, not listed");
    }

    private static void AddReport(
        GenomicBuildContext context, string? serviceRequest, string? study, List<string> recommendations, List<ReportDocument> presentedForms)
    {
        var report = context.Report;
        var genomic = IsGenomic(report);
        var writer = context.Bundle.BeginResource("DiagnosticReport", context.ReportId, genomic ? GenomicsCodes.GenomicReportProfile : null);

        // R4 DiagnosticReport has no note: the IG's genomic-report-note extension carries the lab's comments.
        // In the profile's slice order: recommended-action, coded-note, then genomic-study.
        var notes = false;
        foreach (var note in NotesOf(report)) notes |= !string.IsNullOrWhiteSpace(note);
        if (recommendations.Count > 0 || notes || study is not null)
        {
            writer.WriteStartArray("extension");
            foreach (var task in recommendations) WriteReferenceExtension(writer, GenomicsCodes.RecommendedActionExtension, task);
            foreach (var note in NotesOf(report))
            {
                if (string.IsNullOrWhiteSpace(note)) continue;
                writer.WriteStartObject();
                writer.WriteString("url", GenomicsCodes.ReportNoteExtension);
                writer.WriteStartObject("valueAnnotation");
                writer.WriteString("text", note);
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            if (study is not null) WriteReferenceExtension(writer, GenomicsCodes.GenomicStudyReferenceExtension, study);
            writer.WriteEndArray();
        }

        var filler = report.Order is { FillerNumber: var number, FillerSystem: { Length: > 0 } system } && number == report.Accession ? system : null;
        writer.WriteStartArray("identifier");
        writer.WriteStartObject();
        writer.WriteString("system", filler ?? $"urn:precisionmed:lab:{context.Provenance.LabId}:accession");
        writer.WriteString("value", report.Accession);
        writer.WriteEndObject();
        writer.WriteEndArray();
        if (serviceRequest is not null)
        {
            writer.WriteStartArray("basedOn");
            FhirJson.WriteReference(writer, serviceRequest);
            writer.WriteEndArray();
        }

        context.Bundle.WriteReportStatus(ReportStatusOf(report.Status));
        writer.WriteStartArray("category");
        if (genomic) FhirJson.WriteConcept(writer, GenomicsCodes.DiagnosticServiceSystem, "GE", "Genetics");
        else FhirJson.WriteConcept(writer, GenomicsCodes.DiagnosticServiceSystem, "LAB", "Laboratory");
        writer.WriteEndArray();
        writer.WritePropertyName("code");
        WriteReportCode(writer, report, genomic);
        FhirJson.WriteReference(writer, "subject", context.Patient.FullUrl);
        if (FhirDateTimes.ValidDateTime(report.Effective) is { } effective) writer.WriteString("effectiveDateTime", effective);
        if (FhirDateTimes.ValidInstant(report.Issued) is { } issued) writer.WriteString("issued", issued);
        if (context.SpecimenReference is not null)
        {
            writer.WriteStartArray("specimen");
            FhirJson.WriteReference(writer, context.SpecimenReference);
            writer.WriteEndArray();
        }

        if (context.Results.Count > 0)
        {
            writer.WriteStartArray("result");
            foreach (var result in context.Results) FhirJson.WriteReference(writer, result);
            writer.WriteEndArray();
        }

        if (!string.IsNullOrWhiteSpace(report.Conclusion)) writer.WriteString("conclusion", report.Conclusion);
        if (FhirJson.HasConcept(report.ConclusionCode))
        {
            writer.WriteStartArray("conclusionCode");
            FhirJson.WriteConcept(writer, report.ConclusionCode!);
            writer.WriteEndArray();
        }

        if (presentedForms.Count > 0)
        {
            writer.WriteStartArray("presentedForm");
            foreach (var document in presentedForms) WriteAttachment(writer, document);
            writer.WriteEndArray();
        }

        context.Bundle.EndResource();
    }

    private static string ReportStatusOf(ReportStatus status) => status switch
    {
        ReportStatus.Preliminary => "preliminary",
        ReportStatus.Corrected => "corrected",
        ReportStatus.Amended => "amended",
        ReportStatus.Cancelled => "cancelled",
        _ => "final",
    };

    private static void WriteReferenceExtension(System.Text.Json.Utf8JsonWriter writer, string url, string reference)
    {
        writer.WriteStartObject();
        writer.WriteString("url", url);
        FhirJson.WriteReference(writer, "valueReference", reference);
        writer.WriteEndObject();
    }

    /// <summary>LOINC 51969-4 for a genomic report, with the lab's own test code kept beside it.</summary>
    private static void WriteReportCode(System.Text.Json.Utf8JsonWriter writer, LabReport report, bool genomic)
    {
        var lab = FhirJson.HasConcept(report.TestCode) ? report.TestCode : null;
        var text = string.IsNullOrWhiteSpace(lab?.Text) ? null : lab.Text;
        var codings = genomic ? 1 : 0;
        foreach (var coding in lab?.Codings ?? [])
        {
            if (FhirJson.IsUsable(coding) && !IsGeneticAnalysisReport(coding, genomic)) codings++;
        }

        writer.WriteStartObject();
        if (codings > 0 || text is null)
        {
            writer.WriteStartArray("coding");
            if (genomic) FhirJson.WriteCoding(writer, Coding.Loinc, GenomicsCodes.GeneticAnalysisReport, "Genetic analysis report");
            foreach (var coding in lab?.Codings ?? [])
            {
                if (FhirJson.IsUsable(coding) && !IsGeneticAnalysisReport(coding, genomic)) FhirJson.WriteCoding(writer, coding);
            }

            if (codings == 0) FhirJson.WriteCoding(writer, Coding.Loinc, "11502-2", "Laboratory report");
            writer.WriteEndArray();
        }

        if (text is not null) writer.WriteString("text", text);
        writer.WriteEndObject();
    }

    /// <summary>The lab's own 51969-4 coding on a genomic report, which already carries it first.</summary>
    private static bool IsGeneticAnalysisReport(Coding coding, bool genomic) =>
        genomic && coding.System == Coding.Loinc && coding.Code == GenomicsCodes.GeneticAnalysisReport;

    /// <summary>Report times that could not be written as sent: accounted for rather than dropped or altered silently.</summary>
    private static void NoteUnwritten(GenomicBuildContext context)
    {
        var report = context.Report;
        if (report.Effective is not null)
        {
            if (FhirDateTimes.ToDateTime(report.Effective, out var cutToDay) is null) context.Skip(ReportPath, "effective", "not a FHIR dateTime");
            else if (cutToDay) context.Skip(ReportPath, "effective", FhirDateTimes.ZonelessDateTime);
        }

        // issued is an instant: unlike a dateTime it cannot stop at the day, and no zone is invented for it.
        if (report.Issued is not null && FhirDateTimes.ValidInstant(report.Issued) is null)
        {
            context.Skip(ReportPath, "issued", FhirDateTimes.IsZoneless(report.Issued)
                ? "the time has no zone (e.g. OBR-22 without an offset): FHIR issued needs an instant, so issued was not written"
                : "not a FHIR instant (date, time to the second and zone)");
        }
    }
}
