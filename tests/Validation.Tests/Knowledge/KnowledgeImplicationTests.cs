using System.Text.Json.Nodes;
using PrecisionMed.Core.Fhir.Genomics;
using PrecisionMed.Core.Knowledge.Enrichment;
using PrecisionMed.Core.LabReports;
using PrecisionMed.Testing.Validation;
using PrecisionMed.Validation.Tests.Genomics;
using PrecisionMed.Validation.Tests.Hl7v2;
using Xunit;

namespace PrecisionMed.Validation.Tests.Knowledge;

/// <summary>
/// The pipeline's own implications (derived from the knowledge store, told apart by their citation) for IG example
/// content encoded as HL7 v2: they carry the IG example's significance, phenotype and medication codes. (That every
/// produced resource validates is <see cref="Hl7v2OutputValidationTests"/>, which runs the enriched pipeline.)
/// </summary>
[Trait("Tier", "Fast")]
public sealed class KnowledgeImplicationTests
{
    private const string ClinVarCitation = "https://www.ncbi.nlm.nih.gov/clinvar/";
    private const string GuidelineCitation = "https://www.pharmgkb.org/guidelineAnnotation/";

    [Fact]
    public async Task Cgexample_StoreDiagnosticImplication_HasTheIgExamplesSignificanceAndPhenotype()
    {
        var ours = Implications(await Hl7v2Pipeline.RunAsync("authored/germline_from_cgexample.hl7", TestContext.Current.CancellationToken), ClinVarCitation);
        var ig = IgExampleResources("Bundle-bundle-cgexample.json")
            .Where(r => Profile(r).EndsWith("diagnostic-implication", StringComparison.Ordinal))
            .Single(r => r.ToJsonString().Contains("MONDO", StringComparison.Ordinal));

        var store = Assert.Single(ours);
        Assert.Equal(Codes(ig, "53037-8"), Codes(store, "53037-8"));
        Assert.Equal(Codes(ig, "81259-4"), Codes(store, "81259-4"));
        Assert.Contains("LA6668-3", Codes(store, "53037-8"));
    }

    [Fact]
    public async Task OncologyDiagnosticBraf_StoreDiagnosticImplication_HasTheIgExamplesSignificance()
    {
        var ours = Implications(await Hl7v2Pipeline.RunAsync("authored/somatic_braf_from_oncology_diagnostic.hl7", TestContext.Current.CancellationToken), ClinVarCitation);
        var ig = IgExampleResources("Bundle-bundle-oncology-diagnostic.json").Single(r => Profile(r).EndsWith("diagnostic-implication", StringComparison.Ordinal));

        // Found by the g.HGVS alone (the IG's Variant gives no coordinates), as ClinVar's BRAF V600E record.
        var store = Assert.Single(ours);
        Assert.Equal(Codes(ig, "53037-8"), Codes(store, "53037-8"));
        Assert.Contains("LA6668-3", Codes(store, "53037-8"));
        Assert.Contains(store["extension"]!.AsArray(), e => ((string?)e!["valueRelatedArtifact"]?["url"])?.EndsWith("/variation/13961/", StringComparison.Ordinal) == true);
        Assert.Null(store["note"]); // the lab's Pathogenic agrees
    }

