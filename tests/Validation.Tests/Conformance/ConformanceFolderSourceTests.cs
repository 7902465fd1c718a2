using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;
using PrecisionMed.Testing.Validation;
using PrecisionMed.Validation.Conformance;
using Xunit;

namespace PrecisionMed.Validation.Tests.Conformance;

/// <summary>The folder source over the Genomics IG's own package (tests/fhir-packages), and over copies of its files.</summary>
[Trait("Tier", "Fast")]
public sealed class ConformanceFolderSourceTests : IDisposable
{
    private const string Variant = "http://hl7.org/fhir/uv/genomics-reporting/StructureDefinition/variant";
    private static readonly string[] Masks = ["StructureDefinition-*.json", "ValueSet-*.json", "CodeSystem-*.json"];

    private readonly string _genomicsPackage = Path.Combine(FhirPackageFolders.FindNodeModules(), "hl7.fhir.uv.genomics-reporting");
    private readonly string _scratch = Directory.CreateTempSubdirectory("pmed-conformance-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Fact]
    public async Task ResolveByCanonical_IgProfile_ParsedFromItsFile()
    {
        var source = new ConformanceFolderSource(_genomicsPackage, Masks);

        var resource = await source.ResolveByCanonicalUriAsync(Variant);

        var profile = Assert.IsType<StructureDefinition>(resource);
        Assert.Equal(Variant, profile.Url);
        Assert.NotNull(profile.Snapshot);
        Assert.True(source.Count > 50, $"{source.Count} resources indexed");
    }

    [Theory]
    [InlineData("|3.0.0", true)]
    [InlineData("|3.0", true)]
    [InlineData("|2.0.0", false)]
    public async Task ResolveByCanonical_WithVersion_MatchesAsTheSdkDoes(string version, bool found)
    {
        var source = new ConformanceFolderSource(_genomicsPackage, Masks);

        var resource = await source.ResolveByCanonicalUriAsync(Variant + version);

        Assert.Equal(found, resource is not null);
    }

    [Fact]
    public async Task Resolve_UnknownCanonical_NotFoundAsAResult()
    {
        var source = new ConformanceFolderSource(_genomicsPackage, Masks);

        var result = await source.TryResolveByCanonicalUriAsync("http://example.org/StructureDefinition/none");

        Assert.False(result.Success);
        Assert.Null(await source.ResolveByUriAsync("http://example.org/StructureDefinition/none"));
    }

    [Fact]
    public async Task ResolveByUri_TypeAndId_FindsTheFile()
    {
        var source = new ConformanceFolderSource(_genomicsPackage, Masks);

        var resource = await source.ResolveByUriAsync("http://hl7.org/fhir/uv/genomics-reporting/StructureDefinition/variant");

        Assert.Equal("variant", Assert.IsType<StructureDefinition>(resource).Id);
    }

    [Fact]
    public async Task Index_FilesThatAreNoResource_LeftOutAndTheRestServed()
    {
        File.Copy(Path.Combine(_genomicsPackage, "StructureDefinition-variant.json"), Path.Combine(_scratch, "StructureDefinition-variant.json"));
        File.WriteAllText(Path.Combine(_scratch, "StructureDefinition-broken.json"), "{ not json");
        File.WriteAllText(Path.Combine(_scratch, "StructureDefinition-array.json"), "[1, 2]");
        File.WriteAllText(Path.Combine(_scratch, "ValueSet-untyped.json"), """{"url": "http://example.org/ValueSet/x"}""");

        var source = new ConformanceFolderSource(_scratch, Masks);

        Assert.Equal(1, source.Count);
        Assert.NotNull(await source.ResolveByCanonicalUriAsync(Variant));
        Assert.Null(await source.ResolveByCanonicalUriAsync("http://example.org/ValueSet/x"));
    }

    [Fact]
    public async Task ResolveByCanonical_TwoFilesWithOneUrl_AConflictNamingBoth()
    {
        var original = Path.Combine(_genomicsPackage, "StructureDefinition-variant.json");
        File.Copy(original, Path.Combine(_scratch, "StructureDefinition-variant.json"));
        File.Copy(original, Path.Combine(_scratch, "StructureDefinition-variant-copy.json"));
        var source = new ConformanceFolderSource(_scratch, Masks);

        var conflict = await Assert.ThrowsAsync<InvalidOperationException>(() => source.ResolveByCanonicalUriAsync(Variant));

        Assert.Contains("StructureDefinition-variant.json", conflict.Message, StringComparison.Ordinal);
        Assert.Contains("StructureDefinition-variant-copy.json", conflict.Message, StringComparison.Ordinal);
    }
}
