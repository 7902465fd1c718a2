using System.Text.Json.Nodes;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Fhir.Genomics;

public static partial class GenomicReportBuilder
{
    private const FindingKind VariantOrHaplotype = FindingKind.Variant | FindingKind.Haplotype;
    private const FindingKind AnyFinding = FindingKind.Variant | FindingKind.Haplotype | FindingKind.Genotype;

    /// <summary>Ids for every finding that can be derived from, before any resource refers to them.</summary>
    private static (string[] Variants, string?[] Haplotypes, string?[] Genotypes) RegisterFindings(GenomicBuildContext context)
    {
        var report = context.Report;
        var variants = report.Variants.Select(v => Register(context, "Variant", v.Key, FindingKind.Variant)).ToArray();
        var haplotypes = report.Haplotypes
            .Select(h => !FhirJson.HasConcept(h.Value) ? Unusable(context, "haplotype", h.Key) : Register(context, "Haplotype", h.Key, FindingKind.Haplotype))
            .ToArray();
        var genotypes = report.Genotypes
            .Select(g => !FhirJson.HasConcept(g.Value) ? Unusable(context, "genotype", g.Key) : Register(context, "Genotype", g.Key, FindingKind.Genotype))
            .ToArray();
        return (variants, haplotypes, genotypes);
    }

    private static string Register(GenomicBuildContext context, string kind, string key, FindingKind findingKind)
    {
        var id = context.NewId(kind, key);
        context.RegisterFinding(key, findingKind, "Observation/" + id);
        return id;
    }

    private static string? Unusable(GenomicBuildContext context, string kind, string key)
    {
        context.Skip($"{kind} {key}", "value", $"the {kind} has no value (the IG requires one)");
        return null;
    }

    private static void AddVariant(GenomicBuildContext context, VariantFinding variant, string id)
    {
        // Variants are most of a genomic report: written straight to JSON (see FhirJson), as Observation() would build them.
        var components = new List<(ComponentSlice, ReportedValue, string?)>(variant.Components.Count + 1);
        var used = new HashSet<ComponentSlice>();
        foreach (var component in variant.Components)
        {
            var code = component.Code.Code ?? "(no code)";
            if (ComponentSlices.FindVariantSlice(component.Code) is not { } slice)
            {
                context.Skip(Path(), code, $"the IG variant profile has no component slice for {component.Code.System}|{code}");
                continue;
            }

            if (!slice.Repeats && !used.Add(slice))
            {
                context.Skip(Path(), code, $"the IG variant profile allows one '{slice.Name}' component; a repeat was not written");
                continue;
            }

            if (slice.Fits(component.Value, out var reason)) components.Add((slice, component.Value, component.Code.Display));
            else context.Skip(Path(), code, reason!);
        }

        // The report's genome build describes every variant's coordinates: the variant carries it unless it says otherwise.
        if (!used.Contains(ComponentSlices.ReferenceSequenceAssembly)
            && context.Report.GenomeBuild is { } build
            && ComponentSlices.ReferenceSequenceAssembly.Fits(build, out _))
        {
            components.Add((ComponentSlices.ReferenceSequenceAssembly, build, null));
        }

        var status = context.ObservationStatus(variant.Status);
        var method = FhirJson.HasConcept(variant.Method) ? variant.Method : null;
        context.Results.Add(context.PutWritten("Observation", id, (context, id, status, variant.Assessment, method, components), static (writer, v) =>
        {
            v.context.WriteObservationStart(
                writer, v.id, GenomicsCodes.VariantProfile, (Coding.Loinc, GenomicsCodes.GeneticVariantAssessment, "Genetic variant assessment"), v.status);
            var (answer, display) = v.Assessment switch
            {
                VariantAssessment.Absent => ("LA9634-2", "Absent"),
                VariantAssessment.NoCall => ("LA18198-4", "No call"),
                VariantAssessment.Indeterminate => ("LA11884-6", "Indeterminate"),
                _ => ("LA9633-4", "Present"),
            };
            writer.WritePropertyName("valueCodeableConcept");
            FhirJson.WriteConcept(writer, Coding.Loinc, answer, display);
            if (v.method is not null)
            {
                writer.WritePropertyName("method");
                FhirJson.WriteConcept(writer, v.method);
            }

            if (v.components.Count > 0)
            {
                writer.WritePropertyName("component");
                ComponentSlice.WriteArray(writer, v.components);
            }

            writer.WriteEndObject();
        }));

        // The skip path, built only when something is skipped.
        string Path() => $"variant {variant.Key}";
    }

