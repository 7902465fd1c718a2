using System.Text.Json;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Fhir.Genomics;

public static partial class GenomicReportBuilder
{
    private const FindingKind VariantOrHaplotype = FindingKind.Variant | FindingKind.Haplotype;
    private const FindingKind AnyFinding = FindingKind.Variant | FindingKind.Haplotype | FindingKind.Genotype;

    /// <summary>Ids for every finding that can be derived from, before any resource refers to them.</summary>
    private static (Guid[] Variants, Guid?[] Haplotypes, Guid?[] Genotypes) RegisterFindings(GenomicBuildContext context)
    {
        var report = context.Report;
        var variants = new Guid[report.Variants.Count];
        for (var i = 0; i < variants.Length; i++) variants[i] = Register(context, "Variant", report.Variants[i].Key, FindingKind.Variant);
        var haplotypes = new Guid?[report.Haplotypes.Count];
        for (var i = 0; i < haplotypes.Length; i++)
        {
            var h = report.Haplotypes[i];
            haplotypes[i] = !FhirJson.HasConcept(h.Value) ? Unusable(context, "haplotype", h.Key) : Register(context, "Haplotype", h.Key, FindingKind.Haplotype);
        }

        var genotypes = new Guid?[report.Genotypes.Count];
        for (var i = 0; i < genotypes.Length; i++)
        {
            var g = report.Genotypes[i];
            genotypes[i] = !FhirJson.HasConcept(g.Value) ? Unusable(context, "genotype", g.Key) : Register(context, "Genotype", g.Key, FindingKind.Genotype);
        }
        return (variants, haplotypes, genotypes);
    }

    private static Guid Register(GenomicBuildContext context, string kind, string key, FindingKind findingKind)
    {
        var id = context.Ids.NewId(kind, key);
        context.Findings.Register(key, findingKind, GenomicIds.Reference("Observation", id));
        return id;
    }

    private static Guid? Unusable(GenomicBuildContext context, string kind, string key)
    {
        context.Skip($"{kind} {key}", "value", $"the {kind} has no value (the IG requires one)");
        return null;
    }

    private static void AddVariant(GenomicBuildContext context, VariantFinding variant, Guid id)
    {
        // Variants are most of a genomic report: written straight to JSON (see FhirJson), as Observation() would build them.
        var components = new List<(ComponentSlice, ReportedValue, string?)>(variant.Components.Count + 1);
        // The non-repeating slices already used: a variant has a dozen components, so a list beats a set here.
        var used = new List<ComponentSlice>(variant.Components.Count);
        var ownAssembly = false;
        foreach (var component in variant.Components)
        {
            var code = component.Code.Code ?? "(no code)";
            if (ComponentSlices.FindVariantSlice(component.Code) is not { } slice)
            {
                context.Skip(Path(), code, $"the IG variant profile has no component slice for {component.Code.System}|{code}");
                continue;
            }

            if (!slice.Repeats && !AddOnce(used, slice))
            {
                context.Skip(Path(), code, $"the IG variant profile allows one '{slice.Name}' component; a repeat was not written");
                continue;
            }

            if (slice.Fits(component.Value, out var reason))
            {
                components.Add((slice, component.Value, component.Code.Display));
                ownAssembly |= ReferenceEquals(slice, ComponentSlices.ReferenceSequenceAssembly);
            }
            else
            {
                context.Skip(Path(), code, reason!);
            }
        }

        // The report's genome build describes every variant's coordinates: the variant carries it unless it says otherwise.
        if (!ownAssembly
            && context.Report.GenomeBuild is { } build
            && ComponentSlices.ReferenceSequenceAssembly.Fits(build, out _))
        {
            components.Add((ComponentSlices.ReferenceSequenceAssembly, build, null));
        }

        var writer = ObservationHead.Begin(context, 
            id, GenomicsCodes.VariantProfile, (Coding.Loinc, GenomicsCodes.GeneticVariantAssessment, "Genetic variant assessment"),
            ObservationHead.Status(variant.Status, context.Report.Status), genomic: true);
        var (answer, display) = variant.Assessment switch
        {
            VariantAssessment.Absent => ("LA9634-2", "Absent"),
            VariantAssessment.NoCall => ("LA18198-4", "No call"),
            VariantAssessment.Indeterminate => ("LA11884-6", "Indeterminate"),
            _ => ("LA9633-4", "Present"),
        };
        writer.WritePropertyName("valueCodeableConcept");
        FhirJson.WriteConcept(writer, Coding.Loinc, answer, display);
        FhirJson.TryWriteConcept(writer, "method", variant.Method);
        if (components.Count > 0)
        {
            writer.WritePropertyName("component");
            ComponentSlice.WriteArray(writer, components);
        }

        if (variant.Notes is { Count: > 0 } notes) WriteNotes(writer, notes);
        context.Results.Add(context.Bundle.EndResource());

        // The skip path, built only when something is skipped.
        string Path() => $"variant {variant.Key}";
    }

