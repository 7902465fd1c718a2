using System.Text.Json;

namespace PrecisionMed.Validation.Packages;

/// <summary>
/// A folder of unpacked FHIR packages in either of two layouts: npm's <c>node_modules/{name}/package.json</c>
/// (e.g. tests/fhir-packages/node_modules; used when its version is the one asked for) or the FHIR package
/// cache's <c>{name}#{version}/package/package.json</c> (as in ~/.fhir/packages), which is where
/// <see cref="FhirPackageInstaller"/> installs.
/// </summary>
public sealed class FhirPackageFolder(string root)
{
    /// <summary>The folder, as given.</summary>
    public string Root { get; } = root;

    /// <summary>The unpacked package's folder (the one holding package.json), or null when it is not here.</summary>
    public string? Find(FhirPackage package)
    {
        ArgumentNullException.ThrowIfNull(package);
        var cached = Path.Combine(InstallFolder(package), "package");
        if (File.Exists(Path.Combine(cached, "package.json")))
        {
            return cached;
        }

        var npm = Path.Combine(Root, package.Name);
        return VersionOf(Path.Combine(npm, "package.json")) == package.Version ? npm : null;
    }

    /// <summary>Every package's folder, in order; throws <see cref="FhirPackagesMissingException"/> naming the missing ones.</summary>
    public IReadOnlyList<string> FindAll(IReadOnlyList<FhirPackage> packages)
    {
        ArgumentNullException.ThrowIfNull(packages);
        var found = packages.Select(p => (Package: p, Folder: Find(p))).ToList();
        var missing = found.Where(f => f.Folder is null).Select(f => f.Package.ToString()).ToList();
        if (missing.Count > 0)
        {
            throw new FhirPackagesMissingException(
                $"The FHIR validator's packages are missing from {Root}: {string.Join(", ", missing)}.");
        }

        return [.. found.Select(f => f.Folder!)];
    }

    /// <summary><c>{root}/{name}#{version}</c>: where the installer unpacks a package (under package/).</summary>
    public string InstallFolder(FhirPackage package)
    {
        ArgumentNullException.ThrowIfNull(package);
        return Path.Combine(Root, $"{package.Name}#{package.Version}");
    }

    private static string? VersionOf(string packageJson)
    {
        if (!File.Exists(packageJson))
        {
            return null;
        }

        try
        {
            using var stream = File.OpenRead(packageJson);
            using var document = JsonDocument.Parse(stream);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("version", out var version)
                && version.ValueKind == JsonValueKind.String
                    ? version.GetString()
                    : null;
        }
        catch (JsonException)
        {
            // A damaged package.json: the package counts as missing and is installed afresh.
            return null;
        }
    }
}
