using System.Text.Json.Nodes;
using PrecisionMed.Core.Fhir;
using PrecisionMed.Core.Formats.Fhir;
using PrecisionMed.Core.Knowledge.Enrichment;
using PrecisionMed.Core.LabReports;
using PrecisionMed.Core.Pipeline.Arrival;
using PrecisionMed.Core.Pipeline.Work;
using PrecisionMed.Testing.Validation;
using Xunit;

namespace PrecisionMed.Validation.Tests.Fhir;

/// <summary>
/// A lab's own FHIR bundle is enriched like HL7 v2 and VCF reports: the seed store's implications for its Variants and
/// Genotypes are added, derived from the lab's resources and told apart as ours, while the lab's resources (its
/// DiagnosticReport's results included) stay exactly as the un-enriched pass-through writes them. The IG's example
/// bundles are the lab files.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class FhirBundleEnrichmentTests
{
    private const string LabId = "lab-a";
    private const string StoreVersion = "PrecisionMed knowledge store version";

    private static readonly DateTimeOffset ReceivedAt = new(2026, 3, 14, 9, 30, 0, TimeSpan.Zero);

    public static TheoryData<string> Examples =>
        [.. Directory.GetFiles(Folder, "*.json").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];

    private static string Folder => Path.Combine(AppContext.BaseDirectory, "TestData", "fhir", "ig-examples");

    [Fact]
    public async Task BuildUnit_Cgexample_AddsTheStoresDiagnosticAndTherapeuticImplicationsDerivedFromTheLabsResources()
    {
        var enriched = Resources(await BuildAsync("Bundle-bundle-cgexample.json", enrich: true));
        var plain = Resources(await BuildAsync("Bundle-bundle-cgexample.json", enrich: false));

        var ours = Ours(enriched);
        var acad9 = Assert.Single(ours, r => Profile(r) == "diagnostic-implication");
        var therapeutic = ours.Where(r => Profile(r) == "therapeutic-implication").ToList();
        var cyp2c9 = Assert.Single(therapeutic, t => t.ToJsonString().Contains("\"11289\"", StringComparison.Ordinal) && t.ToJsonString().Contains("DPWG", StringComparison.Ordinal));

        // The ACAD9 variant's ClinVar classification, derived from the lab's Variant; the lab's Pathogenic agrees.
        var variant = Derived(enriched, acad9);
        Assert.Equal("variant", Profile(variant));
        Assert.Contains(variant["component"]!.AsArray(), c => (string?)c!["valueCodeableConcept"]?["coding"]?[0]?["code"] == "30880");
        Assert.Contains("LA6668-3", acad9.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains(acad9["extension"]!.AsArray(), e => ((string?)e!["valueRelatedArtifact"]?["url"])?.StartsWith("https://www.ncbi.nlm.nih.gov/clinvar/", StringComparison.Ordinal) == true);

        // CPIC's phenotype for the lab's CYP2C9 *2/*5 Genotype, with the disagreement with the lab's "Rapid metabolizer"
        // noted on DPWG's warfarin recommendation (the lab's implication is about warfarin).
        var genotype = Derived(enriched, cyp2c9);
        Assert.Equal("genotype", Profile(genotype));
        Assert.Contains("LA10317-8", cyp2c9.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("the lab reported 'Rapid metabolizer'", (string?)cyp2c9["note"]?[0]?["text"], StringComparison.Ordinal);

        // Ours are about the lab's patient, and written, but not added to the lab's report.
        Assert.All(ours, o => Assert.True(JsonNode.DeepEquals(variant["subject"], o["subject"])));
        var tasks = enriched.Count(r => (string?)r["resourceType"] == "Task") - plain.Count(r => (string?)r["resourceType"] == "Task");
        Assert.Equal(plain.Count + ours.Count + tasks, enriched.Count); // and a Task for each recommendation that changes prescribing
        var provenance = enriched.Single(r => (string?)r["resourceType"] == "Provenance");
        Assert.All(ours, o => Assert.Contains(provenance["target"]!.AsArray(), t => (string?)t!["reference"] == $"Observation/{o["id"]}"));
        Assert.Contains(provenance["entity"]!.AsArray(), e => (string?)e!["what"]?["identifier"]?["system"] == "urn:precisionmed:knowledge-version");
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task BuildUnit_IgExample_LabsResourcesUnchangedAndOursValidate(string file)
    {
        var enrichedTransaction = await BuildAsync(file, enrich: true);
        var enriched = Resources(enrichedTransaction);
        var plain = Resources(await BuildAsync(file, enrich: false));

        // Every resource of the lab, the DiagnosticReport with its results included, exactly as the pass-through writes it.
        var byKey = enriched.ToDictionary(Key);
        foreach (var resource in plain.Where(r => (string?)r["resourceType"] != "Provenance"))
            Assert.True(JsonNode.DeepEquals(resource, byKey.GetValueOrDefault(Key(resource))), $"{file}: {Key(resource)} changed");

        // What was added is ours: the store's implications, and the Tasks of their recommendations.
        var ours = Ours(enriched);
        var added = enriched.Where(r => !plain.Any(p => Key(p) == Key(r))).ToList();
        Assert.Equal(added.Count, ours.Count + added.Count(r => (string?)r["resourceType"] == "Task"));
        Assert.Equal(plain.Count + added.Count, enriched.Count);
        Assert.All(added, o => Assert.Empty(FhirProfileValidator.Shared.Validate(o.ToJsonString()).Errors));
        Assert.All(ours, o => Assert.NotEmpty(o["derivedFrom"]!.AsArray()));
        Assert.All(ours, o => Assert.All(o["derivedFrom"]!.AsArray(), d => Assert.Contains((string)d!["reference"]!, byKey.Keys)));
        var provenance = enriched.SingleOrDefault(r => (string?)r["resourceType"] == "Provenance");
        if (provenance is not null) Assert.Empty(FhirProfileValidator.Shared.Validate(provenance.ToJsonString()).Errors);
        Assert.Equal(enrichedTransaction.OwnedReferences.Count, enrichedTransaction.OwnedReferences.Distinct().Count());
    }

    [Theory]
    [InlineData("Bundle-bundle-cgexample.json")]
    [InlineData("Bundle-bundle-pgxexample.json")]
    [InlineData("Bundle-bundle-CYP2C19.json")]
    public async Task BuildUnit_SameBundleTwice_SameResources(string file)
    {
        var first = await BuildAsync(file, enrich: true);
        var second = await BuildAsync(file, enrich: true);

        Assert.Equal(first.Bundles.Count, second.Bundles.Count);
        for (var i = 0; i < first.Bundles.Count; i++) Assert.True(JsonNode.DeepEquals(first.Bundles[i], second.Bundles[i]));
        Assert.Equal(first.OwnedReferences, second.OwnedReferences);
    }

    [Fact]
    public async Task BuildUnit_Pgxexample_AllelesTheSeedDoesNotDefine_NothingAddedAndSaysWhy()
    {
        var transaction = await BuildAsync("Bundle-bundle-pgxexample.json", enrich: true);

        Assert.Empty(Ours(Resources(transaction)));
        Assert.Contains(transaction.Skipped, s => s.Position.Field == "84413-4" && s.Reason.Contains("CYP2C9 *35B is not an allele of CYP2C9", StringComparison.Ordinal));
    }

    /// <summary>
    /// pgxexample with the genotype CYP2C19 *2/*2 instead of CYP2C9 *4/*35B: CPIC's poor metabolizer, and for clopidogrel
    /// a recommendation, which comes with its MedicationRecommendation Task about the lab's patient.
    /// </summary>
    [Fact]
    public async Task BuildUnit_GenotypeWithCpicGuidance_ImplicationPerDrugAndTheRecommendationsTask()
    {
        var bundle = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(Folder, "Bundle-bundle-pgxexample.json"), TestContext.Current.CancellationToken))!;
        var genotype = bundle["entry"]!.AsArray().Select(e => e!["resource"]!).Single(r => (string?)r["id"] == "genotype-pgx-example");
        genotype["valueCodeableConcept"] = new JsonObject { ["text"] = "CYP2C19 *2/*2" };
        var bytes = System.Text.Encoding.UTF8.GetBytes(bundle.ToJsonString());

        var resources = Resources(await BuildAsync("cyp2c19-star2.json", enrich: true, bytes));

        var ours = Ours(resources);
        Assert.NotEmpty(ours);
        var genotypeKey = Key(resources.Single(r => Profile(r) == "genotype"));
        Assert.All(ours, o => Assert.Equal(genotypeKey, (string?)Assert.Single(o["derivedFrom"]!.AsArray())!["reference"]));
        Assert.All(ours, o => Assert.Contains("LA9657-3", o.ToJsonString(), StringComparison.Ordinal)); // poor metabolizer
        // CPIC's three clopidogrel populations, then DPWG's; CPIC's first (ACS/PCI, Strong) asks for an alternative.
        var clopidogrel = ours.First(o => o.ToJsonString().Contains("\"32968\"", StringComparison.Ordinal));
        Assert.Equal(4, ours.Count(o => o.ToJsonString().Contains("\"32968\"", StringComparison.Ordinal)));
        var task = Assert.Single(resources, r => (string?)r["resourceType"] == "Task" && (string?)r["reasonReference"]?["reference"] == Key(clopidogrel));
        Assert.Equal("medication-recommendation", Profile(task));
        Assert.True(JsonNode.DeepEquals(clopidogrel["subject"], task["for"]));
        Assert.All([.. ours, task], r => Assert.Empty(FhirProfileValidator.Shared.Validate(r.ToJsonString()).Errors));
    }

    private static async Task<ReportTransaction> BuildAsync(string file, bool enrich, byte[]? content = null)
    {
        var bytes = content ?? await File.ReadAllBytesAsync(Path.Combine(Folder, file), TestContext.Current.CancellationToken);
        OpenLabFile open = _ => Task.FromResult<Stream>(new MemoryStream(bytes, writable: false));
        var intake = new LabFileIntake([new FhirBundleFormat()], enrich ? new ReportUnitBuilder(ReportEnricher.WithEmbeddedSeed()) : new ReportUnitBuilder());
        var plan = await intake.PlanAsync(open, TestContext.Current.CancellationToken);
        var provenance = new ReportProvenance(LabId, $"incoming/{LabId}/{file}", plan.ContentHash, file, 0, plan.UnitCount, ReceivedAt, "test");
        return await intake.BuildUnitAsync(open, provenance, TestContext.Current.CancellationToken);
    }

    private static List<JsonObject> Resources(ReportTransaction transaction) =>
        [.. transaction.Bundles.SelectMany(b => b["entry"]!.AsArray()).Select(e => e!["resource"]!.AsObject()).DistinctBy(Key)];

    /// <summary>The store's implications: their conclusion names the store's version, as in HL7 v2 reports.</summary>
    private static List<JsonObject> Ours(IEnumerable<JsonObject> resources) =>
        [.. resources.Where(r => Profile(r).EndsWith("implication", StringComparison.Ordinal)
            && (r["component"]?.AsArray() ?? []).Any(c => ((string?)c!["valueString"])?.Contains(StoreVersion, StringComparison.Ordinal) == true))];

    private static JsonObject Derived(List<JsonObject> resources, JsonObject implication) =>
        resources.Single(r => Key(r) == (string?)Assert.Single(implication["derivedFrom"]!.AsArray())!["reference"]);

    private static string Key(JsonObject resource) => $"{resource["resourceType"]}/{resource["id"] ?? resource.ToJsonString()}";

    private static string Profile(JsonObject resource) => ((string?)resource["meta"]?["profile"]?[0])?.Split('/')[^1] ?? string.Empty;
}
