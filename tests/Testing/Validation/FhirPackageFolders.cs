using System.Diagnostics.CodeAnalysis;
using PrecisionMed.Validation;
using PrecisionMed.Validation.Packages;

namespace PrecisionMed.Testing.Validation;

/// <summary>
/// The test run's validator, over the npm packages unpacked in tests/fhir-packages/node_modules (`npm ci` there),
/// offered as <c>FhirProfileValidator.Shared</c> and <c>BundleValidation.Validate(json)</c> so tests read as
/// before the validator moved into src/Validation.
/// </summary>
[SuppressMessage("Naming", "CA1708:Identifiers should differ by more than case", Justification = "The analyzer sees the two extension blocks' generated names, not ours.")]
public static class FhirPackageFolders
{
    private const string SolutionFileName = "PrecisionMed.Serverless.sln";
    private const string InstallHint = "run `npm ci` in tests/fhir-packages";

    private static readonly Lazy<FhirProfileValidator> SharedInstance =
        new(() => FhirProfileValidator.Create(FindNodeModules()), LazyThreadSafetyMode.ExecutionAndPublication);

    extension(FhirProfileValidator)
    {
        /// <summary>The instance for this test run, built on first use from tests/fhir-packages/node_modules.</summary>
        public static FhirProfileValidator Shared => SharedInstance.Value;
    }

    extension(BundleValidation)
    {
        /// <summary>Validates every entry with <c>FhirProfileValidator.Shared</c> and checks references.</summary>
        public static BundleValidationReport Validate(string bundleJson) => BundleValidation.Validate(bundleJson, SharedInstance.Value);
    }

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
                try
                {
                    _ = new FhirPackageFolder(nodeModules).FindAll(GenomicsIgPackages.All);
                }
                catch (FhirPackagesMissingException ex)
                {
                    throw new FhirPackagesMissingException($"{ex.Message} {InstallHint}.", ex);
                }

                return nodeModules;
            }
        }

        throw new FhirPackagesMissingException(
            $"The FHIR validator cannot find its packages: no folder above {start} holds {SolutionFileName}; " +
            $"run the tests from the repository and {InstallHint}.");
    }
}
