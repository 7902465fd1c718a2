using System.Text.Json;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Fhir.Genomics;

public static partial class GenomicReportBuilder
{
    /// <summary>
    /// The GenomicStudy and its one GenomicStudyAnalysis, when the lab said what it studied: the genome build and
    /// the genes and regions studied. Genes become <c>regions.studied</c> CodeableConcepts; textual regions, which
    /// have no GenomicDataFile (BED) to point at, become the extension's free-text <c>description</c>.
    /// </summary>
    /// <returns>The GenomicStudy reference, or null when the lab sent nothing a study would carry.</returns>
    private static string? AddGenomicStudy(GenomicBuildContext context, string? serviceRequest)
    {
        var report = context.Report;
        var build = FhirJson.HasConcept(report.GenomeBuild) ? report.GenomeBuild : null;
        var genes = 0;
        foreach (var gene in report.GenesStudied) genes += FhirJson.HasConcept(gene) ? 1 : 0;
        var regions = report.RegionsStudied.Where(r => !string.IsNullOrWhiteSpace(r)).Select(r => r.Trim()).ToList();
        if (report.GenesStudied.Count > genes)
            context.Skip(ReportPath, "genes studied", $"{report.GenesStudied.Count - genes} genes studied have neither a coding nor text");
        if (build is null && genes == 0 && regions.Count == 0) return null;

        var performed = FhirDateTimes.ValidDateTime(report.Effective);

        // The analysis's status is fixed to completed by the profile, whatever the report's status.
        var writer = BeginProcedure(context, context.Ids.NewId("GenomicStudyAnalysis", "analysis"), GenomicsCodes.GenomicStudyAnalysisProfile);
        writer.WriteStartArray("extension");
        if (build is not null)
        {
            writer.WriteStartObject();
            writer.WriteString("url", GenomicsCodes.GenomeBuildExtension);
            writer.WritePropertyName("valueCodeableConcept");
            WriteGenomeBuild(writer, build);
            writer.WriteEndObject();
        }

        if (context.SpecimenReference is not null) WriteReferenceExtension(writer, GenomicsCodes.AnalysisSpecimenExtension, context.SpecimenReference);
        if (genes > 0 || regions.Count > 0)
        {
            // The description is 0..1: several textual regions share it, one per line.
            writer.WriteStartObject();
            writer.WriteStartArray("extension");
            if (regions.Count > 0)
            {
                writer.WriteStartObject();
                writer.WriteString("url", "description");
                writer.WriteString("valueString", string.Join("\n", regions));
                writer.WriteEndObject();
            }

            foreach (var gene in report.GenesStudied)
            {
                if (!FhirJson.HasConcept(gene)) continue;
                writer.WriteStartObject();
                writer.WriteString("url", "studied");
                writer.WritePropertyName("valueCodeableConcept");
                FhirJson.WriteConcept(writer, gene);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteString("url", GenomicsCodes.RegionsExtension);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        EndProcedure(context, "completed", null, performed);
        var analysis = context.Bundle.EndResource();

        writer = BeginProcedure(context, context.Ids.NewId("GenomicStudy", "study"), GenomicsCodes.GenomicStudyProfile);
        writer.WriteStartArray("extension");
        WriteReferenceExtension(writer, GenomicsCodes.GenomicStudyAnalysisExtension, analysis);
        writer.WriteEndArray();
        if (serviceRequest is not null)
        {
            writer.WriteStartArray("basedOn");
            FhirJson.WriteReference(writer, serviceRequest);
            writer.WriteEndArray();
        }

        EndProcedure(context, StudyStatus(report.Status), report.Order?.Code ?? report.TestCode, performed);
        return context.Bundle.EndResource();
    }

    /// <summary>
    /// The lab's genome build, with the LOINC LL1040-6 answer first when the lab named GRCh37 or GRCh38 only in its
    /// own words (a patch suffix such as ".p14" does not change the assembly). The build must have a concept.
    /// </summary>
    private static void WriteGenomeBuild(Utf8JsonWriter writer, CodedValue build)
    {
        var hasLoinc = build.Codings.Any(c => c.System == Coding.Loinc && c.Code is GenomicsCodes.Grch37 or GenomicsCodes.Grch38);
        var answer = hasLoinc ? null : build.Codings.SelectMany(c => new[] { c.Code, c.Display }).Append(build.Text).Select(AssemblyAnswer).FirstOrDefault(a => a is not null);
        if (answer is not { } la)
        {
            FhirJson.WriteConcept(writer, build);
            return;
        }

        writer.WriteStartObject();
        writer.WriteStartArray("coding");
        FhirJson.WriteCoding(writer, Coding.Loinc, la.Code, la.Display);
        foreach (var coding in build.Codings)
        {
            if (FhirJson.IsUsable(coding)) FhirJson.WriteCoding(writer, coding);
        }

        writer.WriteEndArray();
        if (!string.IsNullOrWhiteSpace(build.Text)) writer.WriteString("text", build.Text);
        writer.WriteEndObject();
    }

    private static (string Code, string Display)? AssemblyAnswer(string? name)
    {
        var assembly = name?.Trim() ?? "";
        var dot = assembly.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0) assembly = assembly[..dot];
        return assembly.ToUpperInvariant() switch
        {
            "GRCH37" => (GenomicsCodes.Grch37, "GRCh37"),
            "GRCH38" => (GenomicsCodes.Grch38, "GRCh38"),
            _ => null,
        };
    }

    /// <summary>The GenomicStudy's event status: a preliminary report's study is still in progress.</summary>
    private static string StudyStatus(ReportStatus status) => status switch
    {
        ReportStatus.Preliminary => "in-progress",
        ReportStatus.Cancelled => "stopped",
        _ => "completed",
    };

    /// <summary>A GenomicStudy or GenomicStudyAnalysis Procedure up to its extensions (and basedOn), which the caller writes.</summary>
    private static Utf8JsonWriter BeginProcedure(GenomicBuildContext context, Guid id, string profile)
    {
        return context.Bundle.BeginResource("Procedure", id, profile);
    }

    /// <summary>The rest of the Procedure: both carry the laboratory category and the patient.</summary>
    private static void EndProcedure(GenomicBuildContext context, string status, CodedValue? code, string? performed)
    {
        var writer = context.Bundle.Writer;
        writer.WriteString("status", status);
        writer.WritePropertyName("category");
        FhirJson.WriteConcept(writer, GenomicsCodes.ObservationCategorySystem, "laboratory", "Laboratory");
        FhirJson.TryWriteConcept(writer, "code", code);
        FhirJson.WriteReference(writer, "subject", context.Patient.FullUrl);
        if (performed is not null) writer.WriteString("performedDateTime", performed);
    }
}
