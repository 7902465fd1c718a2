using System.Text.Json.Nodes;
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
        var build = GenomeBuild(report.GenomeBuild);
        var genes = report.GenesStudied.Select(FhirJson.Concept).OfType<JsonObject>().ToList();
        var regions = report.RegionsStudied.Where(r => !string.IsNullOrWhiteSpace(r)).Select(r => r.Trim()).ToList();
        if (report.GenesStudied.Count > genes.Count)
            context.Skip(ReportPath, "genes studied", $"{report.GenesStudied.Count - genes.Count} genes studied have neither a coding nor text");
        if (build is null && genes.Count == 0 && regions.Count == 0) return null;

        var performed = GenomicBuildContext.ValidDateTime(report.Effective);
        var extensions = new JsonArray();
        if (build is not null) extensions.Add(new JsonObject { ["url"] = GenomicsCodes.GenomeBuildExtension, ["valueCodeableConcept"] = build });
        if (context.SpecimenReference is not null)
        {
            extensions.Add(new JsonObject
            {
                ["url"] = GenomicsCodes.AnalysisSpecimenExtension,
                ["valueReference"] = FhirJson.Reference(context.SpecimenReference),
            });
        }

        if (genes.Count > 0 || regions.Count > 0)
        {
            // The description is 0..1: several textual regions share it, one per line.
            var parts = new JsonArray();
            if (regions.Count > 0) parts.Add(new JsonObject { ["url"] = "description", ["valueString"] = string.Join("\n", regions) });
            foreach (var gene in genes) parts.Add(new JsonObject { ["url"] = "studied", ["valueCodeableConcept"] = gene });
            extensions.Add(new JsonObject { ["extension"] = parts, ["url"] = GenomicsCodes.RegionsExtension });
        }

        // The analysis's status is fixed to completed by the profile, whatever the report's status.
        var analysis = context.Put(Procedure(
            context, context.NewId("GenomicStudyAnalysis", "analysis"), GenomicsCodes.GenomicStudyAnalysisProfile, extensions, null, "completed", null, performed));

        var link = new JsonObject { ["url"] = GenomicsCodes.GenomicStudyAnalysisExtension, ["valueReference"] = FhirJson.Reference(analysis) };
        return context.Put(Procedure(
            context,
            context.NewId("GenomicStudy", "study"),
            GenomicsCodes.GenomicStudyProfile,
            [link],
            serviceRequest,
            StudyStatus(report.Status),
            FhirJson.Concept(report.Order?.Code ?? report.TestCode),
            performed));
    }

    /// <summary>
    /// The lab's genome build, with the LOINC LL1040-6 answer added when the lab named GRCh37 or GRCh38 only in
    /// its own words (a patch suffix such as ".p14" does not change the assembly).
    /// </summary>
    private static JsonObject? GenomeBuild(CodedValue? build)
    {
        if (FhirJson.Concept(build) is not { } concept) return null;
        var names = build!.Codings.SelectMany(c => new[] { c.Code, c.Display }).Append(build.Text);
        var hasLoinc = build.Codings.Any(c => c.System == Coding.Loinc && c.Code is GenomicsCodes.Grch37 or GenomicsCodes.Grch38);
        var answer = hasLoinc ? null : names.Select(AssemblyAnswer).FirstOrDefault(a => a is not null);
        if (answer is { } la)
        {
            var codings = concept["coding"] as JsonArray ?? [];
            concept.Remove("coding");
            var text = concept["text"]?.DeepClone();
            concept.Remove("text");
            codings.Insert(0, FhirJson.Coding(Coding.Loinc, la.Code, la.Display));
            concept["coding"] = codings;
            if (text is not null) concept["text"] = text;
        }

        return concept;
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

    /// <summary>A GenomicStudy or GenomicStudyAnalysis Procedure: both carry the laboratory category and the patient.</summary>
    private static JsonObject Procedure(
        GenomicBuildContext context, string id, string profile, JsonArray extensions, string? basedOn, string status, JsonObject? code, string? performed)
    {
        var procedure = new JsonObject { ["resourceType"] = "Procedure", ["id"] = id, ["meta"] = FhirJson.Meta(profile) };
        if (extensions.Count > 0) procedure["extension"] = extensions;
        if (basedOn is not null) procedure["basedOn"] = new JsonArray(FhirJson.Reference(basedOn));
        procedure["status"] = status;
        procedure["category"] = FhirJson.KnownConcept(GenomicsCodes.ObservationCategorySystem, "laboratory", "Laboratory");
        if (code is not null) procedure["code"] = code;
        procedure["subject"] = FhirJson.Reference(context.Patient.FullUrl);
        if (performed is not null) procedure["performedDateTime"] = performed;
        return procedure;
    }
}