    private static bool AddOnce(List<ComponentSlice> used, ComponentSlice slice)
    {
        foreach (var known in used)
        {
            if (ReferenceEquals(known, slice)) return false;
        }

        used.Add(slice);
        return true;
    }

    private static void AddHaplotype(GenomicBuildContext context, HaplotypeFinding haplotype, Guid id) =>
        AddCalledValue(context, id, GenomicsCodes.HaplotypeProfile, GenomicsCodes.Haplotype, "Haplotype name",
            $"haplotype {haplotype.Key}", haplotype.Value, haplotype.DerivedFromKeys, [haplotype.Gene]);

    private static void AddGenotype(GenomicBuildContext context, GenotypeFinding genotype, Guid id) =>
        AddCalledValue(context, id, GenomicsCodes.GenotypeProfile, GenomicsCodes.Genotype, "Genotype display name",
            $"genotype {genotype.Key}", genotype.Value, genotype.DerivedFromKeys, genotype.Genes);

    /// <summary>A Haplotype or Genotype: a called value derived from variants or haplotypes, with its genes.</summary>
    private static void AddCalledValue(
        GenomicBuildContext context, Guid id, string profile, string loincCode, string display, string path,
        CodedValue value, IReadOnlyList<string> derivedFromKeys, IEnumerable<CodedValue?> genes)
    {
        var writer = ObservationHead.Begin(context, id, profile, (Coding.Loinc, loincCode, display), ObservationHead.Status(null, context.Report.Status), genomic: true);
        writer.WritePropertyName("valueCodeableConcept");
        FhirJson.WriteConcept(writer, value);
        WriteDerivedFrom(writer, context.Findings.DerivedFrom(derivedFromKeys, VariantOrHaplotype, path, context.Skipped));
        WriteComponents(writer, Components(context, path, genes.Select(g => (ComponentSlices.GeneStudied, (ReportedValue?)g))));
        context.Results.Add(context.Bundle.EndResource());
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

        var writer = ObservationHead.Begin(context, 
            context.Ids.NewId("SequencePhaseRelationship", phase.Key),
            GenomicsCodes.SequencePhaseRelationshipProfile,
            (Coding.Loinc, GenomicsCodes.SequencePhaseRelationship, null),
            ObservationHead.Status(null, context.Report.Status),
            genomic: true);
        writer.WritePropertyName("valueCodeableConcept");
        FhirJson.WriteConcept(writer, GenomicsCodes.SequencePhaseRelationshipSystem, code, code);
        WriteDerivedFrom(writer, context.Findings.DerivedFrom(phase.DerivedFromKeys, VariantOrHaplotype, path, context.Skipped));
        context.Results.Add(context.Bundle.EndResource());
    }

    private static void WriteDerivedFrom(Utf8JsonWriter writer, List<string> derivedFrom)
    {
        if (derivedFrom.Count == 0) return;
        writer.WriteStartArray("derivedFrom");
        foreach (var reference in derivedFrom) FhirJson.WriteReference(writer, reference);
        writer.WriteEndArray();
    }

    /// <summary>The values that fit their slice; those that do not are skipped with the reason.</summary>
    private static List<(ComponentSlice, ReportedValue, string?)> Components(
        GenomicBuildContext context, string path, params IEnumerable<(ComponentSlice Slice, ReportedValue? Value)> values)
    {
        var components = new List<(ComponentSlice, ReportedValue, string?)>();
        foreach (var (slice, value) in values)
        {
            if (value is null) continue;
            if (slice.Fits(value, out var reason)) components.Add((slice, value, null));
            else context.Skip(path, slice.Code, reason!);
        }

        return components;
    }

    private static void WriteComponents(Utf8JsonWriter writer, List<(ComponentSlice, ReportedValue, string?)> components)
    {
        if (components.Count == 0) return;
        writer.WritePropertyName("component");
        ComponentSlice.WriteArray(writer, components);
    }

    private static TextValue? Text(string? text) => string.IsNullOrWhiteSpace(text) ? null : new TextValue(text);
}
