using PrecisionMed.Core.Knowledge.Pharmacogenomics;

namespace PrecisionMed.Core.Tests.Knowledge.Pharmacogenomics;

/// <summary>
/// PharmCAT's combination and partial-allele cases (its <c>NamedAlleleMatcherTest</c>, with the definition files and
/// VCFs it ships for them under <c>testcases/upstream</c>): research mode (combinations on, top candidate only, no
/// exemptions), the expected diplotypes in order.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class PharmCatCombinationTests
{
    private const string Upstream = "testcases/upstream/NamedAlleleMatcher-";

    public static TheoryData<string, string, string> Cases => new()
    {
        { "combination", "combinationBaseline", "*1/*1" },
        { "combination", "combinationPhased", "*1/[*6 + *27 + *28 + *80]" },
        {
            "combination", "combinationUnphased",
            "*1/[*6 + *27 + *28 + *80] | *6/[*27 + *28 + *80] | *27/[*6 + *28 + *80] | *28/[*6 + *27 + *80] | *80/[*6 + *27 + *28] | [*6 + *27]/[*28 + *80] | [*6 + *28]/[*27 + *80] | [*6 + *80]/[*27 + *28]"
        },
        { "combination", "partialWithCombination", "*1/[*6 + *28 + g.233760973C>T] | g.233760973C>T/[*6 + *28] | *6/[*28 + g.233760973C>T] | *28/[*6 + g.233760973C>T]" },
        { "combination", "partial", "*6/[*6 + g.233760973C>T]" },
        { "cyp2b6", "partialReferenceUnphased", "*1/[*9 + g.41012316T>G] | *9/g.41012316T>G" },
        { "cyp2b6", "partialReferencePhased", "*9/[g.41006968T>A + g.41012316T>G]" },
        { "cyp2b6", "partialReferenceDouble", "g.41006968T>A/g.41006968T>A" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Call_FindCombinations_PharmCatsDiplotypesInOrder(string definitionFile, string vcf, string expected)
    {
        var definitions = PharmCatTestData.DefinitionsAt($"{Upstream}{definitionFile}.json");
        var genotypes = PharmCatTestData.Genotypes($"{PharmCatTestData.Root}{Upstream}{vcf}.vcf", definitions);
        var call = NamedAlleleMatcher.Call(definitions, genotypes, new StarAlleleOptions(TopCandidateOnly: true, FindCombinations: true, WithExemptions: false));
        Assert.Equal(expected.Split(" | "), call.Diplotypes.Select(d => d.Name));
    }
}
