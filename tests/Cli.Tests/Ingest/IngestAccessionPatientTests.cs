using System.Text;
using System.Text.Json.Nodes;
using PrecisionMed.Cli.CommandLine;
using PrecisionMed.Testing.Stack;
using Xunit;

namespace PrecisionMed.Cli.Tests.Ingest;

/// <summary>
/// <c>pmed ingest --fhir</c> replaces a report only for the same accession and patient: the lab's accession sent again for
/// another patient is held, and the first patient's report on the FHIR server stays as it was.
/// </summary>
[Trait("Tier", "Stack")]
public sealed class IngestAccessionPatientTests(LocalStackFixture stack) : IDisposable
{
    private const string System = "urn:oid:2.16.840.1.113883.19.5.99";
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("pmed-ingest-accession-");

    [Fact]
    public async Task SameAccessionAnotherPatient_HeldExitTwoFirstReportUntouched()
    {
        var ct = TestContext.Current.CancellationToken;
        var run = Guid.NewGuid().ToString("N")[..10];
        var corpus = await File.ReadAllBytesAsync(Path.Combine(RepositoryPaths.Root, "tests", "TestData", "vcf", "pgx", "pharmcat_Sample_1.preprocessed.vcf"), ct);
        var first = Path.Combine(_work.FullName, "a", "pgx.vcf");
        var second = Path.Combine(_work.FullName, "b", "pgx.vcf");
        Directory.CreateDirectory(Path.GetDirectoryName(first)!);
        Directory.CreateDirectory(Path.GetDirectoryName(second)!);
        await File.WriteAllBytesAsync(first, corpus, ct);
        await File.WriteAllBytesAsync(second, [.. corpus, .. Encoding.UTF8.GetBytes("\n")], ct); // a re-sent file: other bytes

        var (exit1, _, err1) = await IngestAsync(first, $"{System}|A-{run}", $"ACC-{run}", "out-a");
        Assert.True(exit1 == ExitCodes.Ok, err1);
        var (exit2, out2, err2) = await IngestAsync(second, $"{System}|B-{run}", $"ACC-{run}", "out-b");

        Assert.Equal(ExitCodes.Rejected, exit2);
        Assert.Contains("pgx.vcf: held: held for review: the lab's accession was reported before for another patient", err2, StringComparison.Ordinal);
        Assert.Equal("held", (string?)JsonNode.Parse(out2)![0]!["status"]);
        var report = JsonNode.Parse(await File.ReadAllTextAsync(Assert.Single(Directory.GetFiles(Path.Combine(_work.FullName, "out-a"), "*.transaction.json")), ct))!
            ["entry"]!.AsArray().Select(e => (string)e!["request"]!["url"]!).First(u => u.StartsWith("DiagnosticReport/", StringComparison.Ordinal));
        using var fhir = stack.Stack.CreateFhirHttpClient();
        var stored = JsonNode.Parse(await fhir.GetStringAsync(report, ct))!;
        Assert.Equal("final", (string?)stored["status"]);
        Assert.Empty(Directory.GetFiles(Path.Combine(_work.FullName, "out-b"), "*.transaction.json"));
    }

    public void Dispose() => _work.Delete(recursive: true);

    private async Task<(int Exit, string Stdout, string Stderr)> IngestAsync(string vcf, string patient, string accession, string output)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await PmedCommandLine.RunAsync(
            ["ingest", vcf, "--patient", patient, "--accession", accession, "--fhir", stack.Stack.FhirBaseUrl.ToString(),
             "--out", Path.Combine(_work.FullName, output), "--json"],
            stdout, stderr, TestContext.Current.CancellationToken);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
