using System.Globalization;
using System.Text.Json.Nodes;
using PrecisionMed.Core.Genomics.Index;

namespace PrecisionMed.Cli.Tests.Genomics;

/// <summary>
/// A lab's FHIR transaction bundle carrying one report's findings, shaped as the Genomics Reporting IG's example bundles
/// shape them (Bundle-bundle-cgexample, -pgxexample, -CYP2C19 in tests/TestData/fhir/ig-examples): a genomic-report
/// DiagnosticReport, Variant, Genotype, Therapeutic/Diagnostic Implication and Molecular Consequence Observations with
/// the IG's codes and components, the Specimen, and a genomic-study-analysis Procedure with the build and regions.
/// Every finding carries its example id as an identifier (<see cref="FindingSystem"/>), so an answer's resources can be
/// told apart after the pipeline has given them its own ids.
/// </summary>
internal static class IgExampleLabBundles
{
    public const string FindingSystem = "urn:ig-example:finding";
    public const string PatientSystem = "urn:ig-example:patient";
    private const string Base = "http://example.org/fhir/";
    private const string Loinc = "http://loinc.org";
    private const string Tbd = "http://hl7.org/fhir/uv/genomics-reporting/CodeSystem/tbd-codes-cs";
    private const string Profiles = "http://hl7.org/fhir/uv/genomics-reporting/StructureDefinition/";

    public static JsonObject Bundle(IndexedReport report, string patientIdentifier)
    {
        var entries = new JsonArray { Entry(Patient(patientIdentifier)) };
        var observations = new List<JsonObject>();
        observations.AddRange(report.Variants.Select(Variant));
        observations.AddRange(report.Haplotypes.Select(Genotype));
        observations.AddRange(report.Implications.Select(Implication));
        observations.AddRange(report.MolecularConsequences.Select(Consequence));
        // Study-level change types the report states without a variant (find-study-metadata's example): one Variant each.
        observations.AddRange(report.DnaChangeTypes.Where(t => report.Variants.All(v => v.StructuralType != t))
            .Select((type, i) => Variant(new IndexedVariant($"Observation/change-type-{i}", null, null, null, null, null, null, [], [], StructuralType: type))));
        var reportId = Id(report.Report);
        var diagnosticReport = Resource("DiagnosticReport", reportId, "genomic-report");
        diagnosticReport["identifier"] = new JsonArray([.. report.TestIds.Select(t => (JsonNode)new JsonObject { ["system"] = "urn:ig-example:test", ["value"] = t })]);
        diagnosticReport["status"] = "final";
        diagnosticReport["category"] = new JsonArray(Concept("http://terminology.hl7.org/CodeSystem/v2-0074", "GE"));
        diagnosticReport["code"] = Concept(Loinc, "51969-4", "Genetic analysis report");
        diagnosticReport["subject"] = Ref("Patient/p");
        diagnosticReport["effectiveDateTime"] = report.TestDate ?? "2021-03-04";
        diagnosticReport["result"] = new JsonArray([.. observations.Select(o => (JsonNode)Ref($"Observation/{o["id"]}"))]);
        foreach (var observation in observations)
        {
            observation["effectiveDateTime"] = report.TestDate ?? "2021-03-04";
            entries.Add(Entry(observation));
        }

        foreach (var (specimen, i) in report.SpecimenIds.Select((s, i) => (s, i)))
        {
            entries.Add(Entry(new JsonObject
            {
                ["resourceType"] = "Specimen",
                ["id"] = "s" + i.ToString(CultureInfo.InvariantCulture),
                ["identifier"] = new JsonArray(new JsonObject { ["system"] = "urn:ig-example:specimen", ["value"] = specimen }),
                ["subject"] = Ref("Patient/p"),
            }));
        }

        if (report.GenomicBuild is not null || report.RegionsStudied.Count > 0 || report.UncallableRegions.Count > 0) entries.Add(Entry(Analysis(report)));
        entries.Add(Entry(diagnosticReport));
        return new JsonObject { ["resourceType"] = "Bundle", ["type"] = "transaction", ["entry"] = entries };
    }

    private static JsonObject Patient(string identifier) => new()
    {
        ["resourceType"] = "Patient",
        ["id"] = "p",
        ["identifier"] = new JsonArray(new JsonObject { ["system"] = PatientSystem, ["value"] = identifier }),
    };

