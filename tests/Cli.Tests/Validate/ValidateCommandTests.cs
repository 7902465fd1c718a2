using PrecisionMed.Cli.CommandLine;
using System.CommandLine;
using System.Text.Json.Nodes;
using PrecisionMed.Cli.Ingest;
using PrecisionMed.Cli.Validate;
using PrecisionMed.Testing.Stack;
using Xunit;

namespace PrecisionMed.Cli.Tests.Validate;

/// <summary>
/// <c>pmed validate</c> and <c>pmed ingest --validate</c> parsed as typed, with the packages of tests/fhir-packages
/// (<c>--packages</c> pointing at node_modules) and a registry nothing listens on, so any download attempt would fail.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class ValidateCommandTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("pmed-validate-");
    private readonly StringWriter _stdout = new();
    private readonly StringWriter _stderr = new();

    private static string NodeModules => Path.Combine(RepositoryPaths.Root, "tests", "fhir-packages", "node_modules");

    private static string ClosedRegistry { get; } = $"http://127.0.0.1:{LoopbackPorts.Closed}/";

    [Fact]
    public async Task Validate_BrokenVariantLoneResourceAndGarbage_ExitsTwoNamingFileResourceAndRule()
    {
        var ct = TestContext.Current.CancellationToken;
        var broken = await BrokenBundles.WriteVariantWithWrongCodeAsync(Path.Combine(_work.FullName, "broken.json"), ct);
        var garbage = Path.Combine(_work.FullName, "garbage.json");
        await File.WriteAllTextAsync(garbage, "{\"resourceType\": ", ct);
        var lone = Path.Combine(_work.FullName, "observation.json");
        await File.WriteAllTextAsync(lone, """{"resourceType":"Observation","id":"no-status","code":{"text":"x"}}""", ct);

        var exit = await ValidateAsync(broken, garbage, lone);

        Assert.Equal(ValidateRunner.ExitInvalid, exit);
        var lines = _stdout.ToString().Split(Environment.NewLine);
        var variant = Assert.Single(lines, l => l.StartsWith($"{broken}: Bundle.entry[0] {BrokenBundles.VariantKey}: error: ", StringComparison.Ordinal));
        Assert.Contains("Observation.code", variant, StringComparison.Ordinal);
        Assert.Contains("does not match pattern", variant, StringComparison.Ordinal);
        Assert.Contains("69548-6", variant, StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith($"{garbage}: (file): error: (json) line ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith($"{lone}: Observation/no-status: error: ", StringComparison.Ordinal) && l.Contains("status", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(": warning: ", StringComparison.Ordinal));
        Assert.Contains("pmed validate: 3 file(s), 7 resource(s): ", _stdout.ToString(), StringComparison.Ordinal);
        Assert.Empty(_stderr.ToString());
    }

    [Fact]
    public async Task Validate_Json_ListsEveryFindingWithEntryAndResource()
    {
        var broken = await BrokenBundles.WriteVariantWithWrongCodeAsync(Path.Combine(_work.FullName, "broken.json"), TestContext.Current.CancellationToken);

        var exit = await ValidateAsync(broken, "--json");

        Assert.Equal(ValidateRunner.ExitInvalid, exit);
        var output = JsonNode.Parse(_stdout.ToString())!;
        Assert.False(output["valid"]!.GetValue<bool>());
        Assert.Equal(6, output["resources"]!.GetValue<int>());
        var error = Assert.Single(output["findings"]!.AsArray(), f => f!["severity"]!.GetValue<string>() == "error")!;
        Assert.Equal(0, error["entry"]!.GetValue<int>());
        Assert.Equal(BrokenBundles.VariantKey, error["resource"]!.GetValue<string>());
        Assert.StartsWith("Observation.code", error["location"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(output["findings"]!.AsArray(), f => f!["severity"]!.GetValue<string>() == "warning");
    }

    [Fact]
    public async Task Validate_VariantWithBareHgvs_ExitsTwoNamingTheGenomicRule()
    {
        var broken = await BrokenBundles.WriteVariantWithBareHgvsAsync(Path.Combine(_work.FullName, "bare-hgvs.json"), TestContext.Current.CancellationToken);

        var exit = await ValidateAsync(broken, "--json");

        Assert.Equal(ValidateRunner.ExitInvalid, exit);
        var output = JsonNode.Parse(_stdout.ToString())!;
        var error = Assert.Single(output["findings"]!.AsArray(), f => f!["severity"]!.GetValue<string>() == "error")!;
        Assert.Equal(BrokenBundles.VariantKey, error["resource"]!.GetValue<string>());
        Assert.Equal("hgvs-expression", error["code"]?.GetValue<string>());
        Assert.Contains("'c.1A>G'", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_ValidSampleWithWarnings_ExitsZeroAndListsWarningsOnlyWhenAsked()
    {
        var sample = await BrokenBundles.WriteValidPhaseSampleAsync(Path.Combine(_work.FullName, "phase.json"), TestContext.Current.CancellationToken);

        var exit = await ValidateAsync(sample, "--warnings");

        Assert.True(exit == ValidateRunner.ExitOk, _stdout.ToString());
        var output = _stdout.ToString();
        Assert.Contains($"{sample}: Bundle.entry[0] {BrokenBundles.VariantKey}: warning: ", output, StringComparison.Ordinal);
        Assert.Contains(": 0 error(s), ", output, StringComparison.Ordinal);
        Assert.DoesNotContain("--warnings lists them", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/no/such/bundle.json", "pmed validate: /no/such/bundle.json: no such file or folder")]
    [InlineData("--warnings --quiet", "pmed validate: --warnings and --quiet exclude each other")]
    [InlineData("--registry registry.example", "pmed: --registry: 'registry.example' is not an absolute http(s) URL")]
    public async Task Validate_UsageError_ExitsOneWithTheReason(string args, string message)
    {
        // Through the entry point a shell reaches: option values are checked when the line is parsed.
        var exit = await PmedCommandLine.RunAsync(
            ["validate", Path.Combine(RepositoryPaths.Root, "samples"), .. args.Split(' ')], _stdout, _stderr, TestContext.Current.CancellationToken);

        Assert.Equal(ValidateRunner.ExitUsage, exit);
        Assert.Contains(message, _stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_FolderWithoutJson_ExitsOne()
    {
        var exit = await ValidateAsync(_work.FullName);

        Assert.Equal(ValidateRunner.ExitUsage, exit);
        Assert.Contains($"pmed validate: no .json files in {_work.FullName}", _stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task IngestValidate_BrokenBesideGoodFile_ExitsTwoNamingTheBundle()
    {
        var ct = TestContext.Current.CancellationToken;
        var broken = await BrokenBundles.WriteVariantWithWrongCodeAsync(Path.Combine(_work.FullName, "broken-variant.json"), ct);
        var output = Path.Combine(_work.FullName, "out");
        var good = Path.Combine(RepositoryPaths.Root, "samples", "pgx_cyp2c9.hl7");

        var exit = await InvokeAsync(
            IngestCommand.Create(_stdout, _stderr),
            ["ingest", good, broken, "--out", output, "--validate", "--packages", NodeModules, "--registry", ClosedRegistry, "--json"]);

        Assert.Equal(IngestRunner.ExitRejected, exit);
        var results = JsonNode.Parse(_stdout.ToString())!.AsArray();
        var brokenResult = Assert.Single(results, r => r!["file"]!.GetValue<string>() == broken)!;
        Assert.Equal("invalid", brokenResult["status"]!.GetValue<string>());
        Assert.Equal("1 validation error(s) in broken-variant.transaction.json", brokenResult["reason"]!.GetValue<string>());
        var goodResult = Assert.Single(results, r => r!["file"]!.GetValue<string>() == good)!;
        Assert.Equal("ingested", goodResult["status"]!.GetValue<string>());
        Assert.Equal(0, goodResult["validationErrors"]!.GetValue<int>());
        var error = _stderr.ToString();
        Assert.Contains($"pmed ingest: {Path.Combine(output, "broken-variant.transaction.json")}: Bundle.entry[", error, StringComparison.Ordinal);
        Assert.Contains("69548-6", error, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(output, "broken-variant.transaction.json")), "an invalid bundle is still written for inspection");
    }

    public void Dispose()
    {
        _stdout.Dispose();
        _stderr.Dispose();
        _work.Delete(recursive: true);
    }

    private Task<int> ValidateAsync(params string[] args) =>
        InvokeAsync(ValidateCommand.Create(_stdout, _stderr), ["validate", .. args, "--packages", NodeModules, "--registry", ClosedRegistry]);

    private static Task<int> InvokeAsync(Command command, string[] args) =>
        new RootCommand { command }.Parse(args).InvokeAsync(cancellationToken: TestContext.Current.CancellationToken);
}
