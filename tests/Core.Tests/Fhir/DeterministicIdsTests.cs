using System.Text.RegularExpressions;
using PrecisionMed.Core.Fhir;

namespace PrecisionMed.Core.Tests.Fhir;

[Trait("Tier", "Fast")]
public sealed partial class DeterministicIdsTests
{
    [Fact]
    public void Create_SameParts_SameId()
    {
        Assert.Equal(DeterministicIds.Create("lab-a", "ACC-1", "Observation", "k"), DeterministicIds.Create("lab-a", "ACC-1", "Observation", "k"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Create_AnyPartDifferent_DifferentId(int changed)
    {
        string[] parts = ["lab-a", "ACC-1", "Observation", "identifier:urn:x|1"];
        string[] other = [.. parts];
        other[changed] += "x";

        Assert.NotEqual(DeterministicIds.Create(parts), DeterministicIds.Create(other));
    }

    [Fact]
    public void Create_SameTextSplitDifferently_DifferentId()
    {
        Assert.NotEqual(DeterministicIds.Create("ab", "c"), DeterministicIds.Create("a", "bc"));
        Assert.NotEqual(DeterministicIds.Create("a|", "b"), DeterministicIds.Create("a", "|b"));
        Assert.NotEqual(DeterministicIds.Create("abc"), DeterministicIds.Create("abc", string.Empty));
    }

    [Fact]
    public void ForReportResource_DifferentLabOrAccession_DifferentId()
    {
        var id = DeterministicIds.ForReportResource("lab-a", "ACC-1", "Observation", "id:obs-1");

        Assert.NotEqual(id, DeterministicIds.ForReportResource("lab-b", "ACC-1", "Observation", "id:obs-1"));
        Assert.NotEqual(id, DeterministicIds.ForReportResource("lab-a", "ACC-2", "Observation", "id:obs-1"));
        Assert.NotEqual(id, DeterministicIds.ForReportResource("lab-a", "ACC-1", "Specimen", "id:obs-1"));
    }

    [Fact]
    public void ForLabResource_SameAsReportResourceParts_DifferentId()
    {
        Assert.NotEqual(
            DeterministicIds.ForLabResource("lab-a", "Organization", "id:org"),
            DeterministicIds.Create("lab-a", "Organization", "id:org"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("lab-a")]
    [InlineData("ünïcödé, spaces and | bars")]
    public void Create_AnyInput_ValidFhirIdAndVersion8Uuid(string part)
    {
        var id = DeterministicIds.Create(part, "x");

        Assert.Matches(FhirId(), id);
        Assert.True(Guid.TryParseExact(id, "D", out var guid));
        Assert.Equal(8, guid.Version);
        Assert.Equal(id, guid.ToString("D"));
        Assert.Equal('8', id[14]);
        Assert.Contains(id[19], "89ab");
    }

    [GeneratedRegex("^[A-Za-z0-9\\-\\.]{1,64}$")]
    private static partial Regex FhirId();
}
