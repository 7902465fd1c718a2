using PrecisionMed.Core.Knowledge;
using PrecisionMed.Core.Knowledge.Import;
using Xunit;

namespace PrecisionMed.Adapters.Tests.Knowledge;

/// <summary>
/// The knowledge store contract, run against each implementation: the in-process store the embedded seed uses and
/// Cosmos DB on the emulator server. Each test gets a store of its own.
/// </summary>
public abstract class KnowledgeStoreContract
{
    protected abstract Task<(IKnowledgeStore Store, IKnowledgeWriter Writer)> CreateAsync(CancellationToken cancellationToken);

    /// <summary>One document of every kind, with lists, nulls and characters ids must escape.</summary>
    public static IReadOnlyList<KnowledgeDocument> EveryKind { get; } =
    [
        new GeneDocument("HGNC:2621", "CYP2C19", "cytochrome P450 family 2 subfamily C member 19", "protein-coding gene", "10q23.33", ["CPCJ"], [], "1557", "ENSG00000165841", ["NM_000769"]),
        new GeneSymbolDocument("CPCJ", [new GeneSymbolTarget("HGNC:2621", "CYP2C19", GeneSymbolTarget.Alias)]),
        new VariantDocument(new VariantLocation("GRCh38", "10", 94781859, "G", "A"), Classification()),
        new VariantHgvsDocument("NM_000769.4:c.681G>A", Classification()),
        new VariantHgvsDocument("NM_1.1:c.1A>G/odd#key?", Classification()),
        new AlleleFunctionDocument("CYP2C19", "*2", "No function", null, "CPIC"),
        new DiplotypePhenotypeDocument("CYP2C19", "*1/*2", "Intermediate Metabolizer", null, "CPIC"),
        new AlleleDefinitionDocument("CYP2C19", "GRCh38", "10", "NC_000010.11",
            [new AlleleDefinitionPosition(94781859, "rs4244285", "G", ["A"])], [new NamedAlleleDefinition("*2", false, ["A"]), new NamedAlleleDefinition("*1", true, [null])], "PharmCAT"),
        new GuidelineSetDocument(
            ["CYP2C19", "CYP2D6"],
            [new GuidelineEntry("CPIC", "PA166105006", "Annotation of CPIC Guideline for amitriptyline and CYP2C19, CYP2D6", "https://www.pharmgkb.org/guidelineAnnotation/PA166105006", "58",
                [new GuidelineDrug("amitriptyline", "PA448385")],
                [new GuidelineRecommendation("PA166297055", "PA448385", [new GuidelineLookupKey("CYP2C19", "Rapid Metabolizer"), new GuidelineLookupKey("CYP2D6", "0.5")],
                    0, "Optional", [1], "general", PrescribingChange.Dosing | PrescribingChange.AlternateDrug)])],
            ["Consider alternative drug not metabolized by CYP2C19.", "CYP2C19: Increased metabolism"]),
        new GuidelineIndexDocument([new GuidelineGeneSet(["CYP2C19", "CYP2D6"], ["amitriptyline"])]),
        new DrugTableDocument([new DrugCodes("RxNorm:190521", "abacavir", "PA448004", "190521", "DB01048", ["J05AF06"])]),
        new CdsAlertDocument("clopidogrel", [new CdsAlert("post-test", ["CYP2C19 Phenotype: CYP2C19 poor metabolizer"], "Avoid clopidogrel if possible.", null, "clopidogrel/alerts.tsv")]),
        new RxNormDrugDocument("309362", "SCD", "clopidogrel 75 MG Oral Tablet", [new RxNormIngredient("32968", "clopidogrel")]),
        new LabCodeDocument("lab-a", "L", "GENE", "48018-6", "Gene studied"),
        new LabProfileDocument("lab-a", "Lab A", "GRCh38", "germline", "urn:oid:1.2.3", ["hl7v2"]),
        new KnowledgeVersionDocument("kv-1", [new KnowledgeSourceStamp("hgnc", "hgnc.txt", "abc", 3)]),
        new Core.Knowledge.Diff.ClassificationInventoryDocument("clinvar:GRCh37", "2019-09-15", [new Core.Knowledge.Diff.InventoryBucketHash("0a1", "abc")]),
        new Core.Knowledge.Diff.ClassificationBucketDocument("clinvar:GRCh37", "0a1",
            [new Core.Knowledge.Diff.ClassificationRecord("183381", "Benign", "reviewed by expert panel", "2019-09-15", ["ISG15"], ["GRCh37:1:949523:C:T"], [])]),
        new Core.Knowledge.Diff.KnowledgeDiffDocument("kd-1", "clinvar", "clinvar.vcf.gz", "kv-0", "kv-1", "2026-12-07T01:00:00Z", false, 0, 1, 0,
            new Core.Knowledge.Diff.ImpactCounts(1, 0, 0, 0), 1),
        new Core.Knowledge.Diff.KnowledgeDiffPageDocument("kd-1", 0,
            [new Core.Knowledge.Diff.KnowledgeChange("classification", "183381", Core.Knowledge.Diff.ChangeKind.Changed, Core.Knowledge.Diff.ClinicalImpact.Major,
                "Pathogenic", null, "2019-08-05", "Benign", "reviewed by expert panel", "2019-09-15", ["ISG15"], ["GRCh37:1:949523:C:T"], [])]),
        new Core.Knowledge.Diff.KnowledgeDiffLogDocument([new Core.Knowledge.Diff.KnowledgeDiffLogEntry("kd-1", "clinvar", "kv-0", "kv-1", "2026-12-07T01:00:00Z", new Core.Knowledge.Diff.ImpactCounts(1, 0, 0, 0))]),
    ];

