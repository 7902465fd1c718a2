using PrecisionMed.Cli.CommandLine;
using PrecisionMed.Cli.Ingest;
using Xunit;

namespace PrecisionMed.Cli.Tests.Ingest;

/// <summary>
/// Real public files (tests/TestData/zoo, provenance in its README) that <c>pmed ingest</c> got wrong, run as a lab
/// engineer types the command.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class IngestZooFilesTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("pmed-ingest-zoo-");
    private readonly StringWriter _stdout = new();
    private readonly StringWriter _stderr = new();

    private string Out => Path.Combine(_work.FullName, "out");

    [Fact]
    public async Task Ingest_PprPc1Message_RejectedNamingItsMessageType()
    {
        var hl7 = Copy("msft_PC1-Problem-Add-v2.3.1.hl7");

        var exit = await InvokeAsync("ingest", hl7, "--out", Out);

        Assert.Equal(IngestRunner.ExitRejected, exit);
        var error = _stderr.ToString();
        Assert.Contains("msft_PC1-Problem-Add-v2.3.1.hl7: rejected: line 1, segment MSH[1], field MSH-9", error, StringComparison.Ordinal);
        Assert.Contains("message type PPR^PC1 is not supported: only ORU^R01", error, StringComparison.Ordinal);
        Assert.DoesNotContain("malformed", error, StringComparison.Ordinal);
        Assert.DoesNotContain("KARLS", _stdout.ToString() + error, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _work.Delete(recursive: true);
        _stdout.Dispose();
        _stderr.Dispose();
    }

    private string Copy(string name)
    {
        var target = Path.Combine(_work.FullName, "in", name);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(Path.Combine(RepositoryPaths.Root, "tests", "TestData", "zoo", name), target);
        return target;
    }

    private Task<int> InvokeAsync(params string[] args) =>
        PmedCommandLine.RunAsync(args, _stdout, _stderr, TestContext.Current.CancellationToken);
}
