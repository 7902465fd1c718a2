using System.Text.Json.Nodes;
using PrecisionMed.Testing.Validation;
using Xunit;

namespace PrecisionMed.Validation.Tests.Hl7v2;

/// <summary>
/// How the lab's own implications are shaped, against the IG's cgexample: a PGx group with several implication kinds
/// for one medication gives one TherapeuticImplication per kind, each derived from the genotype; a complex variant's
/// header rows (significance, phenotype) give a DiagnosticImplication derived from the complex variant's Genotype, and
/// no Observation claims the Variant profile for them.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class Hl7v2ImplicationShapeTests
{
    private const string Warfarin = "11289";

    [Theory]
    [InlineData("authored/germline_from_cgexample.hl7")] // medication in its own "4a.1" group, as the IG's panel nests it
    [InlineData("authored/pgx_one_group_from_cgexample.hl7")] // everything in the one "4a" group
    public async Task BuildUnit_PgxGroupWithThreeKindsForOneMedication_OneImplicationPerKindDerivedFromTheGenotype(string file)
    {
        var resources = await ResourcesAsync(file);
        var genotype = resources.Single(r => Profile(r) == "genotype" && (string?)r["valueCodeableConcept"]?["text"] == "CYP2C9 *2/*5");
        var lab = resources.Where(r => Profile(r) == "therapeutic-implication" && !FromTheStore(r)).ToList();
        var ig = IgExample("Bundle-bundle-cgexample.json").Where(r => Profile(r) == "therapeutic-implication").ToList();

        // As the IG example: three implications for warfarin, one per kind (metabolism, efficacy, high-risk allele).
        Assert.Equal(3, ig.Count);
        Assert.Equal(ig.Count, lab.Count);
        Assert.Equal(Pairs(ig), Pairs(lab));
        Assert.All(lab, t => Assert.Single(Codes(t, "therapeutic-implication")));
        Assert.All(lab, t => Assert.Equal([Warfarin], Codes(t, "51963-7")));
        Assert.All(lab, t => Assert.Equal([$"Observation/{genotype["id"]}"], t["derivedFrom"]!.AsArray().Select(d => (string?)d!["reference"])));
        Assert.All(lab, t => Assert.Empty(FhirProfileValidator.Shared.Validate(t.ToJsonString()).Errors));

        // The recommendation goes with the metabolism implication, as the IG's Task's reasonReference does.
        var task = resources.Single(r => (string?)r["resourceType"] == "Task" && lab.Any(t => (string?)r["reasonReference"]?["reference"] == $"Observation/{t["id"]}"));
        var reason = (string?)task["reasonReference"]?["reference"];
        var metabolism = lab.Single(t => Codes(t, "therapeutic-implication").Contains("LA25390-8"));
        Assert.Equal($"Observation/{metabolism["id"]}", reason);
    }

    [Fact]
    public async Task BuildUnit_PgxGroupWithEvidenceLevel_EveryImplicationOfTheMedicationCarriesIt()
    {
        var resources = await ResourcesAsync("authored/pgx_one_group_from_cgexample.hl7");

        var lab = resources.Where(r => Profile(r) == "therapeutic-implication" && !FromTheStore(r)).ToList();
        Assert.Equal(3, lab.Count);
        Assert.All(lab, t => Assert.Equal("1A", (string?)Component(t, "93044-6")?["valueCodeableConcept"]?["text"]));
        Assert.DoesNotContain(resources, r => (string?)r["code"]?["coding"]?[0]?["code"] == "93044-6");
    }

    /// <summary>
    /// Two medications in one group, the second with its own metabolism answer after its 51963-7: that answer is the
    /// second medication's alone, and replaces the group's shared one for it; the shared kinds it does not restate hold.
    /// </summary>
    [Fact]
    public async Task BuildUnit_SecondMedicationWithItsOwnAnswer_TheAnswerIsThatMedicationsAlone()
    {
        var message = File.ReadAllText(Path.Combine(Hl7v2Pipeline.Root, "authored", "pgx_one_group_from_cgexample.hl7"))
            .Replace("SL-16-CG-0101", "SL-16-CG-0103", StringComparison.Ordinal)
            .Replace("\rSPM|", "\rOBX|11|CWE|51963-7^Medication assessed [ID]^LN|4a|32968^clopidogrel^RXNORM||||||F|||2016"
                + "\rOBX|12|CWE|53040-2^Genetic variation's effect on drug metabolism^LN|4a|LA9657-3^Poor metabolizer^LN||||||F|||2016\rSPM|",
                StringComparison.Ordinal);
        var units = await Hl7v2Pipeline.RunAsync(System.Text.Encoding.ASCII.GetBytes(message), "authored/two_medications.hl7", TestContext.Current.CancellationToken);
        var resources = units.SelectMany(u => u.Bundles).SelectMany(Hl7v2Pipeline.Resources).ToList();
        var lab = resources.Where(r => Profile(r) == "therapeutic-implication" && !FromTheStore(r)).ToList();

        Assert.Equal(
            ["11289|LA19542-2", "11289|LA25390-8", "11289|LA6676-6", "32968|LA19542-2", "32968|LA6676-6", "32968|LA9657-3"],
            Pairs(lab));
    }

    [Fact]
    public async Task BuildUnit_ComplexVariantWithHeaderSignificanceAndPhenotype_ImplicationDerivedFromTheComplexGenotype()
    {
        var resources = await ResourcesAsync("authored/complex_significance_from_cgexample.hl7");
        var igImplication = IgExample("Bundle-bundle-cgexample.json").Single(r => (string?)r["id"] == "complex-dis-path");

        var complex = resources.Single(r => Profile(r) == "genotype");
        Assert.Equal("NM_000106.5:c.[886C>T];[1457G>C]", (string?)complex["valueCodeableConcept"]?["text"]);
        var members = resources.Where(r => Profile(r) == "variant").ToList();
        Assert.Equal(2, members.Count);
        Assert.Equal(members.Select(m => $"Observation/{m["id"]}").Order(), complex["derivedFrom"]!.AsArray().Select(d => (string)d!["reference"]!).Order());

        var implication = resources.Where(r => Profile(r) == "diagnostic-implication" && !FromTheStore(r)).Single(r =>
            r["derivedFrom"]!.AsArray().Any(d => (string?)d!["reference"] == $"Observation/{complex["id"]}"));
        Assert.Equal(Codes(igImplication, "53037-8"), Codes(implication, "53037-8"));
        Assert.Equal(Codes(igImplication, "81259-4"), Codes(implication, "81259-4"));

        // Every Variant-profile Observation is a member with the profile's categories; every resource validates.
        Assert.All(members, m => Assert.Equal(["laboratory", "GE"], m["category"]!.AsArray().Select(c => (string?)c!["coding"]![0]!["code"])));
        Assert.All(resources, r => Assert.Empty(FhirProfileValidator.Shared.Validate(r.ToJsonString()).Errors));
    }

    /// <summary>The profiles' fixed categories on every Variant, in every HL7 v2 output of the test data.</summary>
    [Theory]
    [MemberData(nameof(Hl7v2OutputValidationTests.OruFiles), MemberType = typeof(Hl7v2OutputValidationTests))]
    public async Task BuildUnit_AnyOruFile_EveryVariantCarriesTheGenomicCategories(string file)
    {
        var resources = await ResourcesAsync(file);

        Assert.All(resources.Where(r => Profile(r) == "variant"), v =>
            Assert.Equal(["laboratory", "GE"], v["category"]!.AsArray().Select(c => (string?)c!["coding"]![0]!["code"])));
    }

    private static async Task<List<JsonObject>> ResourcesAsync(string file) =>
        [.. (await Hl7v2Pipeline.RunAsync(file, TestContext.Current.CancellationToken)).SelectMany(u => u.Bundles).SelectMany(Hl7v2Pipeline.Resources)];

    private static List<JsonObject> IgExample(string name) =>
        [.. JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "fhir", "ig-examples", name)))!["entry"]!.AsArray()
            .Select(e => e!["resource"]!.AsObject())];

    /// <summary>The last segment of the first profile (<c>therapeutic-implication</c>, <c>variant</c>), or empty.</summary>
    private static string Profile(JsonObject resource) =>
        ((string?)resource["meta"]?["profile"]?[0])?.Split('/')[^1] ?? string.Empty;

    private static bool FromTheStore(JsonObject implication) =>
        ((string?)Component(implication, "conclusion-string")?["valueString"])?.Contains("PrecisionMed knowledge store version", StringComparison.Ordinal) == true;

    private static JsonObject? Component(JsonObject observation, string code) =>
        (observation["component"]?.AsArray() ?? []).Select(c => c!.AsObject())
            .FirstOrDefault(c => c["code"]!["coding"]!.AsArray().Any(x => (string?)x!["code"] == code));

    private static List<string> Codes(JsonObject observation, string code) =>
        [.. (observation["component"]?.AsArray() ?? [])
            .Where(c => c!["code"]!["coding"]!.AsArray().Any(x => (string?)x!["code"] == code))
            .SelectMany(c => c!["valueCodeableConcept"]?["coding"]?.AsArray() ?? [])
            .Select(x => (string?)x!["code"]).OfType<string>().Order(StringComparer.Ordinal)];

    /// <summary>(medication, implication) per implication, sorted: what "one per medication and kind" compares.</summary>
    private static List<string> Pairs(IEnumerable<JsonObject> implications) =>
        [.. implications.Select(t => string.Join('+', Codes(t, "51963-7")) + "|" + string.Join('+', Codes(t, "therapeutic-implication"))).Order(StringComparer.Ordinal)];
}