    [Fact]
    public async Task CorrectedGermline_LabDisagrees_StoreImplicationNotesIt()
    {
        var ours = Implications(await Hl7v2Pipeline.RunAsync("authored/corrected_germline.hl7", TestContext.Current.CancellationToken), ClinVarCitation);
        var note = (string?)Assert.Single(ours)["note"]?[0]?["text"];
        Assert.Contains("Likely pathogenic", note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BatchCyp2c19_StoreTherapeuticImplication_ClopidogrelPoorMetabolizer()
    {
        var units = await Hl7v2Pipeline.RunAsync("authored/batch_three_messages.hl7", TestContext.Current.CancellationToken);
        var ours = Implications([units[2]], GuidelineCitation);
        Assert.All(ours, o => Assert.Contains("LA9657-3", Codes(o, "therapeutic-implication")));
        var clopidogrel = ours.Where(o => Codes(o, "51963-7").Contains("32968")).ToList();
        Assert.Equal(4, clopidogrel.Count); // CPIC's three populations and DPWG's
        Assert.All(ours, o => Assert.Empty(Errors(o)));
        var provenance = units[2].Bundles[^1]["entry"]!.AsArray().Select(e => e!["resource"]!).Single(r => (string?)r["resourceType"] == "Provenance");
        Assert.Contains(provenance["entity"]!.AsArray(), e => (string?)e!["what"]!["identifier"]!["system"] == "urn:precisionmed:knowledge-version");
    }

    [Fact]
    public async Task BatchBrca1_StoreDiagnosticImplication_ReviewStatusAsClinVarStarsWithCitation()
    {
        var units = await Hl7v2Pipeline.RunAsync("authored/batch_three_messages.hl7", TestContext.Current.CancellationToken);
        var store = Assert.Single(Implications([units[0]], ClinVarCitation));

        // ClinVar "reviewed by expert panel" is its 3-star rating, in the IG's ClinVar evidence-level code system.
        var evidence = Component(store, "93044-6")!;
        Assert.Equal("ClinVar review status: reviewed by expert panel", (string?)evidence["valueCodeableConcept"]!["text"]);
        Assert.Equal(["3-star"], Codes(store, "93044-6"));
        Assert.Equal(EvidenceLevelSystem, (string?)evidence["valueCodeableConcept"]!["coding"]![0]!["system"]);
        Assert.Contains(store["extension"]!.AsArray(), e => (string?)e!["valueRelatedArtifact"]?["url"] == "https://www.ncbi.nlm.nih.gov/clinvar/variation/17677/");
        Assert.Empty(Errors(store));
    }

    [Fact]
    public async Task StoreVariantWithLastEvaluated_DiagnosticImplicationStatesStarsDateAndCitation_Validates()
    {
        var ct = TestContext.Current.CancellationToken;
        var sample = SampleLabReports.All["germline"];
        VariantFinding foxred1 = new(
            "2.2",
            VariantAssessment.Present,
            [
                new(Coding.LoincCode("48013-7"), new TextValue("NC_000011.10")),
                new(Coding.LoincCode("81254-5"), new RangeValue(126275389, 126275389)),
                new(Coding.LoincCode("69547-8"), new TextValue("C")),
                new(Coding.LoincCode("69551-0"), new TextValue("T")),
            ]);
        var report = await ReportEnricher.WithEmbeddedSeed().EnrichAsync(sample with { Variants = [.. sample.Variants, foxred1] }, "lab-a", ct);

        using var transaction = GenomicReportBuilder.Build(report, SampleLabReports.Provenance);
        var store = Assert.Single(Implications([transaction], ClinVarCitation));

        // The seed's FOXRED1 c.694C>T row: "criteria provided, multiple submitters, no conflicts" (2 stars), last evaluated Aug 17, 2025.
        Assert.Equal(["2-star"], Codes(store, "93044-6"));
        Assert.Equal(["LA6668-3"], Codes(store, "53037-8"));
        Assert.Contains(", last evaluated Aug 17, 2025 (variation 5;", (string?)Component(store, "conclusion-string")!["valueString"], StringComparison.Ordinal);
        Assert.Contains(store["extension"]!.AsArray(), e => (string?)e!["valueRelatedArtifact"]?["url"] == "https://www.ncbi.nlm.nih.gov/clinvar/variation/5/");
        Assert.Empty(Errors(store));
    }

    /// <summary>
    /// The IG's two PGx examples are illustrative, and clinically wrong by CPIC. CPIC has no "rapid metabolizer" for
    /// CYP2C9 at all (Normal, Intermediate, Poor only). In cgexample, CYP2C9 *2/*5 is two decreased-function alleles
    /// of activity value 0.5 each: activity score 1.0, which CPIC calls an Intermediate Metabolizer (0 and 0.5 are Poor,
    /// 1.0 and 1.5 Intermediate, 2.0 Normal), while the IG says "Rapid metabolizer" (and warfarin "Resistant", "Low
    /// risk", "Increase dose"). So the pipeline keeps the lab's implication exactly as the lab sent it, adds the store's
    /// own (CPIC's Intermediate Metabolizer, with the disagreement in its note) and copies nothing of the IG's. The seed
    /// has no CYP2C9 recommendation, so the store's implication states the phenotype and names no drug.
    /// </summary>
    [Fact]
    public async Task Cgexample_Cyp2c9Star2Star5_LabsRapidMetabolizerKept_StoreSaysCpicIntermediateAndNotesTheDisagreement()
    {
        var units = await Hl7v2Pipeline.RunAsync("authored/germline_from_cgexample.hl7", TestContext.Current.CancellationToken);
        var resources = units.SelectMany(u => u.Bundles).SelectMany(Hl7v2Pipeline.Resources).ToList();
        var therapeutic = resources.Where(r => Profile(r).EndsWith("therapeutic-implication", StringComparison.Ordinal)).ToList();
        var store = therapeutic.Where(FromTheStore).ToList();
        var lab = therapeutic.Except(store).ToList();
        var ig = IgExampleResources("Bundle-bundle-cgexample.json").Where(r => Profile(r).EndsWith("therapeutic-implication", StringComparison.Ordinal)).ToList();

        // The lab's: the IG example's codes, as sent (warfarin; rapid metabolizer, resistant, low risk).
        Assert.Equal(Union(ig, "51963-7"), Union(lab, "51963-7"));
        Assert.Equal(Union(ig, "therapeutic-implication"), Union(lab, "therapeutic-implication"));

        // The store's: CPIC's phenotype for *2/*5 (activity score 1.0) in every recommendation CYP2C9 reaches (CPIC's
        // NSAIDs, DPWG's coumarins, ...), each derived from the CYP2C9 genotype alone (the report has no VKORC1 genotype).
        var genotype = resources.Single(r => Profile(r).EndsWith("/genotype", StringComparison.Ordinal) && (string?)r["valueCodeableConcept"]?["text"] == "CYP2C9 *2/*5");
        Assert.NotEmpty(store);
        Assert.All(store, s => Assert.Equal([$"Observation/{genotype["id"]}"], s["derivedFrom"]!.AsArray().Select(d => (string?)d!["reference"])));
        Assert.All(store, s => Assert.Equal(["LA10317-8"], Codes(s, "therapeutic-implication"))); // Intermediate metabolizer, not LA25390-8
        Assert.Contains(store, s => ((string?)Component(s, "conclusion-string")!["valueString"])!.StartsWith("CYP2C9 *2/*5 (Intermediate Metabolizer, activity score 1.0), celecoxib (CPIC)", StringComparison.Ordinal));

        // The lab said "Rapid metabolizer" for warfarin: the store's warfarin implications say they differ; other drugs' do not.
        var warfarin = store.Where(s => Codes(s, "51963-7").Contains("11289")).ToList();
        Assert.NotEmpty(warfarin);
        Assert.All(warfarin, w => Assert.Contains("the lab reported 'Rapid metabolizer'", (string?)w["note"]?[0]?["text"], StringComparison.Ordinal));
        Assert.All(warfarin, w => Assert.Contains("CPIC gives 'Intermediate Metabolizer'", (string?)w["note"]?[0]?["text"], StringComparison.Ordinal));
        Assert.All(store.Except(warfarin), s => Assert.Null(s["note"]));
        Assert.All(therapeutic, t => Assert.Empty(Errors(t)));
    }

    /// <summary>
    /// pgxexample's CYP2C9 *4/*35B: the seed (CPIC's *1, *2, *3, *5, *6, *8, *11) defines neither allele, so the store
    /// gives no phenotype and no implication, and says so; the lab's "Rapid metabolizer" for mercaptopurine (a TPMT and
    /// NUDT15 drug in CPIC, not a CYP2C9 one) is kept as the lab's, and nothing is guessed from it.
    /// </summary>
    [Fact]
    public async Task Pgxexample_Cyp2c9Star4Star35B_AllelesTheSeedDoesNotDefine_NoStoreImplicationLabsKept()
    {
        var units = await Hl7v2Pipeline.RunAsync("authored/pgx_cyp2c9_from_pgxexample.hl7", TestContext.Current.CancellationToken);
        var resources = units.SelectMany(u => u.Bundles).SelectMany(Hl7v2Pipeline.Resources).ToList();
        var implications = resources.Where(r => Profile(r).EndsWith("implication", StringComparison.Ordinal)).ToList();
        var ig = IgExampleResources("Bundle-bundle-pgxexample.json").Single(r => Profile(r).EndsWith("therapeutic-implication", StringComparison.Ordinal));

        Assert.DoesNotContain(implications, FromTheStore);
        var lab = Assert.Single(implications);
        Assert.Equal(Codes(ig, "51963-7"), Codes(lab, "51963-7"));
        Assert.Equal(Codes(ig, "therapeutic-implication"), Codes(lab, "therapeutic-implication"));
        Assert.Null(lab["note"]);
        var skipped = Assert.Single(units[0].Skipped, s => s.Position.Field == "84413-4");
        Assert.Equal("genotype 4a", skipped.Position.Path);
        Assert.Contains("CYP2C9 *35B is not an allele of CYP2C9 in the knowledge store", skipped.Reason, StringComparison.Ordinal); // PharmCAT defines *4, not *35B
    }

    private const string EvidenceLevelSystem = "http://hl7.org/fhir/uv/genomics-reporting/CodeSystem/clinvar-evidence-level-custom-cs";

    /// <summary>An implication the pipeline derived from the knowledge store (its conclusion names the store's version).</summary>
    private static bool FromTheStore(JsonObject implication) =>
        ((string?)Component(implication, "conclusion-string")?["valueString"])?.Contains("PrecisionMed knowledge store version", StringComparison.Ordinal) == true;

    private static List<string> Errors(JsonObject resource) => [.. FhirProfileValidator.Shared.Validate(resource.ToJsonString()).Errors];

    private static JsonObject? Component(JsonObject observation, string componentCode) =>
        (observation["component"]?.AsArray() ?? []).Select(c => c!.AsObject())
            .FirstOrDefault(c => c["code"]!["coding"]!.AsArray().Any(x => (string?)x!["code"] == componentCode));

    private static SortedSet<string> Union(IEnumerable<JsonObject> observations, string componentCode) =>
        new(observations.SelectMany(o => Codes(o, componentCode)), StringComparer.Ordinal);

    private static List<JsonObject> Implications(IEnumerable<Core.Fhir.ReportTransaction> units, string citation) =>
        units.SelectMany(u => u.Bundles).SelectMany(Hl7v2Pipeline.Resources)
            .Where(r => Profile(r).EndsWith("implication", StringComparison.Ordinal)
                && r["extension"]?.AsArray().Any(e => ((string?)e!["valueRelatedArtifact"]?["url"])?.StartsWith(citation, StringComparison.Ordinal) == true) == true)
            .ToList();

    private static IEnumerable<JsonObject> IgExampleResources(string name)
    {
        var bundle = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "fhir", "ig-examples", name)))!;
        return bundle["entry"]!.AsArray().Select(e => e!["resource"]!.AsObject());
    }

    private static string Profile(JsonObject resource) => (string?)resource["meta"]?["profile"]?[0] ?? string.Empty;

    /// <summary>The codes of the component with this code (LOINC or tbd), as a sorted set.</summary>
    private static SortedSet<string> Codes(JsonObject observation, string componentCode) =>
        new((observation["component"]?.AsArray() ?? [])
            .Where(c => c!["code"]!["coding"]!.AsArray().Any(x => (string?)x!["code"] == componentCode))
            .SelectMany(c => c!["valueCodeableConcept"]?["coding"]?.AsArray() ?? [])
            .Select(x => (string?)x!["code"]).OfType<string>(), StringComparer.Ordinal);
}