    private static VariantClassification Classification() => new(
        "ClinVar", "16897", "NM_000769.4(CYP2C19):c.681G>A (p.Pro227=)", ["CYP2C19"], ["HGNC:2621"], "drug response", null,
        [new VariantCondition("clopidogrel response", [])], null, "rs4244285", "germline");

    [Fact]
    public async Task Delete_StoredAndMissing_GoneThenFalse()
    {
        var ct = TestContext.Current.CancellationToken;
        var (store, writer) = await CreateAsync(ct);
        var document = EveryKind[2];
        await writer.UpsertAsync(document, ct);

        Assert.True(await writer.DeleteAsync(document.Id, ct));
        Assert.Null(await store.ReadAsync(document.Id, ct));
        Assert.False(await writer.DeleteAsync(document.Id, ct));
    }

    [Fact]
    public async Task UpsertThenRead_EveryKind_RoundTripsWhole()
    {
        var ct = TestContext.Current.CancellationToken;
        var (store, writer) = await CreateAsync(ct);
        foreach (var document in EveryKind) Assert.True(await writer.UpsertAsync(document, ct), document.Id);

        foreach (var document in EveryKind)
        {
            var read = await store.ReadAsync(document.Id, ct);
            Assert.NotNull(read);
            Assert.Equal(document.GetType(), read.GetType());
            Assert.Equal(KnowledgeJson.ContentHash(document), KnowledgeJson.ContentHash(read));
        }
    }

    [Fact]
    public async Task Upsert_SameContentAgain_WritesNothing_ChangedContent_Replaces()
    {
        var ct = TestContext.Current.CancellationToken;
        var (store, writer) = await CreateAsync(ct);
        var gene = (GeneDocument)EveryKind[0];

        Assert.True(await writer.UpsertAsync(gene, ct));
        Assert.False(await writer.UpsertAsync(gene with { Aliases = ["CPCJ"] }, ct));
        Assert.True(await writer.UpsertAsync(gene with { Location = "10q24" }, ct));
        Assert.Equal("10q24", ((GeneDocument?)await store.ReadAsync(gene.Id, ct))?.Location);
    }

