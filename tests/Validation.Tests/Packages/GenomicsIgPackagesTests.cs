using System.Text.Json;
using PrecisionMed.Validation.Packages;
using Xunit;

namespace PrecisionMed.Validation.Tests.Packages;

/// <summary>The packages pmed installs are exactly those `npm ci` installs for the tests.</summary>
[Trait("Tier", "Fast")]
public sealed class GenomicsIgPackagesTests
{
    [Fact]
    public void All_MatchesTheTestsLockFile_NameVersionAndIntegrity()
    {
        var lockFile = Path.Combine(RepositoryRoot(), "tests", "fhir-packages", "package-lock.json");
        using var document = JsonDocument.Parse(File.ReadAllText(lockFile));
        var locked = document.RootElement.GetProperty("packages").EnumerateObject()
            .Where(p => p.Name.StartsWith("node_modules/", StringComparison.Ordinal) && p.Value.TryGetProperty("integrity", out _))
            .Select(p => new FhirPackage(
                p.Name["node_modules/".Length..],
                p.Value.GetProperty("version").GetString()!,
                p.Value.GetProperty("integrity").GetString()!))
            .OrderBy(p => p.Name, StringComparer.Ordinal);

        Assert.Equal(locked, GenomicsIgPackages.All.OrderBy(p => p.Name, StringComparer.Ordinal));
    }

    [Fact]
    public void TarballUrl_RegistryWithOrWithoutSlash_IsNpmsTarballPath()
    {
        var package = new FhirPackage("hl7.terminology.r4", "7.0.1", "sha512-x");

        Assert.Equal("https://registry.npmjs.org/hl7.terminology.r4/-/hl7.terminology.r4-7.0.1.tgz", package.TarballUrl(new Uri("https://registry.npmjs.org")).AbsoluteUri);
        Assert.Equal("http://127.0.0.1:8/npm/hl7.terminology.r4/-/hl7.terminology.r4-7.0.1.tgz", package.TarballUrl(new Uri("http://127.0.0.1:8/npm/")).AbsoluteUri);
        Assert.Equal("http://r/@scope/pkg/-/pkg-1.0.0.tgz", new FhirPackage("@scope/pkg", "1.0.0", "sha512-x").TarballUrl(new Uri("http://r")).AbsoluteUri);
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "PrecisionMed.Serverless.sln"))) return folder.FullName;
        }

        throw new InvalidOperationException("No PrecisionMed.Serverless.sln above " + AppContext.BaseDirectory);
    }
}
