using System.Text.Json.Nodes;
using PrecisionMed.Core.Fhir;

namespace PrecisionMed.Core.Tests.Fhir;

/// <summary>
/// The names a lab bundle may use under the IG's base URL are exactly those the IG 3.0.0 package the validator reads
/// defines there (tests/fhir-packages). Two of its code systems live at terminology.hl7.org in 3.0.0
/// (sequence-phase-relationship-cs, variant-confidence-status-cs): under the IG's base they are an earlier version's.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class LabBundleIgVersionTests
{
    private const string IgBase = "http://hl7.org/fhir/uv/genomics-reporting/";

    [Theory]
    [InlineData("StructureDefinition")]
    [InlineData("CodeSystem")]
    public void KnownNames_AreThePackagesOwn(string resourceType)
    {
        var known = resourceType == "StructureDefinition" ? LabBundleIgVersion.StructureDefinitions : LabBundleIgVersion.CodeSystems;

        var package = Directory.GetFiles(PackageFolder(), $"{resourceType}-*.json")
            .Select(path => JsonNode.Parse(File.ReadAllText(path))!)
            .Select(resource => (Id: (string)resource["id"]!, Url: (string)resource["url"]!))
            .ToList();

        var underTheIgsBase = package.Where(r => r.Url == $"{IgBase}{resourceType}/{r.Id}").Select(r => r.Id);

        Assert.Equal(underTheIgsBase.Order(StringComparer.Ordinal), known.Order(StringComparer.Ordinal));
    }

    private static string PackageFolder()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "PrecisionMed.Serverless.sln")))
                return Path.Combine(folder.FullName, "tests", "fhir-packages", "node_modules", "hl7.fhir.uv.genomics-reporting");
        }

        throw new InvalidOperationException("Cannot find the repository root (PrecisionMed.Serverless.sln) above " + AppContext.BaseDirectory);
    }
}