    [Fact]
    public async Task Read_Missing_ReturnsNull()
    {
        var ct = TestContext.Current.CancellationToken;
        var (store, _) = await CreateAsync(ct);
        Assert.Null(await store.ReadAsync(KnowledgeIds.Gene("HGNC:999999"), ct));
    }

    [Theory]
    [MemberData(nameof(SeedFiles))]
    public async Task Import_SeedSliceTwice_SecondWritesNothing_LookupReturnsTheFile(string file)
    {
        var ct = TestContext.Current.CancellationToken;
        var (store, writer) = await CreateAsync(ct);
        var source = EmbeddedKnowledgeSeed.Files.Single(f => f.File == file).Source;
        var importer = new KnowledgeImporter(store, writer);

        var first = await EmbeddedKnowledgeSeed.ImportAsync(importer, source, file, cancellationToken: ct);
        var second = await EmbeddedKnowledgeSeed.ImportAsync(importer, source, file, cancellationToken: ct);

        Assert.True(first.Written > 0);
        Assert.Equal(0, first.Diagnostics.Count);
        Assert.Equal(first.Documents, second.Documents);
        Assert.Equal(0, second.Written);
        Assert.False(second.VersionWritten);
        Assert.Equal(first.Version, ((KnowledgeVersionDocument?)await store.ReadAsync(KnowledgeIds.Version, ct))?.Version);
        await AssertLookupAsync(store, source, file, ct);
    }

    private sealed record PhenotypeFacts(string Gene, string Diplotype, string Phenotype, string? Score, string Allele, string Function, string? Activity);

    public static TheoryData<string> SeedFiles => new(EmbeddedKnowledgeSeed.Files.Select(f => f.File));