    private static JsonObject Variant(IndexedVariant variant)
    {
        var observation = Observation(variant.Observation, "variant", Concept(Loinc, "69548-6", "Genetic variant assessment"));
        observation["valueCodeableConcept"] = Concept(Loinc, "LA9633-4", "Present");
        var components = new JsonArray();
        if (variant.StructuralType is { } type) components.Add(Component(Concept(Loinc, "48019-4"), "valueCodeableConcept", Concept("http://www.sequenceontology.org", type)));
        foreach (var gene in variant.Genes) components.Add(Component(Concept(Loinc, "48018-6"), "valueCodeableConcept", Concept("http://www.genenames.org", gene.HgncId!, gene.Symbol)));
        if (variant.ChromosomeAccession is { } accession)
            components.Add(Component(Concept(Loinc, "48013-7"), "valueCodeableConcept", Concept("http://www.ncbi.nlm.nih.gov/refseq", accession)));
        foreach (var hgvs in variant.Hgvs)
        {
            var code = hgvs.Contains(":g.", StringComparison.Ordinal) ? "81290-9" : hgvs.Contains(":p.", StringComparison.Ordinal) ? "48005-3" : "48004-6";
            components.Add(Component(Concept(Loinc, code), "valueCodeableConcept", Concept("http://varnomen.hgvs.org", hgvs)));
        }

        if (variant.Start is { } start && variant.End is { } end && variant.StructuralType is null)
        {
            components.Add(Component(Concept(Loinc, "92822-6"), "valueCodeableConcept", Concept(Loinc, "LA30100-4", "0-based interval counting")));
            components.Add(Component(Concept(Loinc, "81254-5"), "valueRange", new JsonObject { ["low"] = new JsonObject { ["value"] = start }, ["high"] = new JsonObject { ["value"] = end } }));
            if (!string.IsNullOrEmpty(variant.Ref)) components.Add(Component(Concept(Loinc, "69547-8"), "valueString", variant.Ref));
            if (!string.IsNullOrEmpty(variant.Alt)) components.Add(Component(Concept(Loinc, "69551-0"), "valueString", variant.Alt));
        }

        if (variant.OuterStart is { } outerStart && variant.OuterEnd is { } outerEnd)
        {
            components.Add(Component(Concept(Loinc, "81301-4"), "valueRange",
                new JsonObject { ["low"] = new JsonObject { ["value"] = outerStart }, ["high"] = new JsonObject { ["value"] = outerEnd } }));
        }

        if (variant.CopyNumber is { } copies)
            components.Add(Component(Concept(Loinc, "82155-3"), "valueQuantity", new JsonObject { ["value"] = copies, ["system"] = "http://unitsofmeasure.org", ["code"] = "1" }));
        if (variant.SourceClass is { } source) components.Add(Component(Concept(Loinc, "48002-0"), "valueCodeableConcept", Concept(Loinc, source)));
        observation["component"] = components;
        return observation;
    }

    private static JsonObject Genotype(IndexedHaplotype genotype)
    {
        var observation = Observation(genotype.Observation, genotype.Profile, Concept(Loinc, genotype.Profile == "haplotype" ? "84414-2" : "84413-4"));
        var value = new JsonObject { ["coding"] = new JsonArray([.. genotype.Codes.Select(c => (JsonNode)Coding(c))]), ["text"] = genotype.Name };
        if (genotype.Codes.Count == 0) value.Remove("coding");
        observation["valueCodeableConcept"] = value;
        observation["component"] = new JsonArray([.. genotype.Genes.Select(g => (JsonNode)Component(Concept(Loinc, "48018-6"), "valueCodeableConcept",
            Concept("http://www.genenames.org", g.HgncId!, g.Symbol)))]);
        return observation;
    }

    private static JsonObject Implication(IndexedImplication implication)
    {
        var observation = Observation(implication.Observation, implication.Profile, Concept(Tbd, implication.Profile));
        observation["derivedFrom"] = new JsonArray([.. implication.DerivedFrom.Select(d => (JsonNode)Ref(d))]);
        var components = new JsonArray();
        foreach (var medication in implication.Medications) components.Add(Component(Concept(Loinc, "51963-7"), "valueCodeableConcept", new JsonObject { ["coding"] = new JsonArray(Coding(medication)) }));
        if (implication.Significance is { } significance) components.Add(Component(Concept(Loinc, "53037-8"), "valueCodeableConcept", Concept(Loinc, significance)));
        foreach (var condition in implication.Conditions) components.Add(Component(Concept(Loinc, "81259-4"), "valueCodeableConcept", new JsonObject { ["coding"] = new JsonArray(Coding(condition)) }));
        observation["component"] = components;
        return observation;
    }

