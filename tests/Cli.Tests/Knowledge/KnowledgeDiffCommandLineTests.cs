using System.Text.Json.Nodes;
using PrecisionMed.Cli.CommandLine;
using PrecisionMed.Cli.Tests.CommandLine;
using Xunit;

namespace PrecisionMed.Cli.Tests.Knowledge;

/// <summary><c>pmed knowledge diff FROM TO</c> through the command line, over three real ClinVar releases (in memory, nothing written).</summary>
[Trait("Tier", "Fast")]
public sealed class KnowledgeDiffCommandLineTests
{
    private static string ClinVar(string relative) => Path.Combine(RepositoryPaths.Root, "tests", "TestData", "knowledge", "clinvar", relative);

    [Fact]
    public async Task Diff_TwoVcfReleases_ListsEachChangeWithItsImpactAndDates()
    {
        var run = await Pmed.RunAsync("knowledge", "diff", ClinVar("releases/clinvar_source.vcf.gz"), ClinVar("releases/clinvar_target.vcf.gz"));

        Assert.True(run.Exit == ExitCodes.Ok, run.ToString());
        var lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("clinvar clinvar_source.vcf.gz -> clinvar_target.vcf.gz: 2 added, 5 changed, 0 removed; impact 4 major, 0 warning, 0 minor, 3 none", lines[0]);
        Assert.Equal(8, lines.Length);
        Assert.Contains(
            "major changed classification 183381 ISG15 GRCh37:1:949523:C:T: Pathogenic [no assertion criteria provided] (2019-08-05) -> Benign [reviewed by expert panel] (2019-09-15)",
            lines);
        Assert.Contains(lines, l => l.StartsWith("major changed classification 128215 ABRAXAS1", StringComparison.Ordinal) && l.Contains("Uncertain significance", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("none added classification 9994 L1CAM", StringComparison.Ordinal));
        Assert.StartsWith("major", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Diff_ReleaseThatLostVariants_RemovalsWithTheirImpact()
    {
        var run = await Pmed.RunAsync("knowledge", "diff", ClinVar("releases/clinvar_target.vcf.gz"), ClinVar("releases/clinvar_target_with_lost_variants.vcf.gz"));

        Assert.True(run.Exit == ExitCodes.Ok, run.ToString());
        Assert.Contains("0 added, 0 changed, 2 removed; impact 0 major, 1 warning, 1 minor, 0 none", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("warning removed classification 9994 L1CAM GRCh37:X:153136403:A:C: Pathogenic [no assertion criteria provided] (2019-09-15) -> (none, 2019-09-25)", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Diff_VariantSummaryPairAsJson_SameChangesAsTheVcf()
    {
        var run = await Pmed.RunAsync("knowledge", "diff", ClinVar("authored/variant_summary_2019-08.txt"), ClinVar("authored/variant_summary_2019-09.txt"), "--json");

        Assert.True(run.Exit == ExitCodes.Ok, run.ToString());
        var diff = JsonNode.Parse(run.Stdout)!["diff"]!;
        Assert.Equal(5, (int)diff["changed"]!);
        Assert.Equal(2, (int)diff["added"]!);
        Assert.Equal(4, (int)diff["impacts"]!["major"]!);
        var isg15 = diff["changes"]!.AsArray().Single(c => (string?)c!["key"] == "183381")!;
        Assert.Equal(("Pathogenic", "Benign", "Major", "Changed"), ((string?)isg15["oldValue"], (string?)isg15["newValue"], (string?)isg15["impact"], (string?)isg15["kind"]));
    }

    [Fact]
    public async Task Diff_SameReleaseTwice_NothingChanged()
    {
        var run = await Pmed.RunAsync("knowledge", "diff", ClinVar("releases/clinvar_target.vcf.gz"), ClinVar("releases/clinvar_target.vcf.gz"));

        Assert.True(run.Exit == ExitCodes.Ok, run.ToString());
        Assert.Equal("clinvar clinvar_target.vcf.gz -> clinvar_target.vcf.gz: 0 added, 0 changed, 0 removed; impact 0 major, 0 warning, 0 minor, 0 none", run.Stdout.Trim());
    }

    [Fact]
    public async Task Diff_MissingFile_ExitsOneNamingIt()
    {
        var run = await Pmed.RunAsync("knowledge", "diff", ClinVar("releases/clinvar_source.vcf.gz"), "/no/such/clinvar.vcf.gz");

        Assert.Equal(ExitCodes.Usage, run.Exit);
        Assert.Equal(["pmed knowledge diff: /no/such/clinvar.vcf.gz: no such file"], run.StderrLines);
    }

    [Theory]
    [InlineData("", "x", "from")]
    [InlineData(null, " ", "to")]
    public async Task Diff_EmptyPath_ExitsOneNamingTheArgument(string? from, string to, string argument)
    {
        var run = await Pmed.RunAsync("knowledge", "diff", from ?? ClinVar("releases/clinvar_source.vcf.gz"), to);

        Assert.Equal(ExitCodes.Usage, run.Exit);
        Assert.Equal([$"pmed knowledge diff: {argument}: empty; name a file"], run.StderrLines);
        CommandLineParsingTests.AssertNoStack(run);
    }

    [Fact]
    public async Task Import_EmptyPath_ExitsOneNamingTheArgument()
    {
        var run = await Pmed.RunAsync("knowledge", "import", "pharmcat-guidelines", "");

        Assert.Equal(ExitCodes.Usage, run.Exit);
        Assert.Equal(["pmed knowledge import: path: empty; name a file, folder or zip"], run.StderrLines);
    }

    [Fact]
    public async Task Diff_NotAClinVarFile_ExitsTwoWithTheReason()
    {
        var run = await Pmed.RunAsync("knowledge", "diff", ClinVar("releases/clinvar_source.vcf.gz"), ClinVar("README.md"));

        Assert.Equal(ExitCodes.Rejected, run.Exit);
        Assert.Contains("not a ClinVar variant_summary file", run.Stderr, StringComparison.Ordinal);
        CommandLineParsingTests.AssertNoStack(run);
    }

    [Fact]
    public async Task Reinterpret_WithoutStorage_ExitsOneSayingDryRunOnlyLists()
    {
        var run = await Pmed.RunAsync("knowledge", "reinterpret", "--cosmos", "http://127.0.0.1:1/", "--cosmos-key", "a2V5");

        Assert.Equal(ExitCodes.Usage, run.Exit);
        Assert.Equal(["pmed knowledge reinterpret: --storage (or PMED_STORAGE) is needed to queue the work; --dry-run only lists it"], run.StderrLines);
    }
}
