using System.CommandLine;
using System.Text.Json.Nodes;
using PrecisionMed.Cli.Validate;
using PrecisionMed.Testing.Stack;
using PrecisionMed.Validation;
using PrecisionMed.Validation.Packages;
using Xunit;

namespace PrecisionMed.Cli.Tests.Validate;

/// <summary>
/// Installing the IG packages from an npm registry: a loopback registry (Kestrel on port 0) serves tarballs
/// packed from tests/fhir-packages/node_modules, so no internet is needed. Packed here, their bytes differ from
/// npm's, so the pinned integrity of <see cref="GenomicsIgPackages"/> fails on them: the happy path uses the
/// installer with the packed tarballs' own integrity, and the command line shows the integrity failure.
/// </summary>
[Trait("Tier", "Stack")]
public sealed class FhirPackageInstallTests : IAsyncLifetime
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("pmed-packages-");
    private readonly StringWriter _stdout = new();
    private readonly StringWriter _stderr = new();
    private LoopbackNpmRegistry? _registry;

    private static string NodeModules => Path.Combine(RepositoryPaths.Root, "tests", "fhir-packages", "node_modules");

    private LoopbackNpmRegistry Registry => _registry!;

    private string Cache => Path.Combine(_work.FullName, "cache");

    // Never read: each test fails before validating.
    private static string Sample => Path.Combine(RepositoryPaths.Root, "samples", "Bundle-bundle-pgxexample.json");

    public async ValueTask InitializeAsync() => _registry = await LoopbackNpmRegistry.StartAsync(TestContext.Current.CancellationToken);

    [Fact]
    public async Task EnsureInstalled_FromRegistry_InstallsVerifiedPackagesOnceAndTheValidatorReadsThem()
    {
        var ct = TestContext.Current.CancellationToken;
        var packages = GenomicsIgPackages.All.Select(p =>
        {
            var tarball = NpmTarball.Pack(Path.Combine(NodeModules, p.Name));
            var packed = p with { Integrity = NpmTarball.Integrity(tarball) };
            Registry.Serve(packed.TarballUrl(Registry.Url), tarball);
            return packed;
        }).ToList();
        using var http = new HttpClient();
        var installer = new FhirPackageInstaller(http, Registry.Url, _stderr);

        var folders = await installer.EnsureInstalledAsync(new FhirPackageFolder(Cache), packages, ct);

        Assert.Equal(3, Registry.Requests);
        Assert.Equal(packages.Select(p => Path.Combine(Cache, $"{p.Name}#{p.Version}", "package")), folders);
        Assert.Equal(
            Directory.GetFiles(Path.Combine(NodeModules, "hl7.fhir.uv.genomics-reporting")).Length,
            Directory.GetFiles(folders[0]).Length);
        Assert.Equal(packages.Select(p => $"{p.Name}#{p.Version}").Order(StringComparer.Ordinal), Directory.GetFileSystemEntries(Cache).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Contains($"pmed: installing FHIR package hl7.terminology.r4@7.0.1 from {Registry.Url}hl7.terminology.r4/-/hl7.terminology.r4-7.0.1.tgz", _stderr.ToString(), StringComparison.Ordinal);

        var again = await installer.EnsureInstalledAsync(new FhirPackageFolder(Cache), packages, ct);

        Assert.Equal(folders, again);
        Assert.Equal(3, Registry.Requests);
        // The IG's Variant profile comes from the installed package: a Variant with another code breaks its pattern.
        var sample = await BrokenBundles.WriteValidPhaseSampleAsync(Path.Combine(_work.FullName, "phase.json"), ct);
        var variant = JsonNode.Parse(await File.ReadAllTextAsync(sample, ct))!["entry"]![0]!["resource"]!;
        var validator = FhirProfileValidator.Create(folders);
        Assert.True(validator.Validate(variant.ToJsonString()).IsValid, validator.Validate(variant.ToJsonString()).ToString());
        variant["code"]!["coding"]![0]!["code"] = "12345-6";
        Assert.Contains(validator.Validate(variant.ToJsonString()).Errors, e => e.Contains("69548-6", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Validate_TarballFailsIntegrity_ExitsThreeNamingPackageAndUrlAndLeavesNothing()
    {
        var genomics = GenomicsIgPackages.All[0];
        Registry.Serve(genomics.TarballUrl(Registry.Url), NpmTarball.Pack(Path.Combine(NodeModules, genomics.Name)));

        var exit = await ValidateAsync(Sample, "--packages", Cache, "--registry", Registry.Url.ToString());

        Assert.Equal(ValidateRunner.ExitUnreachable, exit);
        var error = _stderr.ToString();
        Assert.Contains(
            $"pmed validate: Cannot install hl7.fhir.uv.genomics-reporting@3.0.0: the tarball from {genomics.TarballUrl(Registry.Url)} fails its integrity check (expected {genomics.Integrity}, got sha512-",
            error,
            StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(Cache));
        Assert.Empty(_stdout.ToString());
    }

    [Fact]
    public async Task Validate_RegistryUnreachable_ExitsThreeNamingTheUrl()
    {
        var closed = new Uri($"http://127.0.0.1:{LoopbackPorts.Closed}/");

        var exit = await ValidateAsync(Sample, "--packages", Cache, "--registry", closed.ToString());

        Assert.Equal(ValidateRunner.ExitUnreachable, exit);
        Assert.Contains(
            $"pmed validate: Cannot install hl7.fhir.uv.genomics-reporting@3.0.0: the npm registry is unreachable: GET {GenomicsIgPackages.All[0].TarballUrl(closed)}: ",
            _stderr.ToString(),
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pmed_RegistryFromNpmEnvironmentAnswers404_ExitsThreeWithTheStatus()
    {
        var result = await PmedProcess.RunAsync(
            ["validate", Sample],
            new Dictionary<string, string?>
            {
                ["npm_config_registry"] = Registry.Url.ToString(),
                [ValidatorSetup.PackagesVariable] = Cache,
            },
            TestContext.Current.CancellationToken);

        Assert.True(result.ExitCode == ValidateRunner.ExitUnreachable, result.ToString());
        Assert.Contains(
            $"pmed validate: Cannot install hl7.fhir.uv.genomics-reporting@3.0.0: GET {GenomicsIgPackages.All[0].TarballUrl(Registry.Url)} answered HTTP 404 Not Found.",
            result.Stderr,
            StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, Registry.Requests);
    }

    public async ValueTask DisposeAsync()
    {
        if (_registry is not null) await _registry.DisposeAsync();
        _stdout.Dispose();
        _stderr.Dispose();
        _work.Delete(recursive: true);
    }

    private Task<int> ValidateAsync(params string[] args) =>
        new RootCommand { ValidateCommand.Create(_stdout, _stderr) }.Parse(["validate", .. args])
            .InvokeAsync(cancellationToken: TestContext.Current.CancellationToken);
}
