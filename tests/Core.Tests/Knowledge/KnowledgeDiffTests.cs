using System.Text.Json.Nodes;
using PrecisionMed.Core.Knowledge;
using PrecisionMed.Core.Knowledge.Diff;
using PrecisionMed.Core.Knowledge.Import;
using PrecisionMed.Core.Tests.Fakes;

namespace PrecisionMed.Core.Tests.Knowledge;

/// <summary>
/// The diff every ClinVar and guideline import records: three real ClinVar VCF releases (2019-08-05, 2019-09-15,
/// 2019-09-25) and the variant_summary pair authored from them, into the in-process store.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class KnowledgeDiffTests
{
    private static readonly TimeProvider Clock = new FixedTimeProvider(new DateTimeOffset(2026, 12, 7, 1, 0, 0, TimeSpan.Zero));

    private static async Task<ImportResult> ImportAsync(InMemoryKnowledgeStore store, string relativePath, ImpactMatrix? matrix = null)
    {
        await using var file = File.OpenRead(TestFiles.PathOf("knowledge/clinvar/" + relativePath));
        return await new KnowledgeImporter(store, store, matrix, Clock).ImportAsync(
            KnowledgeSource.ClinVar, file, Path.GetFileName(relativePath), cancellationToken: TestContext.Current.CancellationToken);
    }

    private static string Line(KnowledgeChange c) => $"{c.Key} {c.Kind} {c.OldValue ?? "-"} -> {c.NewValue ?? "-"} {c.Impact}";

    [Fact]
    public async Task Import_SecondRelease_DiffListsExactlyTheReclassificationsWithTheMatrixImpacts()
    {
        var store = new InMemoryKnowledgeStore();
        var first = await ImportAsync(store, "releases/clinvar_source.vcf.gz");
        var second = await ImportAsync(store, "releases/clinvar_target.vcf.gz");

        Assert.True(first.Diff!.Baseline);
        Assert.Equal(9, first.Diff.Added);
        Assert.Empty(first.Diff.Changes);

        var diff = second.Diff!;
        Assert.False(diff.Baseline);
        Assert.Equal(
            [
                "128215 Changed Uncertain significance -> Pathogenic Major",
                "135992 Changed Conflicting interpretations of pathogenicity -> Pathogenic Major",
                "183381 Changed Pathogenic -> Benign Major",
                "36580 Changed Conflicting interpretations of pathogenicity -> Pathogenic Major",
                "475282 Added - -> Likely benign None",
                "90109 Changed Pathogenic -> Pathogenic None",
                "9994 Added - -> Pathogenic None",
            ],
            diff.Changes.Select(Line).Order(StringComparer.Ordinal));
        Assert.Equal(new ImpactCounts(4, 0, 0, 3), diff.Impacts);
        Assert.Equal(first.Version, diff.FromVersion);
        Assert.Equal(second.Version, diff.ToVersion);

        var isg15 = diff.Changes.Single(c => c.Key == "183381");
        Assert.Equal(("2019-08-05", "2019-09-15"), (isg15.OldDate, isg15.NewDate));
        Assert.Equal(("no assertion criteria provided", "reviewed by expert panel"), (isg15.OldReviewStatus, isg15.NewReviewStatus));
        Assert.Equal(["GRCh37:1:949523:C:T"], isg15.Locations);
        Assert.Equal(["ISG15"], isg15.Genes);

        // Stored with the version: header, page, log entry.
        var ct = TestContext.Current.CancellationToken;
        var header = (KnowledgeDiffDocument?)await store.ReadAsync(KnowledgeDiffDocument.IdOf(diff.Id), ct);
        Assert.Equal((second.Version, 1, "2026-12-07T01:00:00Z"), (header?.ToVersion, header?.Pages, header?.CreatedAt));
        var page = (KnowledgeDiffPageDocument?)await store.ReadAsync(KnowledgeDiffDocument.PageId(diff.Id, 0), ct);
        Assert.Equal(7, page?.Changes.Count);
        var log = (KnowledgeDiffLogDocument?)await store.ReadAsync(KnowledgeDiffLogDocument.LogId, ct);
        Assert.Equal([first.Diff.Id, diff.Id], log!.Diffs.Select(d => d.DiffId));
    }

    [Fact]
    public async Task Import_ReleaseThatLostVariants_RemovalsWarnForPathogenicAndTheirDocumentsGo()
    {
        var store = new InMemoryKnowledgeStore();
        await ImportAsync(store, "releases/clinvar_source.vcf.gz");
        await ImportAsync(store, "releases/clinvar_target.vcf.gz");
        var lost = await ImportAsync(store, "releases/clinvar_target_with_lost_variants.vcf.gz");

        Assert.Equal(
            ["92921 Removed Benign -> - Minor", "9994 Removed Pathogenic -> - Warning"],
            lost.Diff!.Changes.Select(Line).Order(StringComparer.Ordinal));
        Assert.Equal("2019-09-25", lost.Diff.Changes[0].NewDate);
        var ct = TestContext.Current.CancellationToken;
        Assert.Null(await store.ReadAsync(KnowledgeIds.Variant(new VariantLocation("GRCh37", "X", 153136403, "A", "C")), ct));
        Assert.NotNull(await store.ReadAsync(KnowledgeIds.Variant(new VariantLocation("GRCh37", "1", 949523, "C", "T")), ct));
    }

    [Fact]
    public async Task Import_SameReleaseAgain_EmptyDiffAndNothingWritten()
    {
        var store = new InMemoryKnowledgeStore();
        await ImportAsync(store, "releases/clinvar_source.vcf.gz");
        await ImportAsync(store, "releases/clinvar_target.vcf.gz");
        var count = store.Count;

        var again = await ImportAsync(store, "releases/clinvar_target.vcf.gz");

        Assert.True(again.Diff!.IsEmpty);
        Assert.Equal(0, again.Written);
        Assert.False(again.VersionWritten);
        Assert.Equal(count, store.Count);
        var log = (KnowledgeDiffLogDocument?)await store.ReadAsync(KnowledgeDiffLogDocument.LogId, TestContext.Current.CancellationToken);
        Assert.Equal(2, log!.Diffs.Count);
    }

    [Fact]
    public async Task Import_VariantSummaryPair_SameChangesAsTheVcfReleases()
    {
        var store = new InMemoryKnowledgeStore();
        await ImportAsync(store, "authored/variant_summary_2019-08.txt");
        var diff = (await ImportAsync(store, "authored/variant_summary_2019-09.txt")).Diff!;

        var vcfStore = new InMemoryKnowledgeStore();
        await ImportAsync(vcfStore, "releases/clinvar_source.vcf.gz");
        var vcfDiff = (await ImportAsync(vcfStore, "releases/clinvar_target.vcf.gz")).Diff!;

        Assert.Equal(vcfDiff.Changes.Select(Line).Order(StringComparer.Ordinal), diff.Changes.Select(Line).Order(StringComparer.Ordinal));
        Assert.Contains(KnowledgeIds.NormaliseHgvs("NC_000001.10:g.949523C>T"), diff.Changes.Single(c => c.Key == "183381").Hgvs);
    }

    [Fact]
    public async Task Import_MatrixOverridden_ImpactsFollowTheSettings()
    {
        var matrix = new KnowledgeDiffOptions { Transitions = { ["ConflictingToPathogenic"] = "Minor", ["PathogenicToBenign"] = "Warning" } }.Matrix();
        var store = new InMemoryKnowledgeStore();
        await ImportAsync(store, "releases/clinvar_source.vcf.gz", matrix);
        var diff = (await ImportAsync(store, "releases/clinvar_target.vcf.gz", matrix)).Diff!;

        Assert.Equal(ClinicalImpact.Minor, diff.Changes.Single(c => c.Key == "135992").Impact);
        Assert.Equal(ClinicalImpact.Warning, diff.Changes.Single(c => c.Key == "183381").Impact);
        Assert.Equal(ClinicalImpact.Major, diff.Changes.Single(c => c.Key == "128215").Impact);
    }

    [Theory]
    [InlineData("UncertainToPathogenic", "Major")]
    [InlineData("PathogenicToBenign", "Major")]
    [InlineData("BenignToLikelyPathogenic", "Major")]
    [InlineData("LikelyPathogenicToPathogenic", "Minor")]
    [InlineData("PathogenicToLikelyPathogenic", "Minor")]
    [InlineData("PathogenicToAbsent", "Warning")]
    [InlineData("LikelyPathogenicToAbsent", "Warning")]
    [InlineData("UncertainToBenign", "Minor")]
    [InlineData("BenignToLikelyBenign", "Minor")]
    [InlineData("BenignToAbsent", "Minor")]
    [InlineData("AbsentToPathogenic", "None")]
    [InlineData("PathogenicToPathogenic", "None")]
    public void DefaultMatrix_TheDocumentedCells(string transition, string impact) =>
        Assert.Equal(Enum.Parse<ClinicalImpact>(impact), ImpactMatrix.Default.Of(transition));

    [Theory]
    [InlineData("Pathogenic/Likely pathogenic", SignificanceClass.LikelyPathogenic)]
    [InlineData("Pathogenic, risk factor", SignificanceClass.Pathogenic)]
    [InlineData("Conflicting classifications of pathogenicity", SignificanceClass.Conflicting)]
    [InlineData("Benign/Likely benign", SignificanceClass.LikelyBenign)]
    [InlineData("drug response", SignificanceClass.Other)]
    [InlineData(null, SignificanceClass.Absent)]
    public void SignificanceClass_ClinVarWordings(string? significance, SignificanceClass expected) =>
        Assert.Equal(expected, SignificanceClasses.Of(significance));

    [Fact]
    public void Matrix_UnknownTransitionOrImpact_ClearError()
    {
        var transition = Assert.Throws<ArgumentException>(() => new ImpactMatrix(new Dictionary<string, string> { ["VusToPathogenic"] = "Major" }));
        Assert.Contains("'VusToPathogenic' is no transition", transition.Message, StringComparison.Ordinal);
        var impact = Assert.Throws<ArgumentException>(() => new ImpactMatrix(new Dictionary<string, string> { ["UncertainToPathogenic"] = "Huge" }));
        Assert.Contains("'Huge' is no impact", impact.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_GuidelineRecommendationChanged_DiffNamesDrugLookupKeyAndPrescribingImpact()
    {
        var ct = TestContext.Current.CancellationToken;
        var work = Directory.CreateTempSubdirectory("pmed-guideline-diff-");
        try
        {
            var before = Directory.CreateDirectory(Path.Combine(work.FullName, "before"));
            var after = Directory.CreateDirectory(Path.Combine(work.FullName, "after"));
            await using (var package = EmbeddedKnowledgeSeed.Open("pgx/guidelines/CPIC_clopidogrel_and_CYP2C19.json"))
            await using (var copy = File.Create(Path.Combine(before.FullName, "CPIC_clopidogrel_and_CYP2C19.json")))
                await package.CopyToAsync(copy, ct);
            var json = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(before.FullName, "CPIC_clopidogrel_and_CYP2C19.json"), ct))!;
            var poor = json["recommendations"]!.AsArray().First(r => (string?)r!["lookupKey"]!["CYP2C19"] == "Poor Metabolizer")!;
            poor["text"]!["html"] = "<p>Avoid clopidogrel (a changed recommendation).</p>";
            poor["alternateDrugAvailable"] = !(bool)poor["alternateDrugAvailable"]!;
            await File.WriteAllTextAsync(Path.Combine(after.FullName, "CPIC_clopidogrel_and_CYP2C19.json"), json.ToJsonString(), ct);

            var store = new InMemoryKnowledgeStore();
            var importer = new KnowledgeImporter(store, store, clock: Clock);
            await importer.ImportSetAsync(KnowledgeSource.PharmCatGuidelines, KnowledgeSourceFile.FromFolder(before), "guidelines", cancellationToken: ct);
            var diff = (await importer.ImportSetAsync(KnowledgeSource.PharmCatGuidelines, KnowledgeSourceFile.FromFolder(after), "guidelines", cancellationToken: ct)).Diff!;
            var again = (await importer.ImportSetAsync(KnowledgeSource.PharmCatGuidelines, KnowledgeSourceFile.FromFolder(after), "guidelines", cancellationToken: ct)).Diff!;

            var changes = diff.Changes.Where(c => c.Kind == ChangeKind.Changed).ToList();
            Assert.NotEmpty(changes);
            Assert.All(changes, c => Assert.Equal(("clopidogrel", ClinicalImpact.Major, KnowledgeChange.Recommendation), (c.Drug, c.Impact, c.Subject)));
            Assert.All(changes, c => Assert.Equal(["CYP2C19:Poor Metabolizer"], c.Lookup));
            Assert.Contains("Avoid clopidogrel (a changed recommendation).", changes[0].NewValue, StringComparison.Ordinal);
            Assert.DoesNotContain(diff.Changes, c => c.Kind != ChangeKind.Changed);
            Assert.True(again.IsEmpty);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }
}