    private static JsonObject Consequence(IndexedConsequence consequence)
    {
        var observation = Observation(consequence.Observation, "molecular-consequence", Concept(Tbd, "molecular-consequence"));
        observation["derivedFrom"] = new JsonArray([.. consequence.DerivedFrom.Select(d => (JsonNode)Ref(d))]);
        observation["component"] = new JsonArray([.. consequence.Consequences.Select(c => (JsonNode)Component(Concept(Tbd, "feature-consequence"), "valueCodeableConcept",
            new JsonObject { ["coding"] = new JsonArray(Coding(c)) }))]);
        return observation;
    }

    private static JsonObject Analysis(IndexedReport report)
    {
        var analysis = Resource("Procedure", "analysis", "genomic-study-analysis");
        var extensions = new JsonArray();
        if (report.GenomicBuild is { } build)
        {
            extensions.Add(new JsonObject
            {
                ["url"] = Profiles + "genomic-study-analysis-genome-build",
                ["valueCodeableConcept"] = Concept(Loinc, build == "GRCh37" ? "LA14029-5" : "LA26806-2", build),
            });
        }

        var regions = new JsonArray();
        if (report.RegionsStudied.Count > 0) regions.Add(new JsonObject { ["url"] = "description", ["valueString"] = string.Join('\n', report.RegionsStudied) });
        foreach (var uncalled in report.UncallableRegions) regions.Add(new JsonObject { ["url"] = "uncalled", ["valueCodeableConcept"] = new JsonObject { ["text"] = uncalled } });
        if (regions.Count > 0) extensions.Add(new JsonObject { ["extension"] = regions, ["url"] = Profiles + "genomic-study-analysis-regions" });
        analysis["extension"] = extensions;
        analysis["status"] = "completed";
        analysis["code"] = Concept(Loinc, "51969-4");
        analysis["subject"] = Ref("Patient/p");
        return analysis;
    }

    private static JsonObject Observation(string reference, string profile, JsonObject code)
    {
        var observation = Resource("Observation", Id(reference), profile);
        observation["identifier"] = new JsonArray(new JsonObject { ["system"] = FindingSystem, ["value"] = Id(reference) });
        observation["status"] = "final";
        observation["category"] = new JsonArray(Concept("http://terminology.hl7.org/CodeSystem/observation-category", "laboratory"), Concept("http://terminology.hl7.org/CodeSystem/v2-0074", "GE"));
        observation["code"] = code;
        observation["subject"] = Ref("Patient/p");
        return observation;
    }

    private static JsonObject Resource(string type, string id, string profile) => new()
    {
        ["resourceType"] = type,
        ["id"] = id,
        ["meta"] = new JsonObject { ["profile"] = new JsonArray(Profiles + profile) },
    };

    private static JsonObject Entry(JsonObject resource) => new()
    {
        ["fullUrl"] = $"{Base}{resource["resourceType"]}/{resource["id"]}",
        ["resource"] = resource,
        ["request"] = new JsonObject { ["method"] = "POST", ["url"] = (string)resource["resourceType"]! },
    };

    private static JsonObject Component(JsonObject code, string valueName, JsonNode value) => new() { ["code"] = code, [valueName] = value };

    private static JsonObject Concept(string system, string code, string? display = null) => new() { ["coding"] = new JsonArray(Coding(system, code, display)) };

    private static JsonObject Coding(string systemAndCode)
    {
        var bar = systemAndCode.IndexOf('|', StringComparison.Ordinal); // a code may hold | (an HLA GL string); a system never does
        return bar < 0 ? new JsonObject { ["code"] = systemAndCode } : Coding(systemAndCode[..bar], systemAndCode[(bar + 1)..], null);
    }

    private static JsonObject Coding(string system, string code, string? display)
    {
        var coding = new JsonObject { ["system"] = system, ["code"] = code };
        if (display is not null) coding["display"] = display;
        return coding;
    }

    private static JsonObject Ref(string reference) => new() { ["reference"] = reference };

    private static string Id(string reference) => reference[(reference.IndexOf('/', StringComparison.Ordinal) + 1)..];
}
