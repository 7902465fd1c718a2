using PrecisionMed.Core.Knowledge.Diff;
using PrecisionMed.Core.Pipeline.Reinterpretation;

namespace PrecisionMed.Core.Tests.Pipeline.Reinterpretation;

/// <summary>The reports a ClinVar release touches, found through the genomic index the worker wrote (no FHIR search).</summary>
[Trait("Tier", "Fast")]
public sealed class AffectedReportFinderTests
{
    [Fact]
    public async Task Find_ReportIngestedBeforeTheRelease_EveryStoreImplicationOfAChangedClassification()
    {
        using var scenario = new ReinterpretationScenario();
        await scenario.ImportAsync("clinvar_source.vcf.gz");
        await scenario.IngestAsync();
        var diff = (await scenario.ImportAsync("clinvar_target.vcf.gz")).Diff!;

        var affected = await new AffectedReportFinder(scenario.Harness.Index).FindAsync(diff.Changes, TestContext.Current.CancellationToken);

        var report = Assert.Single(affected);
        Assert.StartsWith("Patient/", report.Patient, StringComparison.Ordinal);
        Assert.Equal(["128215", "135992", "183381", "36580", "90109"], report.Implications.Select(i => i.ChangeKey).Order(StringComparer.Ordinal));
        Assert.All(report.Implications, i => Assert.Equal("diagnostic-implication", i.Profile));
        Assert.All(report.Implications, i => Assert.StartsWith("kv-", i.KnowledgeVersion, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Find_RemovedClassification_ItsImplicationFound()
    {
        using var scenario = new ReinterpretationScenario();
        await scenario.ImportAsync("clinvar_target.vcf.gz");
        await scenario.IngestAsync();
        var diff = (await scenario.ImportAsync("clinvar_target_with_lost_variants.vcf.gz")).Diff!;

        var affected = await new AffectedReportFinder(scenario.Harness.Index).FindAsync(diff.Changes, TestContext.Current.CancellationToken);

        // 92921 (X:153138030, Benign) is in the report; 9994 is not.
        var implication = Assert.Single(Assert.Single(affected).Implications);
        Assert.Equal("92921", implication.ChangeKey);
        Assert.Contains(diff.Changes, c => c.Key == "92921" && c.Kind == ChangeKind.Removed);
    }

    [Fact]
    public async Task Find_NoReportCarriesTheVariants_NothingAndOnlyIndexReads()
    {
        using var scenario = new ReinterpretationScenario();
        await scenario.ImportAsync("clinvar_source.vcf.gz");
        var diff = (await scenario.ImportAsync("clinvar_target.vcf.gz")).Diff!;

        Assert.Empty(await new AffectedReportFinder(scenario.Harness.Index).FindAsync(diff.Changes, TestContext.Current.CancellationToken));
        Assert.Empty(scenario.Harness.Writer.Written);
    }
}