    private static void AddHaplotype(GenomicBuildContext context, HaplotypeFinding haplotype, string id) =>
        AddCalledValue(context, id, GenomicsCodes.HaplotypeProfile, GenomicsCodes.Haplotype, "Haplotype name",
            $"haplotype {haplotype.Key}", haplotype.Value, haplotype.DerivedFromKeys, [haplotype.Gene]);

    private static void AddGenotype(GenomicBuildContext context, GenotypeFinding genotype, string id) =>
        AddCalledValue(context, id, GenomicsCodes.GenotypeProfile, GenomicsCodes.Genotype, "Genotype display name",
            $"genotype {genotype.Key}", genotype.Value, genotype.DerivedFromKeys, genotype.Genes);

    /// <summary>A Haplotype or Genotype: a called value derived from variants or haplotypes, with its genes.</summary>
    private static void AddCalledValue(
        GenomicBuildContext context, string id, string profile, string loincCode, string display, string path,
        CodedValue value, IReadOnlyList<string> derivedFromKeys, IEnumerable<CodedValue?> genes)
    {
        var observation = context.Observation(
            id, profile, FhirJson.KnownConcept(Coding.Loinc, loincCode, display), context.ObservationStatus(null), genomic: true);
        observation["valueCodeableConcept"] = FhirJson.Concept(value);
        AddDerivedFrom(observation, context.DerivedFrom(derivedFromKeys, VariantOrHaplotype, path));
        AddComponents(context, observation, path, genes.Select(g => (ComponentSlices.GeneStudied, (ReportedValue?)g)));
        context.Results.Add(context.Put(observation));
    }

    private static void AddPhaseRelationship(GenomicBuildContext context, PhaseRelationshipFinding phase)
    {
        var path = $"phase relationship {phase.Key}";
        var code = phase.Relationship.Trim().ToUpperInvariant() switch
        {
            "CIS" => "Cis",
            "TRANS" => "Trans",
            "INDETERMINATE" => "Indeterminate",
            "UNKNOWN" => "Unknown",
            _ => null,
        };
        if (code is null)
        {
            context.Skip(path, "value", "the relationship is not one of Cis, Trans, Indeterminate, Unknown (a required binding)");
            return;
        }

        var observation = context.Observation(
            context.NewId("SequencePhaseRelationship", phase.Key),
            GenomicsCodes.SequencePhaseRelationshipProfile,
            FhirJson.KnownConcept(Coding.Loinc, GenomicsCodes.SequencePhaseRelationship),
            context.ObservationStatus(null),
            genomic: true);
        observation["valueCodeableConcept"] = FhirJson.KnownConcept(GenomicsCodes.SequencePhaseRelationshipSystem, code, code);
        AddDerivedFrom(observation, context.DerivedFrom(phase.DerivedFromKeys, VariantOrHaplotype, path));
        context.Results.Add(context.Put(observation));
    }

    private static void AddDiagnosticImplication(GenomicBuildContext context, DiagnosticImplicationFinding implication)
    {
        var path = $"diagnostic implication {implication.Key}";
        var derivedFrom = context.DerivedFrom(implication.DerivedFromKeys, AnyFinding, path);
        if (derivedFrom.Count == 0)
        {
            context.Skip(path, "derivedFrom", "the implication is derived from no finding of this report (the IG requires one)");
            return;
        }

        var observation = context.Observation(
            context.NewId("DiagnosticImplication", implication.Key),
            GenomicsCodes.DiagnosticImplicationProfile,
            FhirJson.KnownConcept(GenomicsCodes.TbdCodes, GenomicsCodes.DiagnosticImplication, "Diagnostic Implication"),
            context.ObservationStatus(null),
            genomic: true);
        AddCitation(context, observation, path, implication.CitationUrl);
        AddNote(observation, implication.Note);
        observation["derivedFrom"] = derivedFrom;
        AddComponents(
            context,
            observation,
            path,
            [
                (ComponentSlices.ClinicalSignificance, implication.ClinicalSignificance),
                (ComponentSlices.EvidenceLevel, implication.EvidenceLevel),
                .. implication.PredictedPhenotypes.Select(p => (ComponentSlices.PredictedPhenotype, (ReportedValue?)p)),
                (ComponentSlices.ModeOfInheritance, implication.ModeOfInheritance),
                (ComponentSlices.ConclusionString, Text(implication.Conclusion)),
            ]);
        context.Results.Add(context.Put(observation));
    }