    /// <summary>One fact each slice states, read back through the cached lookup enrichment uses.</summary>
    private static async Task AssertLookupAsync(IKnowledgeStore store, KnowledgeSource source, string file, CancellationToken ct)
    {
        using var lookup = new KnowledgeLookup(store, Microsoft.Extensions.Options.Options.Create(new KnowledgeOptions()), TimeProvider.System);
        switch (source)
        {
            case KnowledgeSource.Hgnc:
                Assert.Equal("BRCA1", (await lookup.FindSymbolAsync("RNF53", ct))?.Resolve()?.ApprovedSymbol);
                Assert.Equal("17q21.31", (await lookup.FindGeneAsync("HGNC:1100", ct))?.Location);
                break;
            case KnowledgeSource.ClinVar:
                var acad9 = await lookup.FindVariantAsync(new VariantLocation("GRCh38", "chr3", 128906220, "C", "T"), ct);
                Assert.Equal(("30880", "Pathogenic"), (acad9?.VariationId, acad9?.Significance));
                Assert.Equal("Uncertain significance", (await lookup.FindVariantByHgvsAsync("NM_014630.3:c.3136G>A", ct))?.Significance);
                break;
            case KnowledgeSource.PharmCatPhenotype:
                // Each phenotype file's gene: one diplotype (written in the other order, as labs do) with the phenotype
                // and activity score the file gives it, one named allele with its function and activity value.
                PhenotypeFacts? expected = file switch
                {
                    _ when file.Contains("CYP2C19", StringComparison.Ordinal) =>
                        new("CYP2C19", "*17/*2", "Intermediate Metabolizer", null, "*17", "Increased function", null),
                    _ when file.Contains("CYP3A5", StringComparison.Ordinal) => new("CYP3A5", "*3/*3", "Poor Metabolizer", null, "*3", "No function", null),
                    _ when file.Contains("VKORC1", StringComparison.Ordinal) =>
                        new("VKORC1", "rs9923231 variant (T)/rs9923231 reference (C)", "-1639 AG", null, "rs9923231 variant (T)", "Higher coumarin sensitivity", null),
                    _ when file.Contains("CYP2C9", StringComparison.Ordinal) => new("CYP2C9", "*5/*2", "Intermediate Metabolizer", "1.0", "*5", "Decreased function", "0.5"),
                    _ => null,
                };
                if (expected is null)
                {
                    // Any other gene's file: its first diplotype, as the file states it.
                    using var json = System.Text.Json.JsonDocument.Parse(EmbeddedKnowledgeSeed.Open(file));
                    if (!json.RootElement.TryGetProperty("diplotypes", out var rows) || rows.GetArrayLength() == 0) break;
                    var row = rows[0];
                    var found = await lookup.FindPhenotypeAsync(json.RootElement.GetProperty("gene").GetString()!, row.GetProperty("diplotype").GetString()!, ct);
                    Assert.Equal(row.GetProperty("generesult").GetString(), found?.Phenotype);
                    break;
                }

                var diplotype = await lookup.FindPhenotypeAsync(expected.Gene, expected.Diplotype, ct);
                Assert.Equal((expected.Phenotype, expected.Score), (diplotype?.Phenotype, diplotype?.ActivityScore));
                var allele = await lookup.FindAlleleFunctionAsync(expected.Gene, expected.Allele, ct);
                Assert.Equal((expected.Function, expected.Activity), (allele?.Function, allele?.ActivityValue));
                break;
            case KnowledgeSource.PharmCatAlleles:
                // Each translation file defines one gene (GENE_translation.json), VKORC1 at rs9923231 alone.
                var gene = Path.GetFileName(file).Split('_')[0];
                var definitions = await lookup.FindAlleleDefinitionsAsync(gene, ct);
                Assert.NotEmpty(definitions!.Positions);
                if (gene == "VKORC1") Assert.Equal(31096368, Assert.Single(definitions.Positions).Position);
                break;
            case KnowledgeSource.PharmCatGuidelines:
                var tacrolimus = (await lookup.FindGuidelinesAsync(["CYP3A5"], ct))?.Guidelines.First(g => g.Drugs.Any(d => d.Name == "tacrolimus"));
                Assert.Equal("CPIC", tacrolimus?.Source);
                Assert.Contains(tacrolimus!.Recommendations, r => r.LookupKey.Single().Value == "Poor Metabolizer");
                Assert.Contains((await lookup.FindGuidelineIndexAsync(ct))!.GeneSets, s => s.Genes.SequenceEqual(["CYP2C19", "CYP2D6"]));
                break;
            case KnowledgeSource.CpicDrugs:
                Assert.Equal("42316", (await lookup.FindDrugTableAsync(ct))?.Drugs.Single(d => d.Name == "tacrolimus").RxNorm);
                break;
            case KnowledgeSource.CpicAlerts:
                Assert.Contains((await lookup.FindCdsAlertsAsync("clopidogrel", ct))!.Alerts, a => a.Context == "pre-test");
                break;
            case KnowledgeSource.LabProfiles:
                Assert.Equal("48018-6", (await lookup.FindLabCodeAsync("example-lab", "GENE", ct))?.Loinc);
                Assert.Equal("GRCh38", (await lookup.FindLabProfileAsync("example-lab", ct))?.GenomeBuild);
                break;
            default:
                Assert.Fail($"no lookup check for {source}");
                break;
        }
    }
}

/// <summary>The contract on the in-process store (what the embedded seed is loaded into).</summary>
[Trait("Tier", "Fast")]
public sealed class InMemoryKnowledgeStoreContractTests : KnowledgeStoreContract
{
    protected override Task<(IKnowledgeStore Store, IKnowledgeWriter Writer)> CreateAsync(CancellationToken cancellationToken)
    {
        var store = new InMemoryKnowledgeStore();
        return Task.FromResult<(IKnowledgeStore, IKnowledgeWriter)>((store, store));
    }
}
