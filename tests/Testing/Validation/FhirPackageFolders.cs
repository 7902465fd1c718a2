namespace PrecisionMed.Testing.Validation;

/// <summary>Finds the unpacked npm FHIR packages under tests/fhir-packages/node_modules.</summary>
public static class FhirPackageFolders
{
    private const string SolutionFileName = "PrecisionMed.Serverless.sln";
    private const string InstallHint = "run `npm ci` in tests/fhir-packages";

    /// <summary>The IG packages, in resolution order (first match wins); R4 core comes from the SDK zip after them.</summary>
    public static IReadOnlyList<string> PackageNames { get; } =
    [
        "hl7.fhir.uv.genomics-reporting",
        "hl7.fhir.uv.extensions.r4",
        "hl7.terminology.r4",
    ];

    /// <summary>
    /// Walks up from <see cref="AppContext.BaseDirectory"/> to the folder holding the solution file and returns
    /// its tests/fhir-packages/node_modules, checking that every package is unpacked there.
    /// </summary>
    public static string FindNodeModules()
    {
        var start = AppContext.BaseDirectory;
        for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, SolutionFileName)))
            {
                var nodeModules = Path.Combine(folder.FullName, "tests", "fhir-packages", "node_modules");
                EnsureInstalled(nodeModules);
                return nodeModules;
            }
        }

        throw new FhirPackagesMissingException(
            $"The FHIR validator cannot find its packages: no folder above {start} holds {SolutionFileName}; " +
            $"run the tests from the repository and {InstallHint}.");
    }

    /// <summary>Throws <see cref="FhirPackagesMissingException"/> unless every package has its package.json.</summary>
    public static void EnsureInstalled(string nodeModules)
    {
        var missing = PackageNames
            .Where(name => !File.Exists(Path.Combine(nodeModules, name, "package.json")))
            .ToList();
        if (missing.Count > 0)
        {
            throw new FhirPackagesMissingException(
                $"The FHIR validator's npm packages are missing from {nodeModules} ({string.Join(", ", missing)}): " +
                $"{InstallHint}.");
        }
    }
}