    private static string? AddTherapeuticImplication(GenomicBuildContext context, TherapeuticImplicationFinding implication)
    {
        var path = $"therapeutic implication {implication.Key}";
        var derivedFrom = context.DerivedFrom(implication.DerivedFromKeys, AnyFinding, path);
        if (derivedFrom.Count == 0)
        {
            context.Skip(path, "derivedFrom", "the implication is derived from no finding of this report (the IG requires one)");
            return null;
        }

        var id = context.NewId("TherapeuticImplication", implication.Key);
        var observation = context.Observation(
            id,
            GenomicsCodes.TherapeuticImplicationProfile,
            FhirJson.KnownConcept(GenomicsCodes.TbdCodes, GenomicsCodes.TherapeuticImplication, "Therapeutic Implication"),
            context.ObservationStatus(null),
            genomic: true);
        AddCitation(context, observation, path, implication.GuidelineUrl);
        AddNote(observation, implication.Note);
        observation["derivedFrom"] = derivedFrom;
        AddComponents(
            context,
            observation,
            path,
            [
                (ComponentSlices.EvidenceLevel, implication.EvidenceLevel),
                (ComponentSlices.MedicationAssessed, implication.Medication),
                .. implication.Implications.Select(i => (ComponentSlices.TherapeuticImplication, (ReportedValue?)i)),
                (ComponentSlices.ConclusionString, Text(implication.Conclusion)),
            ]);
        var reference = context.Put(observation);
        context.Results.Add(reference);
        return reference;
    }

    /// <summary>The recommendation as a MedicationRecommendation Task, proposed to the patient's clinicians.</summary>
    private static string? AddRecommendation(GenomicBuildContext context, TherapeuticImplicationFinding implication, string implicationReference)
    {
        if (FhirJson.Concept(implication.Recommendation) is not { } code) return null;
        var task = new JsonObject
        {
            ["resourceType"] = "Task",
            ["id"] = context.NewId("MedicationRecommendation", implication.Key),
            ["meta"] = FhirJson.Meta(GenomicsCodes.MedicationRecommendationProfile),
            ["status"] = "requested",
            ["intent"] = "proposal",
            ["code"] = code,
        };
        if (implication.Recommendation?.Text is { Length: > 0 } text) task["description"] = text;
        task["for"] = FhirJson.Reference(context.Patient.FullUrl);
        task["reasonReference"] = FhirJson.Reference(implicationReference);
        return context.Put(task);
    }

    /// <summary>The source of an implication (a CPIC guideline, a ClinVar record) as the IG's workflow-relatedArtifact citation.</summary>
    private static void AddCitation(GenomicBuildContext context, JsonObject observation, string path, string? url)
    {
        if (Uri.TryCreate(url, UriKind.Absolute, out var citation))
        {
            observation["extension"] = new JsonArray(new JsonObject
            {
                ["url"] = GenomicsCodes.RelatedArtifactExtension,
                ["valueRelatedArtifact"] = new JsonObject { ["type"] = "citation", ["url"] = citation.OriginalString },
            });
        }
        else if (!string.IsNullOrWhiteSpace(url))
        {
            context.Skip(path, "guideline", "the guideline is not an absolute URL");
        }
    }

    private static void AddNote(JsonObject observation, string? note)
    {
        if (!string.IsNullOrWhiteSpace(note)) observation["note"] = new JsonArray(new JsonObject { ["text"] = note });
    }

    private static void AddDerivedFrom(JsonObject observation, JsonArray derivedFrom)
    {
        if (derivedFrom.Count > 0) observation["derivedFrom"] = derivedFrom;
    }

    private static void AddComponents(
        GenomicBuildContext context, JsonObject observation, string path, params IEnumerable<(ComponentSlice Slice, ReportedValue? Value)> values)
    {
        var components = new List<(ComponentSlice, ReportedValue, string?)>();
        foreach (var (slice, value) in values)
        {
            if (value is null) continue;
            if (slice.Fits(value, out var reason)) components.Add((slice, value, null));
            else context.Skip(path, slice.Code, reason!);
        }

        if (components.Count > 0) observation["component"] = ComponentSlice.Write(components);
    }

    private static TextValue? Text(string? text) => string.IsNullOrWhiteSpace(text) ? null : new TextValue(text);
}
