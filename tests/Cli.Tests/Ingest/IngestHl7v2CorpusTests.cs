using System.Text.Json.Nodes;
using PrecisionMed.Cli.CommandLine;
using PrecisionMed.Cli.Ingest;
using Xunit;

namespace PrecisionMed.Cli.Tests.Ingest;

/// <summary>
/// Taken literally: every ORU^R01 of the corpus and every message we authored goes
/// through <c>pmed ingest</c> as a user types it, and the corpus files that are not ORU^R01 results are refused with a
/// positioned reason. (What the resources say and that they validate is proved in Validation.Tests.)
/// </summary>
[Trait("Tier", "Fast")]
public sealed class IngestHl7v2CorpusTests : IDisposable
{
    private readonly DirectoryInfo _output = Directory.CreateTempSubdirectory("pmed-ingest-hl7-");
    private readonly StringWriter _stdout = new();
    private readonly StringWriter _stderr = new();

    private static string Hl7v2Data => Path.Combine(RepositoryPaths.Root, "tests", "TestData", "hl7v2");

    /// <summary>The corpus's ORU^R01 results (general lab and genomic) and every authored message.</summary>
    private static List<string> OruFiles() =>
    [
        .. Directory.GetFiles(Path.Combine(Hl7v2Data, "general-lab")),
        .. Directory.GetFiles(Path.Combine(Hl7v2Data, "genomic"), "*ORU_R01*"),
        .. Directory.GetFiles(Path.Combine(Hl7v2Data, "authored"), "*.hl7"),
    ];

    [Fact]
    public async Task Ingest_EveryOruOfTheCorpusAndEveryAuthoredMessage_AllIngested()
    {
        var files = OruFiles();

        var exit = await InvokeAsync(["ingest", .. files, "--out", _output.FullName, "--json"]);

        Assert.True(exit == IngestRunner.ExitOk, _stderr.ToString());
        var results = JsonNode.Parse(_stdout.ToString())!.AsArray();
        Assert.Equal(files.Count, results.Count);
        Assert.True(files.Count >= 19, $"{files.Count} ORU files: the corpus's 7 and at least 12 authored");
        Assert.All(results, result =>
        {
            Assert.Equal("ingested", (string?)result!["status"]);
            Assert.Equal("Hl7v2", (string?)result["format"]);
            Assert.True((int)result["reports"]! >= 1 && (int)result["resources"]! > 0, result.ToJsonString());
        });
        Assert.NotEmpty(_output.GetFiles("*.transaction.json"));
    }

    [Theory]
    [InlineData("genomic/nwgmsa_MFT_OML_O21_PDF.txt", "MSH-9")]
    [InlineData("genomic/pharmcat.example.order.hl7", "MSH-9")]
    [InlineData("genomic-obx-fragments/vcf2hl7v2_expected_example3.txt", "line 1")]
    [InlineData("genomic-obx-fragments/hl7v2GenomicsExtractor_snpEff.hl7v2.txt", "line 1")]
    public async Task Ingest_CorpusFileThatIsNoOruResult_RejectedWithItsPosition(string file, string position)
    {
        var exit = await InvokeAsync(["ingest", Path.Combine(Hl7v2Data, file), "--out", _output.FullName]);

        Assert.Equal(IngestRunner.ExitRejected, exit);
        var error = _stderr.ToString();
        Assert.Contains($"{Path.GetFileName(file)}: rejected:", error, StringComparison.Ordinal);
        Assert.Contains(position, error, StringComparison.Ordinal);
        Assert.Empty(_output.GetFiles("*.transaction.json"));
    }

    public void Dispose()
    {
        _stdout.Dispose();
        _stderr.Dispose();
        _output.Delete(recursive: true);
    }

    private Task<int> InvokeAsync(string[] args) =>
        PmedCommandLine.RunAsync(args, _stdout, _stderr, TestContext.Current.CancellationToken);
}
