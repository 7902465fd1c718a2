using PrecisionMed.Cli.CommandLine;
using PrecisionMed.Cli.Ingest;
using PrecisionMed.Cli.Tests.CommandLine;
using PrecisionMed.Testing.Stack;
using Xunit;

namespace PrecisionMed.Cli.Tests.Ingest;

/// <summary><c>pmed ingest --fhir</c>'s one look at the server before it writes: a server that is not there ends the run at once.</summary>
[Trait("Tier", "Fast")]
public sealed class FhirPreflightTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("pmed-preflight-");

    [Fact]
    public async Task UnreachableAsync_NothingListens_ExitThreeNamingTheServerAndUrlWithoutQuery()
    {
        var closed = $"http://127.0.0.1:{LoopbackPorts.Closed}/fhir/";

        var failure = await FhirPreflight.UnreachableAsync(new Uri(closed + "?_format=json"), TestContext.Current.CancellationToken);

        Assert.NotNull(failure);
        Assert.Equal(ExitCodes.ServiceFailed, failure.ExitCode);
        Assert.Equal($"FHIR server at {closed}: connection refused", failure.Message);
    }

    [Fact]
    public async Task UnreachableAsync_SomethingAnswers_NullWhateverItSays()
    {
        // A web page, not a CapabilityStatement: the server is there, and the writer deals with what it answers.
        await using var server = new PlainHttpServer();

        Assert.Null(await FhirPreflight.UnreachableAsync(server.Url, TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080/", "http://127.0.0.1:8080/metadata")]
    [InlineData("http://127.0.0.1:8080/fhir", "http://127.0.0.1:8080/fhir/metadata")]
    [InlineData("https://ws-fhir.fhir.azurehealthcareapis.com/?sig=secret", "https://ws-fhir.fhir.azurehealthcareapis.com/metadata")]
    public void MetadataUrl_BaseWithOrWithoutSlashOrQuery_BaseSlashMetadata(string baseUrl, string expected) =>
        Assert.Equal(expected, FhirPreflight.MetadataUrl(new Uri(baseUrl)).ToString());

    [Fact]
    public async Task Ingest_FhirServerDown_ExitsThreeAtOnceWithOneLine()
    {
        var closed = $"http://127.0.0.1:{LoopbackPorts.Closed}/";
        var started = TimeProvider.System.GetTimestamp();

        var run = await Pmed.RunAsync(
            "ingest", Path.Combine(RepositoryPaths.Root, "samples", "Bundle-bundle-cgexample.json"), "--out", Path.Combine(_work.FullName, "out"),
            "--fhir", closed + "?_format=json");

        Assert.Equal(ExitCodes.ServiceFailed, run.Exit);
        Assert.Equal([$"pmed: FHIR server at {closed}: connection refused"], run.StderrLines);
        Assert.Empty(run.Stdout); // no file was read: no table
        // The writer's retries took 16-20 s to give up; the look before the first write, a moment.
        Assert.True(TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromSeconds(8), $"took {TimeProvider.System.GetElapsedTime(started)}");
        CommandLineParsingTests.AssertNoStack(run);
    }

    public void Dispose() => _work.Delete(recursive: true);
}
