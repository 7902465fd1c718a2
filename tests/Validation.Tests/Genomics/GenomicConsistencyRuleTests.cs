using System.Text.Json;
using System.Text.Json.Nodes;
using PrecisionMed.Testing.Validation;
using PrecisionMed.Validation.Genomics;
using Xunit;

namespace PrecisionMed.Validation.Tests.Genomics;

/// <summary>
/// The genomic consistency rule beside the profile validation: HGVS expressions on their reference sequences, and a
/// Variant's gene, coordinates and alleles in agreement. The IG's example bundles pass it.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class GenomicConsistencyRuleTests
{
    private const string ExampleFolder = "TestData/fhir/ig-examples";

    public static TheoryData<string> Examples =>
        [.. Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, ExampleFolder), "*.json").Select(f => Path.GetFileName(f)).Order()];

    [Theory]
    [MemberData(nameof(Examples))]
    public void Check_IgExampleBundle_NoErrors(string fileName)
    {
        using var bundle = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, ExampleFolder, fileName)));

        var issues = bundle.RootElement.GetProperty("entry").EnumerateArray().SelectMany(e => GenomicConsistencyRule.Check(e.GetProperty("resource"))).ToList();

        Assert.DoesNotContain(issues, i => i.Severity == ValidationSeverity.Error);
    }

    [Theory]
    [InlineData("NM_000492.3:c.1521_1523delCTT")]
    [InlineData("NC_000007.14:g.117559590_117559592del")]
    [InlineData("NP_000483.3:p.(Phe508del)")]
    [InlineData("ENST00000646891.2:c.1799T>A")]
    [InlineData("ENSP00000493543.1:p.Val600Glu")]
    [InlineData("NG_012232.1(NM_004006.2):c.93+1G>T")]
    [InlineData("NM_000492.3(CFTR):c.1521_1523delCTT")]
    [InlineData("LRG_199t1:c.79_80delinsTT")]
    [InlineData("NC_012920.1:m.8993T>G")]
    [InlineData("NR_002196.2:n.601G>T")]
    public void Check_HgvsOnItsSequence_NoIssue(string hgvs)
    {
        Assert.Empty(Check(Observation(("81252-9", Hgvs(hgvs)))));
    }

    [Theory]
    [InlineData("c.5363G>T", "hgvs-expression")]
    [InlineData("p.Val368Ile", "hgvs-expression")]
    [InlineData("NC_000023.11:60465:T:C", "hgvs-expression")]
    [InlineData("BRCA1 c.68_69del", "hgvs-expression")]
    [InlineData("NM_000492.3:p.Phe508del", "hgvs-reference-kind")]
    [InlineData("NP_000483.3:c.1521_1523delCTT", "hgvs-reference-kind")]
    [InlineData("NM_000492.3:g.1A>G", "hgvs-reference-kind")]
    public void Check_HgvsWithoutItsSequence_ErrorWithRuleAndLocation(string hgvs, string rule)
    {
        var issue = Assert.Single(Check(Observation(("81252-9", Hgvs(hgvs)))));

        Assert.Equal((ValidationSeverity.Error, rule), (issue.Severity, issue.Code));
        Assert.Equal("Observation.component[0].valueCodeableConcept.coding[0].code", issue.Location);
    }

    [Theory]
    [InlineData("48004-6", "NP_000483.3:p.Phe508del")]
    [InlineData("48005-3", "NM_000492.3:c.1521_1523delCTT")]
    [InlineData("81290-9", "NM_000492.3:c.1521_1523delCTT")]
    public void Check_ChangeOfAnotherKindInTheComponent_Error(string code, string hgvs)
    {
        Assert.Contains(Check(Observation((code, Hgvs(hgvs)))), i => i.Code == "hgvs-component-kind" && i.Severity == ValidationSeverity.Error);
    }

    [Fact]
    public void Check_VariantWhosePartsAgree_NoIssue()
    {
        Assert.Empty(Check(BrafVariant()));
        Assert.Empty(Check(Deletion(start: 100, end: 102, reference: "ATG", alternate: "A", hgvs: "NC_000007.14:g.101_102del")));
        Assert.Empty(Check(Deletion(start: 100, end: 100, reference: "A", alternate: "AT", hgvs: "NC_000007.14:g.100_101insT")));
    }

    [Theory]
    [InlineData("81254-5", "{\"valueRange\":{\"low\":{\"value\":140753336},\"high\":{\"value\":140753338}}}", "variant-ref-length")]
    [InlineData("69547-8", "{\"valueString\":\"G\"}", "variant-genomic-hgvs")]
    [InlineData("69551-0", "{\"valueString\":\"C\"}", "variant-genomic-hgvs")]
    [InlineData("81290-9", "{\"valueCodeableConcept\":{\"coding\":[{\"system\":\"http://varnomen.hgvs.org\",\"code\":\"NC_000007.14:g.140753337A>T\"}]}}", "variant-genomic-hgvs")]
    [InlineData("81290-9", "{\"valueCodeableConcept\":{\"coding\":[{\"system\":\"http://varnomen.hgvs.org\",\"code\":\"NC_000007.13:g.140753336A>T\"}]}}", "variant-genomic-reference")]
    [InlineData("48000-4", "{\"valueCodeableConcept\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"LA21261-5\",\"display\":\"Chromosome 8\"}]}}", "variant-chromosome")]
    [InlineData("62374-4", "{\"valueCodeableConcept\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"LA14029-5\",\"display\":\"GRCh37\"}]}}", "variant-build")]
    [InlineData("51958-7", "{\"valueCodeableConcept\":{\"coding\":[{\"system\":\"http://www.ncbi.nlm.nih.gov/refseq\",\"code\":\"NM_001354609.2\"}]}}", "variant-transcript")]
    [InlineData("48018-6", "{\"valueCodeableConcept\":{\"coding\":[{\"system\":\"http://www.genenames.org\",\"code\":\"HGNC:1100\",\"display\":\"BRCA1\"}]}}", "variant-gene")]
    public void Check_VariantWithOnePartChanged_ErrorNamingTheRule(string code, string value, string rule)
    {
        var variant = BrafVariant();
        var component = variant["component"]!.AsArray().First(c => (string?)c!["code"]!["coding"]![0]!["code"] == code)!.AsObject();
        foreach (var property in component.Where(p => p.Key.StartsWith("value", StringComparison.Ordinal)).Select(p => p.Key).ToList()) component.Remove(property);
        foreach (var (key, node) in JsonNode.Parse(value)!.AsObject()) component[key] = node!.DeepClone();

        var issues = GenomicConsistencyRule.Check(variant.ToJsonString());

        var issue = Assert.Single(issues, i => i.Code == rule);
        Assert.Equal(ValidationSeverity.Error, issue.Severity);
        Assert.StartsWith("Observation.component[", issue.Location, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("NC_012920.1", "LA14029-5", null)]
    [InlineData("NC_001807.4", "LA14029-5", null)]
    [InlineData("NC_012920.1", "LA26806-2", null)]
    [InlineData("NC_001807.4", "LA26806-2", "variant-build")]
    public void Check_MitochondrialVariant_Grch37OnEitherSequence_Grch38OnTheRcrsOnly(string accession, string build, string? rule)
    {
        // GRCh37's mitochondrion is b37's MT (the rCRS) or UCSC hg19's chrM (the Yoruba sequence); GRCh38 has the rCRS alone.
        var variant = Observation(
            ("48013-7", "{\"valueCodeableConcept\":{\"coding\":[{\"system\":\"http://www.ncbi.nlm.nih.gov/refseq\",\"code\":\"" + accession + "\"}]}}"),
            ("62374-4", "{\"valueCodeableConcept\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"" + build + "\"}]}}"),
            ("81290-9", Hgvs(accession + ":m.3010G>A")));

        var errors = Check(variant).Where(i => i.Severity == ValidationSeverity.Error).Select(i => i.Code).ToList();

        Assert.Equal(rule is null ? [] : [rule], errors);
    }

    [Fact]
    public void Validate_ProfileValidatorRunsTheRule()
    {
        var variant = BrafVariant();
        variant["component"]!.AsArray().Add(JsonNode.Parse("{\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"48005-3\"}]},\"valueCodeableConcept\":{\"coding\":[{\"system\":\"http://varnomen.hgvs.org\",\"code\":\"p.Val600Glu\"}]}}"));

        var report = FhirProfileValidator.Shared.Validate(variant.ToJsonString());

        Assert.Contains(report.Errors, e => e.EndsWith("[hgvs-expression]", StringComparison.Ordinal) && e.Contains("'p.Val600Glu'", StringComparison.Ordinal));
    }

    /// <summary>BRAF V600E on GRCh38 as the pipeline writes a Variant from VCF, with its gene in the c. HGVS.</summary>
    private static JsonObject BrafVariant() => Observation(
        ("48018-6", """{"valueCodeableConcept":{"coding":[{"system":"http://www.genenames.org","code":"HGNC:1097","display":"BRAF"}]}}"""),
        ("48013-7", """{"valueCodeableConcept":{"coding":[{"system":"http://www.ncbi.nlm.nih.gov/refseq","code":"NC_000007.14"}]}}"""),
        ("48000-4", """{"valueCodeableConcept":{"coding":[{"system":"http://loinc.org","code":"LA21260-7","display":"Chromosome 7"}]}}"""),
        ("62374-4", """{"valueCodeableConcept":{"coding":[{"system":"http://loinc.org","code":"LA26806-2","display":"GRCh38"}]}}"""),
        ("92822-6", """{"valueCodeableConcept":{"coding":[{"system":"http://loinc.org","code":"LA30102-0"}]}}"""),
        ("81254-5", """{"valueRange":{"low":{"value":140753336},"high":{"value":140753336}}}"""),
        ("69547-8", """{"valueString":"A"}"""),
        ("69551-0", """{"valueString":"T"}"""),
        ("81290-9", Hgvs("NC_000007.14:g.140753336A>T")),
        ("51958-7", """{"valueCodeableConcept":{"coding":[{"system":"http://www.ncbi.nlm.nih.gov/refseq","code":"NM_004333.6"}]}}"""),
        ("48004-6", Hgvs("NM_004333.6(BRAF):c.1799T>A")));

    private static JsonObject Deletion(long start, long end, string reference, string alternate, string hgvs) => Observation(
        ("48013-7", """{"valueCodeableConcept":{"coding":[{"system":"http://www.ncbi.nlm.nih.gov/refseq","code":"NC_000007.14"}]}}"""),
        ("92822-6", """{"valueCodeableConcept":{"coding":[{"system":"http://loinc.org","code":"LA30102-0"}]}}"""),
        ("81254-5", "{\"valueRange\":{\"low\":{\"value\":" + start + "},\"high\":{\"value\":" + end + "}}}"),
        ("69547-8", $$"""{"valueString":"{{reference}}"}"""),
        ("69551-0", $$"""{"valueString":"{{alternate}}"}"""),
        ("81290-9", Hgvs(hgvs)));

    private static string Hgvs(string code) => $$$"""{"valueCodeableConcept":{"coding":[{"system":"http://varnomen.hgvs.org","code":"{{{code}}}"}]}}""";

    private static JsonObject Observation(params (string Code, string Value)[] components)
    {
        var observation = new JsonObject
        {
            ["resourceType"] = "Observation",
            ["id"] = "v1",
            ["meta"] = new JsonObject { ["profile"] = new JsonArray("http://hl7.org/fhir/uv/genomics-reporting/StructureDefinition/variant") },
            ["status"] = "final",
            ["category"] = JsonNode.Parse("""[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"laboratory"}]},{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v2-0074","code":"GE"}]}]"""),
            ["code"] = JsonNode.Parse("""{"coding":[{"system":"http://loinc.org","code":"69548-6"}]}"""),
            ["subject"] = new JsonObject { ["reference"] = "Patient/p1" },
            ["valueCodeableConcept"] = JsonNode.Parse("""{"coding":[{"system":"http://loinc.org","code":"LA9633-4","display":"Present"}]}"""),
        };
        var array = new JsonArray();
        foreach (var (code, value) in components)
        {
            var component = JsonNode.Parse(value)!.AsObject();
            component.Insert(0, "code", JsonNode.Parse($$$"""{"coding":[{"system":"http://loinc.org","code":"{{{code}}}"}]}"""));
            array.Add(component);
        }

        observation["component"] = array;
        return observation;
    }

    private static IReadOnlyList<ValidationIssue> Check(JsonObject resource) => GenomicConsistencyRule.Check(resource.ToJsonString());
}
