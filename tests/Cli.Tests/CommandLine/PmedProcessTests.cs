using PrecisionMed.Cli.CommandLine;
using PrecisionMed.Testing.Stack;
using Xunit;

namespace PrecisionMed.Cli.Tests.CommandLine;

/// <summary>The built <c>pmed</c> run as a child process (<c>dotnet pmed.dll ARGS</c>): the real <c>Main</c>, console and exit code.</summary>
[Trait("Tier", "Stack")]
public sealed class PmedProcessTests(LocalStackFixture stack) : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("pmed-process-");

    [Fact]
    public async Task Help_ExitsZeroNamedPmed()
    {
        var run = await Pmed.RunProcessAsync(null, "--help");

        Assert.True(run.Exit == 0, run.ToString());
        Assert.Contains("pmed [command] [options]", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadUrl_ExitsOneWithTheMessage()
    {
        var run = await Pmed.RunProcessAsync(null, "ingest", "samples", "--fhir", "x");

        Assert.Equal(ExitCodes.Usage, run.Exit);
        Assert.Equal(["pmed: --fhir: 'x' is not an absolute http(s) URL", "See 'pmed ingest --help'."], run.StderrLines);
    }

    [Fact]
    public async Task IngestSamplesWithFhir_ExitsZero()
    {
        var run = await Pmed.RunProcessAsync(null, "ingest", "samples", "--out", _work.FullName, "--fhir", stack.Stack.FhirBaseUrl.ToString());

        Assert.True(run.Exit == ExitCodes.Ok, run.ToString());
        Assert.Contains("file(s) ingested", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StatusWithCosmosUnreachable_ExitsThreeWithOneLineAndNoStack()
    {
        var closed = $"http://127.0.0.1:{LoopbackPorts.Closed}/";

        var run = await Pmed.RunProcessAsync(null, "status", "--cosmos", closed, "--cosmos-key", stack.Stack.CosmosKey);

        Assert.Equal(ExitCodes.ServiceFailed, run.Exit);
        Assert.Equal([$"pmed: Cosmos DB at {closed}: connection refused"], run.StderrLines);
    }

    [Fact]
    public async Task ReviewListWithTheLocalStacksSettingsInTheEnvironment_ExitsZero()
    {
        var environment = ReviewCommandLineTests.LocalSettings(stack.Stack).ToDictionary(s => s.Key, s => s.Value!);

        var run = await Pmed.RunProcessAsync(environment, "review", "list");

        Assert.True(run.Exit == ExitCodes.Ok, run.ToString());
        Assert.Contains("No report is held for review.", run.Stdout, StringComparison.Ordinal);
    }

    public void Dispose() => _work.Delete(recursive: true);
}
