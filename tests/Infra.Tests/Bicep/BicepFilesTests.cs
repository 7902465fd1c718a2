using Xunit;

namespace PrecisionMed.Infra.Tests.Bicep;

/// <summary>
/// Every Bicep file compiles without a diagnostic, every parameters file compiles against
/// main.bicep, and the linter (rules in infra/bicep/bicepconfig.json) has nothing to say about any.
/// </summary>
[Trait("Tier", "Stack")]
public sealed class BicepFilesTests(BicepFixture fixture)
{
    public static TheoryData<string> BicepFiles => Files("*.bicep");

    public static TheoryData<string> ParameterFiles => Files("*.bicepparam");

    [Fact]
    public void Build_AllBicepFiles_SucceedsWithoutDiagnostics()
    {
        Assert.True(fixture.Build.ExitCode == 0, fixture.Build.Describe());
        Assert.True(string.IsNullOrWhiteSpace(fixture.Build.StandardError + fixture.Build.StandardOutput), fixture.Build.Describe());
    }

    [Theory]
    [MemberData(nameof(BicepFiles))]
    public void Build_BicepFile_WritesItsArmTemplate(string file)
    {
        var output = Path.Combine(fixture.BuildOutput, Path.ChangeExtension(file, ".json"));

        Assert.True(File.Exists(output), $"bicep build wrote no {output}: {fixture.Build.Describe()}");
        Assert.Contains("deploymentTemplate.json#", File.ReadAllText(output), StringComparison.Ordinal);
    }

    [Fact]
    public void BuildParams_AllParametersFiles_SucceedWithoutDiagnostics()
    {
        Assert.True(fixture.BuildParams.ExitCode == 0, fixture.BuildParams.Describe());
        Assert.True(string.IsNullOrWhiteSpace(fixture.BuildParams.StandardError + fixture.BuildParams.StandardOutput), fixture.BuildParams.Describe());
    }

    [Theory]
    [MemberData(nameof(ParameterFiles))]
    public void BuildParams_ParametersFile_WritesItsParameters(string file)
    {
        var output = Path.Combine(fixture.BuildParamsOutput, Path.ChangeExtension(file, ".json"));

        Assert.True(File.Exists(output), $"bicep build-params wrote no {output}: {fixture.BuildParams.Describe()}");
        Assert.Contains("\"environmentName\"", File.ReadAllText(output), StringComparison.Ordinal);
    }

    [Fact]
    public void Lint_AllFiles_PrintsNoDiagnostics()
    {
        Assert.True(fixture.Lint.ExitCode == 0, fixture.Lint.Describe());
        Assert.True(
            string.IsNullOrWhiteSpace(fixture.Lint.StandardOutput) && string.IsNullOrWhiteSpace(fixture.Lint.StandardError),
            $"bicep lint reported diagnostics (infra/bicep/bicepconfig.json sets the rules): {fixture.Lint.Describe()}");
    }

    [Fact]
    public void Modules_AreEachUsedByAnotherBicepFile()
    {
        var sources = BicepFiles.Select(row => File.ReadAllText(Path.Combine(RepositoryRoot.Path, BicepFixture.BicepFolder, row.Data))).ToList();
        foreach (var module in Directory.EnumerateFiles(Path.Combine(RepositoryRoot.Path, BicepFixture.BicepFolder, "modules"), "*.bicep"))
        {
            var name = Path.GetFileName(module);
            Assert.True(
                sources.Any(source => source.Contains($"'modules/{name}'", StringComparison.Ordinal) || source.Contains($"'{name}'", StringComparison.Ordinal)),
                $"infra/bicep/modules/{name} is used by no Bicep file.");
        }
    }

    [Fact]
    public void BicepFiles_ReferenceNoRegistryModule()
    {
        foreach (var file in BicepFiles.Select(row => row.Data))
        {
            var source = File.ReadAllText(Path.Combine(RepositoryRoot.Path, BicepFixture.BicepFolder, file));
            // Registry and template-spec modules do not resolve offline (and pin code nobody here reviewed).
            Assert.DoesNotMatch(@"'(br|ts)[:/]", source);
        }
    }

    // Paths relative to infra/bicep, the way the build's --outdir mirrors them.
    private static TheoryData<string> Files(string pattern)
    {
        var root = Path.Combine(RepositoryRoot.Path, BicepFixture.BicepFolder);
        return
        [
            .. Directory.EnumerateFiles(root, pattern, SearchOption.AllDirectories)
                .Select(file => Path.GetRelativePath(root, file))
                .Order(StringComparer.Ordinal),
        ];
    }
}
