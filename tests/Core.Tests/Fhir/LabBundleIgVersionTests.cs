using System.Text.Json.Nodes;
using PrecisionMed.Core.Fhir;
using PrecisionMed.Core.LabReports;

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

    [Theory]
    [InlineData("meta", "Bundle.entry[3].resource.meta.profile[0]", "profile")]
    [InlineData("extension", "Bundle.entry[3].resource.extension[0].url", "extension")]
    [InlineData("system", "Bundle.entry[3].resource.code.coding[0].system", "code system")]
    public void Check_UnknownNameUnderTheIgsBase_RejectedNamingKindAndPathNotTheName(string where, string path, string kind)
    {
        const string Name = "DOE JANE 1970-01-01 MRN 555123";
        var resource = new JsonObject { ["resourceType"] = "Observation", ["id"] = "o1", ["status"] = "final" };
        switch (where)
        {
            case "meta":
                resource["meta"] = new JsonObject { ["profile"] = new JsonArray(IgBase + "StructureDefinition/" + Name) };
                break;
            case "extension":
                resource["extension"] = new JsonArray(new JsonObject { ["url"] = IgBase + "StructureDefinition/" + Name, ["valueString"] = "x" });
                break;
            default:
                resource["code"] = new JsonObject
                {
                    ["coding"] = new JsonArray(new JsonObject { ["system"] = IgBase + "CodeSystem/" + Name + "|3.0.0", ["code"] = "x" }),
                };
                break;
        }

        var entry = new LabBundleEntry(3, "urn:uuid:0d9f2b56-8f0e-4c2a-9a53-6f3c2a1b7e10", "Observation", "o1", resource);

        var rejected = Assert.Throws<LabFileRejectedException>(() => LabBundleIgVersion.Check([entry]));

        Assert.Equal(path, rejected.Problem.Position.Path);
        Assert.Contains($"a Genomics Reporting IG {kind} ", rejected.Problem.Reason, StringComparison.Ordinal);
        Assert.Contains("IG 3.0.0 does not define", rejected.Problem.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("DOE", rejected.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("555123", rejected.Message, StringComparison.Ordinal);
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
