using PrecisionMed.Cli.Validate;
using Xunit;

namespace PrecisionMed.Cli.Tests.Validate;

/// <summary>
/// The acceptance run, as a shell runs it: the built pmed.dll ingests the samples, then validates what it wrote.
/// </summary>
[Trait("Tier", "Stack")]
public sealed class ValidateSamplesTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("pmed-validate-samples-");

    [Fact]
    public async Task Pmed_ValidateTheSamplesIngestOutput_ExitsZero()
    {
        var ct = TestContext.Current.CancellationToken;
        var output = Path.Combine(_work.FullName, "out");
        var packages = Path.Combine(RepositoryPaths.Root, "tests", "fhir-packages", "node_modules");
        var noEnvironment = new Dictionary<string, string?>();

        var ingest = await PmedProcess.RunAsync(["ingest", "samples", "--out", output], noEnvironment, ct);
        Assert.True(ingest.ExitCode == 0, ingest.ToString());

        var validate = await PmedProcess.RunAsync(["validate", output, "--packages", packages], noEnvironment, ct);

        Assert.True(validate.ExitCode == ValidateRunner.ExitOk, validate.ToString());
        var bundles = Directory.GetFiles(output, "*.json", SearchOption.AllDirectories).Length;
        Assert.Contains($"pmed validate: {bundles} file(s), ", validate.Stdout, StringComparison.Ordinal);
        Assert.Contains(" resource(s): 0 error(s), ", validate.Stdout, StringComparison.Ordinal);
    }

    public void Dispose() => _work.Delete(recursive: true);
}
