using System.Text.Json.Nodes;
using PrecisionMed.Cli.CommandLine;
using PrecisionMed.Cli.Tests.CommandLine;
using Xunit;

namespace PrecisionMed.Cli.Tests.Ingest;

/// <summary>
/// <c>pmed ingest</c> as typed, over folders a lab's drop can look like: files that share a name, or a name but for the
/// extension, each keep their own bundles; a link back to a folder above is followed once; a VCF's manifest alone names its VCF.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class IngestOutputNamesTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("pmed-ingest-names-");

    private string Out => Path.Combine(_work.FullName, "out");

    private static string Corpus(string name) => Path.Combine(RepositoryPaths.Root, "tests", "TestData", "hl7v2", "general-lab", name);

    [Fact]
    public async Task SameFileNameInTwoFolders_EachFileKeepsItsOwnBundle()
    {
        var first = Place("c1/a.hl7", Corpus("msft_ORU-R01-01.hl7"));
        var second = Place("c2/a.hl7", Corpus("msft_ORU-R01-RMGEAD.hl7"));

        var run = await Pmed.RunAsync("ingest", Path.GetDirectoryName(first)!, Path.GetDirectoryName(second)!, "--out", Out, "--json");

        Assert.True(run.Exit == ExitCodes.Ok, run.ToString());
        var bundles = JsonNode.Parse(run.Stdout)!.AsArray().Select(r => (string)r!["bundles"]![0]!).ToList();
        Assert.Equal([Path.Combine(Out, "a.hl7.transaction.json"), Path.Combine(Out, "a.hl7-2.transaction.json")], bundles);
        Assert.Equal(2, Directory.GetFiles(Out, "*.transaction.json").Length);
        Assert.NotEqual(ReportOf(bundles[0]), ReportOf(bundles[1]));
    }

    [Fact]
    public async Task SameNameButTheExtension_EachFileKeepsItsOwnBundle_OthersKeepTheShortName()
    {
        var hl7 = Place("drop/x.hl7", Corpus("msft_ORU-R01-01.hl7"));
        Place("drop/x.txt", Corpus("msft_LAB-ORU-1.hl7"));
        Place("drop/y.hl7", Corpus("msft_ORU-R01-RMGEAD.hl7"));

        var run = await Pmed.RunAsync("ingest", Path.GetDirectoryName(hl7)!, "--out", Out);

        Assert.True(run.Exit == ExitCodes.Ok, run.ToString());
        Assert.Equal(["x.hl7.transaction.json", "x.txt.transaction.json", "y.transaction.json"], Directory.GetFiles(Out).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task LinkToTheFolderItself_FollowedOnce()
    {
        var file = Place("loop/x.hl7", Corpus("msft_ORU-R01-01.hl7"));
        var folder = Path.GetDirectoryName(file)!;
        Directory.CreateSymbolicLink(Path.Combine(folder, "self"), ".");

        var run = await Pmed.RunAsync("ingest", folder, "--out", Out);

        Assert.True(run.Exit == ExitCodes.Ok, run.ToString());
        Assert.Contains("1 of 1 file(s) ingested", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VcfManifestAlone_ExitsOneNamingItsVcf()
    {
        var run = await Pmed.RunAsync("ingest", Path.Combine(RepositoryPaths.Root, "samples", "NB6TK328_filtered.vcf.manifest.json"), "--out", Out);

        Assert.Equal(ExitCodes.Usage, run.Exit);
        Assert.Contains("NB6TK328_filtered.vcf.manifest.json: a VCF's manifest is read with its VCF; name the VCF (NB6TK328_filtered.vcf)", run.Stderr, StringComparison.Ordinal);
    }

    public void Dispose() => _work.Delete(recursive: true);

    private string Place(string relative, string source)
    {
        var path = Path.Combine(_work.FullName, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.Copy(source, path);
        return path;
    }

    private static string ReportOf(string bundle) =>
        JsonNode.Parse(File.ReadAllText(bundle))!["entry"]!.AsArray().Select(e => (string)e!["request"]!["url"]!).Single(u => u.StartsWith("DiagnosticReport/", StringComparison.Ordinal));
}
