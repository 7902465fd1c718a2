using System.Text.Json.Nodes;
using PrecisionMed.Cli.Ingest;
using PrecisionMed.Testing.Stack;
using PrecisionMed.Validation;
using Xunit;

namespace PrecisionMed.Cli.Tests.Ingest;

/// <summary>The README's main job, <c>pmed ingest samples</c>, and its failure modes.</summary>
[Trait("Tier", "Stack")]
public sealed class IngestCommandTests(LocalStackFixture stack) : IDisposable
{
    private readonly DirectoryInfo _output = Directory.CreateTempSubdirectory("pmed-ingest-");
    private readonly StringWriter _stdout = new();
    private readonly StringWriter _stderr = new();

    private static string Samples => Path.Combine(RepositoryPaths.Root, "samples");

    [Fact]
    public async Task Ingest_Samples_WritesOneResolvableBundlePerReportAndExitsZero()
    {
        var exit = await RunAsync(new IngestOptions([Samples], _output, null, "local", Json: false));

        Assert.Equal(IngestRunner.ExitOk, exit);
        // A VCF's manifest is no file of its own: it shows on its VCF's row.
        var samples = Directory.GetFiles(Samples).Select(Path.GetFileName).Where(n => !n!.EndsWith(".manifest.json", StringComparison.Ordinal)).ToList();
        var table = _stdout.ToString();
        Assert.All(samples, name => Assert.Contains(name!, table, StringComparison.Ordinal));
        Assert.Contains($"{samples.Count} of {samples.Count} file(s) ingested", table, StringComparison.Ordinal);
        var bundles = _output.GetFiles("*.transaction.json");
        var reports = int.Parse(System.Text.RegularExpressions.Regex.Match(table, @"ingested, (\d+) report\(s\)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(reports > samples.Count, "the HL7 batch sample holds several reports");
        Assert.Equal(reports, bundles.Length);
        var inputs = string.Concat(Directory.GetFiles(Samples).Select(File.ReadAllText));
        foreach (var bundle in bundles)
        {
            var json = await File.ReadAllTextAsync(bundle.FullName, TestContext.Current.CancellationToken);
            Assert.Equal("transaction", JsonNode.Parse(json)!["type"]!.GetValue<string>());

            // Every reference resolves inside the bundle, except a lab's own references to resources it
            // did not send (cgexample's Task.focus -> MedicationStatement), which are passed on as sent.
            var unresolved = BundleValidation.CheckReferences(json).UnresolvedReferences
                .Where(u => !inputs.Contains('"' + u.Reference + '"', StringComparison.Ordinal)).ToList();
            Assert.True(unresolved.Count == 0, $"{bundle.Name}: {string.Join("; ", unresolved)}");

            // HGVS on its reference sequence, and each Variant's parts in agreement (the rule beside the profiles).
            var genomic = JsonNode.Parse(json)!["entry"]!.AsArray()
                .SelectMany(e => PrecisionMed.Validation.Genomics.GenomicConsistencyRule.Check(e!["resource"]!.ToJsonString()))
                .Where(i => i.Severity == ValidationSeverity.Error).ToList();
            Assert.True(genomic.Count == 0, $"{bundle.Name}: {string.Join("; ", genomic)}");
        }
    }

    [Fact]
    public async Task Ingest_GarbageBesideGoodFile_ExitsTwoWithFileAndReasonOnStderr()
    {
        var garbage = Path.Combine(_output.FullName, "not-a-result.txt");
        await File.WriteAllTextAsync(garbage, "hello", TestContext.Current.CancellationToken);
        var good = Path.Combine(Samples, "Bundle-bundle-pgxexample.json");

        var exit = await RunAsync(new IngestOptions([good, garbage], new DirectoryInfo(Path.Combine(_output.FullName, "out")), null, "local", Json: false));

        Assert.Equal(IngestRunner.ExitRejected, exit);
        Assert.Contains("not-a-result.txt: rejected: line 1: the file's format could not be recognised", _stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains("1 of 2 file(s) ingested", _stdout.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_Json_PrintsOneResultPerFile()
    {
        var exit = await RunAsync(new IngestOptions([Path.Combine(Samples, "Bundle-bundle-cgexample.json")], _output, null, "local", Json: true));

        Assert.Equal(IngestRunner.ExitOk, exit);
        var result = Assert.Single(JsonNode.Parse(_stdout.ToString())!.AsArray())!;
        Assert.Equal("ingested", result["status"]!.GetValue<string>());
        Assert.Equal(1, result["reports"]!.GetValue<int>());
        Assert.Equal("FhirJson", result["format"]!.GetValue<string>());
    }

    [Fact]
    public async Task Ingest_MissingPath_ExitsOneAndSaysWhich()
    {
        var exit = await RunAsync(new IngestOptions(["/no/such/lab-file.json"], _output, null, "local", Json: false));

        Assert.Equal(IngestRunner.ExitUsage, exit);
        Assert.Contains("/no/such/lab-file.json: no such file or folder", _stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_WithFhir_PostsEachBundleToTheServer()
    {
        var ct = TestContext.Current.CancellationToken;
        var sample = Path.Combine(Samples, "Bundle-bundle-sequence-phase-relation-CYP2C19.json");

        var exit = await RunAsync(new IngestOptions([sample], _output, stack.Stack.FhirBaseUrl, "lab-cli", Json: false));

        Assert.Equal(IngestRunner.ExitOk, exit);
        var bundle = JsonNode.Parse(await File.ReadAllTextAsync(_output.GetFiles("*.transaction.json").Single().FullName, ct))!;
        using var fhir = stack.Stack.CreateFhirHttpClient();
        foreach (var url in bundle["entry"]!.AsArray().Select(e => e!["request"]!["url"]!.GetValue<string>()).Where(u => u.Contains('/', StringComparison.Ordinal)))
        {
            using var response = await fhir.GetAsync(url, ct);
            Assert.True(response.IsSuccessStatusCode, $"GET {url}: HTTP {(int)response.StatusCode}");
        }
    }

    public void Dispose()
    {
        _stdout.Dispose();
        _stderr.Dispose();
        _output.Delete(recursive: true);
    }

    private Task<int> RunAsync(IngestOptions options) =>
        new IngestRunner(options, _stdout, _stderr).RunAsync(TestContext.Current.CancellationToken);
}
