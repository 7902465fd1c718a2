using System.Text.Json.Nodes;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Fhir.Genomics;

/// <summary>
/// Turns a canonical <see cref="LabReport"/> into FHIR transaction bundle(s) conforming to the Genomics
/// Reporting IG 3.0.0: GenomicReport, Variant, Haplotype, Genotype, SequencePhaseRelationship, MolecularConsequence, Diagnostic and
/// Therapeutic implications (with MedicationRecommendation Tasks), plain laboratory Observations, Specimen,
/// ServiceRequest, DocumentReferences and a Provenance. It follows <see cref="ReportTransactionBuilder"/>'s
/// conventions (DESIGN.md §5): PUT with ids from (lab, accession, kind, key); the Patient found by identifier or
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
        var context = new GenomicBuildContext(report, provenance);
        var patientEntry = PatientEntry(context);
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
        var presentedForms = new JsonArray();
        foreach (var document in report.Documents)
        {
            if (Attachment(context, document) is { } attachment)
            {
                AddDocumentReference(context, document, attachment);
                if (!document.GenomicDataFile) presentedForms.Add(attachment.DeepClone());
            }
        }

        AddReport(context, serviceRequest, study, recommendations, presentedForms);
        NoteUnwritten(context);

        var provenanceId = DeterministicIds.ForReportResource(provenance.LabId, report.Accession, "Provenance", "unit");
        var targets = context.OwnedReferences.Append(context.Patient.FullUrl).ToList();
        context.Put(ProvenanceResource.Create(provenanceId, targets, provenance, report.KnowledgeVersion));

        var bundles = ReportTransactionBuilder.Chunk([patientEntry], context.Entries, maxEntriesPerBundle);
        return new ReportTransaction(report.Accession, context.ReportReference, context.OwnedReferences, 1, bundles)
        {
            Skipped = [.. report.Skipped, .. context.Skipped],
            KnowledgeVersion = report.KnowledgeVersion,
            RecordCounts = report.RecordCounts,
            StatusStatedByLab = report.StatusStatedByLab,
        };
    }

    /// <summary>A genomic report unless the lab sent only general laboratory results (with no genomic context).</summary>
    private static bool IsGenomic(LabReport report) =>
        report.LabResults.Count == 0
        || report.Variants.Count > 0 || report.Haplotypes.Count > 0 || report.Genotypes.Count > 0
        || report.PhaseRelationships.Count > 0 || report.DiagnosticImplications.Count > 0 || report.TherapeuticImplications.Count > 0
        || report.GenesStudied.Count > 0 || report.GenomeBuild is not null || report.RegionsStudied.Count > 0;

    private static void AddReport(
        GenomicBuildContext context, string? serviceRequest, string? study, List<string> recommendations, JsonArray presentedForms)
    {
        var report = context.Report;
        var genomic = IsGenomic(report);
        var resource = new JsonObject
        {
            ["resourceType"] = "DiagnosticReport",
            ["id"] = context.ReportReference["DiagnosticReport/".Length..],
        };
        if (genomic) resource["meta"] = FhirJson.Meta(GenomicsCodes.GenomicReportProfile);

        var extensions = new JsonArray();
        foreach (var task in recommendations)
        {
            extensions.Add(new JsonObject { ["url"] = GenomicsCodes.RecommendedActionExtension, ["valueReference"] = FhirJson.Reference(task) });
        }

        // R4 DiagnosticReport has no note: the IG's genomic-report-note extension carries the lab's comments.
        foreach (var note in report.Notes.Where(n => !string.IsNullOrWhiteSpace(n)))
        {
            extensions.Add(new JsonObject { ["url"] = GenomicsCodes.ReportNoteExtension, ["valueAnnotation"] = new JsonObject { ["text"] = note } });
        }

        // In the profile's slice order: recommended-action, coded-note, then genomic-study.
        if (study is not null)
            extensions.Add(new JsonObject { ["url"] = GenomicsCodes.GenomicStudyReferenceExtension, ["valueReference"] = FhirJson.Reference(study) });
        if (extensions.Count > 0) resource["extension"] = extensions;
        var filler = report.Order is { FillerNumber: var number, FillerSystem: { Length: > 0 } system } && number == report.Accession ? system : null;
        resource["identifier"] = new JsonArray(new JsonObject
        {
            ["system"] = filler ?? $"urn:precisionmed:lab:{context.Provenance.LabId}:accession",
            ["value"] = report.Accession,
        });
        if (serviceRequest is not null) resource["basedOn"] = new JsonArray(FhirJson.Reference(serviceRequest));
        resource["status"] = report.Status switch
        {
            ReportStatus.Preliminary => "preliminary",
            ReportStatus.Corrected => "corrected",
            ReportStatus.Amended => "amended",
            ReportStatus.Cancelled => "cancelled",
            _ => "final",
        };
        resource["category"] = new JsonArray(genomic
            ? FhirJson.KnownConcept(GenomicsCodes.DiagnosticServiceSystem, "GE", "Genetics")
            : FhirJson.KnownConcept(GenomicsCodes.DiagnosticServiceSystem, "LAB", "Laboratory"));
        resource["code"] = ReportCode(report, genomic);
        resource["subject"] = FhirJson.Reference(context.Patient.FullUrl);
        if (GenomicBuildContext.ValidDateTime(report.Effective) is { } effective) resource["effectiveDateTime"] = effective;
        if (GenomicBuildContext.ValidInstant(report.Issued) is { } issued) resource["issued"] = issued;
        if (context.SpecimenReference is not null) resource["specimen"] = new JsonArray(FhirJson.Reference(context.SpecimenReference));
        if (context.Results.Count > 0) resource["result"] = new JsonArray([.. context.Results.Select(r => FhirJson.Reference(r))]);
        if (!string.IsNullOrWhiteSpace(report.Conclusion)) resource["conclusion"] = report.Conclusion;
        if (FhirJson.Concept(report.ConclusionCode) is { } conclusionCode) resource["conclusionCode"] = new JsonArray(conclusionCode);
        if (presentedForms.Count > 0) resource["presentedForm"] = presentedForms;
        context.Put(resource);
    }

    /// <summary>LOINC 51969-4 for a genomic report, with the lab's own test code kept beside it.</summary>
    private static JsonObject ReportCode(LabReport report, bool genomic)
    {
        var lab = FhirJson.Concept(report.TestCode);
        var codings = new JsonArray();
        if (genomic) codings.Add(FhirJson.Coding(Coding.Loinc, GenomicsCodes.GeneticAnalysisReport, "Genetic analysis report"));
        foreach (var coding in (lab?["coding"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var duplicate = genomic && (string?)coding["system"] == Coding.Loinc && (string?)coding["code"] == GenomicsCodes.GeneticAnalysisReport;
            if (!duplicate) codings.Add(coding.DeepClone());
        }

        if (codings.Count == 0 && lab?["text"] is null) codings.Add(FhirJson.Coding(Coding.Loinc, "11502-2", "Laboratory report"));
        var code = new JsonObject();
        if (codings.Count > 0) code["coding"] = codings;
        if (lab?["text"] is { } text) code["text"] = text.DeepClone();
        return code;
    }

    /// <summary>Report times that could not be written as sent: accounted for rather than dropped or altered silently.</summary>
    private static void NoteUnwritten(GenomicBuildContext context)
    {
        var report = context.Report;
        if (report.Effective is not null)
        {
            if (FhirDateTimes.ToDateTime(report.Effective, out var cutToDay) is null) context.Skip(ReportPath, "effective", "not a FHIR dateTime");
            else if (cutToDay) context.Skip(ReportPath, "effective", GenomicBuildContext.ZonelessDateTime);
        }

        // issued is an instant: unlike a dateTime it cannot stop at the day, and no zone is invented for it.
        if (report.Issued is not null && GenomicBuildContext.ValidInstant(report.Issued) is null)
        {
            context.Skip(ReportPath, "issued", FhirDateTimes.IsZoneless(report.Issued)
                ? "the time has no zone (e.g. OBR-22 without an offset): FHIR issued needs an instant, so issued was not written"
                : "not a FHIR instant (date, time to the second and zone)");
        }
    }
}
