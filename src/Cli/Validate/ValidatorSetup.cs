using PrecisionMed.Validation;
using PrecisionMed.Validation.Conformance;
using PrecisionMed.Validation.Packages;

namespace PrecisionMed.Cli.Validate;

/// <summary>
/// Where the validator's IG packages live and where they come from, and the one validator a run builds
/// (creating it takes seconds, so <c>pmed validate</c> and <c>pmed ingest --validate</c> build it once).
/// </summary>
internal static class ValidatorSetup
{
    /// <summary>Overrides the default package folder (the cache) when <c>--packages</c> is not given.</summary>
    public const string PackagesVariable = "PMED_FHIR_PACKAGES";

    /// <summary><c>--packages</c>, else $PMED_FHIR_PACKAGES, else $XDG_CACHE_HOME/pmed/fhir-packages or ~/.cache/pmed/fhir-packages.</summary>
    public static string PackageRoot(string? option)
    {
        if (!string.IsNullOrWhiteSpace(option)) return Path.GetFullPath(option);
        if (Environment.GetEnvironmentVariable(PackagesVariable) is { Length: > 0 } variable) return Path.GetFullPath(variable);
        return Path.Combine(UserCacheFolder.Root() ?? Path.GetTempPath(), "fhir-packages");
    }

    /// <summary><c>--registry</c>, else npm's own setting ($npm_config_registry), else registry.npmjs.org; null with an error when malformed.</summary>
    public static Uri? Registry(string? option, out string? error)
    {
        error = null;
        var (name, value) = !string.IsNullOrWhiteSpace(option) ? ("--registry", option)
            : Environment.GetEnvironmentVariable("npm_config_registry") is { Length: > 0 } lower ? ("$npm_config_registry", lower)
            : Environment.GetEnvironmentVariable("NPM_CONFIG_REGISTRY") is { Length: > 0 } upper ? ("$NPM_CONFIG_REGISTRY", upper)
            : (null, null);
        if (value is null) return FhirPackageInstaller.DefaultRegistry;
        if (Uri.TryCreate(value, UriKind.Absolute, out var registry) && (registry.Scheme == Uri.UriSchemeHttp || registry.Scheme == Uri.UriSchemeHttps))
            return registry;
        error = $"{name}: '{value}' is not an absolute http(s) URL";
        return null;
    }

    /// <summary>Installs what is missing from <paramref name="packageRoot"/> (only the first run downloads), then builds the validator.</summary>
    /// <exception cref="FhirPackageInstallException">A package could not be downloaded, verified or unpacked.</exception>
    public static async Task<FhirProfileValidator> CreateAsync(string packageRoot, Uri registry, TextWriter progress, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        var installer = new FhirPackageInstaller(http, registry, progress);
        var folders = await installer.EnsureInstalledAsync(new FhirPackageFolder(packageRoot), GenomicsIgPackages.All, cancellationToken);
        return FhirProfileValidator.Create(folders);
    }
}
