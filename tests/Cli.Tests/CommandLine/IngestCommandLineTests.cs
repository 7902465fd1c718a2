using System.Text.Json.Nodes;
using PrecisionMed.Cli.CommandLine;
using PrecisionMed.Testing.Stack;
using Xunit;

namespace PrecisionMed.Cli.Tests.CommandLine;

/// <summary><c>pmed ingest</c> through the command line with every flag, against the FHIR dev server and the Cosmos emulator.</summary>
[Trait("Tier", "Stack")]
public sealed class IngestCommandLineTests(LocalStackFixture stack) : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("pmed-cli-ingest-");

    private static string Sample(string name) => Path.Combine(RepositoryPaths.Root, "samples", name);

    private string Out => Path.Combine(_work.FullName, "out");

    [Fact]
    public async Task Ingest_EveryFlagAgainstTheLocalFhirServerAndCosmos_ExitsZeroAndTheServerHasTheResources()
    {
        var run = await Pmed.RunAsync(
            "ingest", Sample("NB6TK328_filtered.vcf"), Sample("batch_three_messages.hl7"), "--out", Out, "--lab", "lab-cli", "--json",
            "--fhir", stack.Stack.FhirBaseUrl.ToString(), "--cosmos", stack.Stack.CosmosEndpoint.ToString(), "--cosmos-key", stack.Stack.CosmosKey,
            "--database", "pmed-cli-" + Guid.NewGuid().ToString("N")[..10], "--genome-build", "GRCh38", "--source-class", "germline",
            "--sample-sex", "female", "--regions", Path.Combine(RepositoryPaths.Root, "bench", "data", "panel-grch38.bed"),
            "--gene", "BRCA2", "--known-only", "--all-filters", "--max-variants", "100", "--verbose");

        Assert.True(run.Exit == ExitCodes.Ok, run.ToString());
        var results = JsonNode.Parse(run.Stdout)!.AsArray();
        Assert.Equal(["ingested", "ingested"], results.Select(r => (string)r!["status"]!));
        var bundle = JsonNode.Parse(await File.ReadAllTextAsync(Directory.GetFiles(Out, "NB6TK328*.transaction.json").Single(), TestContext.Current.CancellationToken))!;
        var report = bundle["entry"]!.AsArray().Select(e => (string)e!["request"]!["url"]!).First(u => u.StartsWith("DiagnosticReport/", StringComparison.Ordinal));
        using var fhir = stack.Stack.CreateFhirHttpClient();
        using var response = await fhir.GetAsync(report, TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"GET {report}: HTTP {(int)response.StatusCode}");
    }

    [Fact]
    public async Task Ingest_SamplesAsTheReadmeTypesIt_ExitsZeroWithTheTable()
    {
        var run = await Pmed.RunAsync("ingest", Path.Combine(RepositoryPaths.Root, "samples"), "--out", Out);

        Assert.True(run.Exit == ExitCodes.Ok, run.ToString());
        Assert.Contains($"file(s) ingested", run.Stdout, StringComparison.Ordinal);
        Assert.NotEmpty(Directory.GetFiles(Out, "*.transaction.json"));
    }

    [Fact]
    public async Task Ingest_RejectedFile_ExitsTwoNamingFileAndReason()
    {
        var garbage = Path.Combine(_work.FullName, "not-a-result.txt");
        await File.WriteAllTextAsync(garbage, "hello", TestContext.Current.CancellationToken);

        var run = await Pmed.RunAsync("ingest", garbage, "--out", Out);

        Assert.Equal(ExitCodes.Rejected, run.Exit);
        Assert.Contains("not-a-result.txt: rejected: line 1:", run.Stderr, StringComparison.Ordinal);
        CommandLineParsingTests.AssertNoStack(run);
    }

    [Fact]
    public async Task Ingest_MissingPath_ExitsOne()
    {
        var run = await Pmed.RunAsync("ingest", "/no/such/lab-file.hl7", "--out", Out);

        Assert.Equal(ExitCodes.Usage, run.Exit);
        Assert.Contains("/no/such/lab-file.hl7: no such file or folder", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_OutIsAFile_ExitsOneNamingTheOption()
    {
        var file = Path.Combine(_work.FullName, "a-file");
        await File.WriteAllTextAsync(file, "x", TestContext.Current.CancellationToken);

        var run = await Pmed.RunAsync("ingest", Sample("Bundle-bundle-cgexample.json"), "--out", file);

        Assert.Equal(ExitCodes.Usage, run.Exit);
        Assert.Equal($"pmed: --out {file}: is a file, not a folder", run.StderrLines[0]);
        CommandLineParsingTests.AssertNoStack(run);
    }

    [Fact]
    public async Task Ingest_FhirServerUnreachable_ExitsThreeWithOneLineNamingServerAndUrl()
    {
        var closed = $"http://127.0.0.1:{LoopbackPorts.Closed}/";

        var run = await Pmed.RunAsync("ingest", Sample("Bundle-bundle-cgexample.json"), "--out", Out, "--fhir", closed + "?_format=json");

        Assert.Equal(ExitCodes.ServiceFailed, run.Exit);
        Assert.Equal([$"pmed: FHIR server at {closed}: connection refused"], run.StderrLines);
        CommandLineParsingTests.AssertNoStack(run);
    }

    [Fact]
    public async Task Ingest_CosmosUnreachable_ExitsThreeWithOneLine_VerboseAddsTheStack()
    {
        var closed = $"http://127.0.0.1:{LoopbackPorts.Closed}/";
        string[] args = ["ingest", Sample("batch_three_messages.hl7"), "--out", Out, "--cosmos", closed, "--cosmos-key", stack.Stack.CosmosKey];

        var run = await Pmed.RunAsync(args);
        var verbose = await Pmed.RunAsync([.. args, "--verbose"]);

        Assert.Equal(ExitCodes.ServiceFailed, run.Exit);
        Assert.Equal([$"pmed: Cosmos DB at {closed}: connection refused"], run.StderrLines);
        CommandLineParsingTests.AssertNoStack(run);
        Assert.Equal(ExitCodes.ServiceFailed, verbose.Exit);
        Assert.Equal(run.StderrLines[0], verbose.StderrLines[0]);
        Assert.Contains("Exception", verbose.Stderr, StringComparison.Ordinal);
        Assert.Contains("   at ", verbose.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_TimingsWithFhir_OneStderrLineWithEveryFigure_AndEveryReportIndexed()
    {
        var run = await Pmed.RunAsync(
            "ingest", Sample("batch_three_messages.hl7"), "--out", Out, "--fhir", stack.Stack.FhirBaseUrl.ToString(), "--timings", "--json");

        Assert.True(run.Exit == ExitCodes.Ok, run.ToString());
        var line = Assert.Single(run.StderrLines, l => l.StartsWith("pmed ingest: timings: ", StringComparison.Ordinal));
        var fields = line["pmed ingest: timings: ".Length..].Split(' ').Select(f => f.Split('=')).ToDictionary(f => f[0], f => f[1]);
        string[] expected =
        [
            "files", "reports", "elapsed_seconds", "cpu_seconds", "allocated_mb", "gen0_collections", "gc_pause_seconds", "jit_methods", "jit_seconds",
            "fhir_writes", "fhir_write_seconds", "index_entries", "index_write_seconds", "index_store_requests",
        ];
        Assert.Equal(expected, fields.Keys);
        Assert.All(fields.Values, v => Assert.True(double.TryParse(v, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _), v));
        // The batch's three reports, each written and indexed (the index reads them from what the builder recorded).
        Assert.Equal(("1", "3"), (fields["files"], fields["reports"]));
        Assert.Equal("3", fields["index_entries"]);
    }

    public void Dispose() => _work.Delete(recursive: true);
}
