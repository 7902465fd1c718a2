using PrecisionMed.Core.Formats.Vcf;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Tests.Formats.Vcf;

/// <summary>
/// PharmCAT's own matcher cases (<c>testcases/cases.tsv</c>) through the path production takes: the case's VCF read by
/// the VCF format, mapped, and enriched from the embedded seed (every gene's real definitions and exemptions), as a
/// lab's file is. Each case PharmCAT answers with exactly one diplotype under its production settings (exemptions on,
/// no combinations) must come out as that Genotype; a case PharmCAT cannot call must come out uncalled, with a note.
/// Cases with several expected diplotypes list every candidate, which production reports as ambiguous or as the best
/// one; the matcher's own tests check those.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class VcfPharmCatCaseTests
{
    private const string Root = "knowledge/pharmcat/testcases/";

    public static TheoryData<string> SingleAnswerCases => new(Rows().Where(r => r.Expected.Count <= 1).Select(r => r.Id));

    [Theory]
    [MemberData(nameof(SingleAnswerCases))]
    public async Task PharmCatCase_ThroughTheVcfPath_CallsWhatPharmCatCalls(string caseId)
    {
        var row = Rows().Single(r => r.Id == caseId);
        var vcf = await File.ReadAllBytesAsync(TestFiles.PathOf(Root + row.Vcf), TestContext.Current.CancellationToken);

        var report = await VcfPharmacogenomicsTests.BuildAsync(vcf, new VcfOptions { GenomeBuild = "GRCh38" });

        var called = report.Genotypes.SingleOrDefault(g => g.Key == $"pgx:{row.Gene}");
        if (row.Expected.Count == 0)
        {
            Assert.Null(called);
            Assert.Contains(report.Notes, n => n.StartsWith($"{row.Gene} was not called", StringComparison.Ordinal));
            return;
        }

        Assert.NotNull(called);
        Assert.StartsWith(row.Gene + " ", called.Value.Text, StringComparison.Ordinal);
        Assert.True(StarDiplotypes.Same(row.Expected[0], called.Value.Text![(row.Gene.Length + 1)..]), $"expected {row.Expected[0]}, called {called.Value.Text}");
    }

    [Fact]
    public void Cases_ProductionSettings_AreMostOfPharmCatsTable()
    {
        Assert.True(Rows().Count(r => r.Expected.Count <= 1) >= 20);
    }

    private sealed record CaseRow(string Id, string Gene, string Vcf, IReadOnlyList<string> Expected);

    /// <summary>PharmCAT's cases run with its production settings: exemptions on, no combination search.</summary>
    private static List<CaseRow> Rows() =>
        [.. File.ReadLines(TestFiles.PathOf(Root + "cases.tsv")).Skip(1).Where(l => l.Length > 0).Select(l => l.Split('\t'))
            .Where(f => f[7].Contains("withExemptions=true", StringComparison.Ordinal) && f[7].Contains("findCombinations=false", StringComparison.Ordinal))
            .Select(f => new CaseRow(f[0], f[1], f[2], f[4].StartsWith("(no call", StringComparison.Ordinal) ? [] : f[4].Split(" | ")))];
}
