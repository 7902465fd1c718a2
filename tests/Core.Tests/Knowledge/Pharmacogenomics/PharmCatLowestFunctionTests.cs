using PrecisionMed.Core.Knowledge;
using PrecisionMed.Core.Knowledge.Pharmacogenomics;

namespace PrecisionMed.Core.Tests.Knowledge.Pharmacogenomics;

/// <summary>
/// DPYD's lowest-function calls, from PharmCAT's <c>NamedAlleleMatcherTest</c> DPYD cases (its test definitions,
/// genotypes as its VCF builder writes them: reference everywhere else, unphased unless phased): a diplotype when the
/// genotypes are effectively phased, else the haplotypes on either strand, twice when on both.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class PharmCatLowestFunctionTests
{
    private static readonly AlleleDefinitionDocument Dpyd = PharmCatTestData.DefinitionsAt("testcases/upstream/NamedAlleleMatcher-dpyd.json");

    [Fact]
    public void Call_OneHeterozygousVariant_ReferenceAndVariantDiplotype()
    {
        var call = Call(false, [("rs80081766", "C", "T")]);
        Assert.Equal(["Reference/c.62G>A"], call.Diplotypes.Select(d => d.Name));
    }

    [Fact]
    public void Call_HomozygousPairAndOneHeterozygous_CombinationsOnBothStrands()
    {
        var call = Call(false, [("rs61622928", "T", "T"), ("rs1801159", "C", "C"), ("rs1801265", "A", "G")]);
        Assert.Equal(["[c.1218G>A + c.1627A>G (*5)]/[c.85T>C (*9A) + c.1218G>A + c.1627A>G (*5)]"], call.Diplotypes.Select(d => d.Name));
    }

    [Fact]
    public void Call_TwoVariantsPhasedOnOneStrand_ReferenceAndCombination()
    {
        var call = Call(true, [("rs80081766", "C", "T"), ("rs114096998", "G", "T")]);
        Assert.Equal(["Reference/[c.62G>A + c.3067C>A]"], call.Diplotypes.Select(d => d.Name));
    }

    [Fact]
    public void Call_TwoVariantsUnphased_HaplotypesNotDiplotypes()
    {
        var call = Call(false, [("rs80081766", "C", "T"), ("rs114096998", "G", "T")]);
        Assert.Empty(call.Diplotypes);
        Assert.Equal(["c.62G>A", "c.3067C>A"], call.Haplotypes);
        Assert.False(call.EffectivelyPhased);
    }

    [Fact]
    public void Call_HapB3PhasedWithOthers_CombinationWithHapB3()
    {
        var call = Call(true, [("rs75017182", "G", "C"), ("rs56038477", "C", "T"), ("rs80081766", "T", "T"), ("rs114096998", "T", "T")]);
        Assert.Equal(["[c.62G>A + c.3067C>A]/[c.62G>A + c.1129-5923C>G, c.1236G>A (HapB3) + c.3067C>A]"], call.Diplotypes.Select(d => d.Name));
    }

    [Fact]
    public void Call_TwoHomozygousVariants_SameCombinationTwice()
    {
        var call = Call(true, [("rs80081766", "T", "T"), ("rs114096998", "T", "T")]);
        Assert.Equal(["[c.62G>A + c.3067C>A]/[c.62G>A + c.3067C>A]"], call.Diplotypes.Select(d => d.Name));
    }

    [Fact]
    public void Call_MissingPositions_CombinationWithTheOthers()
    {
        string[] missing =
        [
            "rs148799944", "rs140114515", "rs1801268", "rs72547601", "rs72547602", "rs141044036", "rs147545709", "rs55674432",
            "rs146529561", "rs137999090", "rs138545885", "rs55971861", "rs72549303", "rs147601618", "rs145773863", "rs138616379",
            "rs148994843", "rs138391898", "rs111858276", "rs72549304", "rs142512579", "rs764666241", "rs140602333", "rs78060119",
            "rs143154602", "rs72549306", "rs145112791", "rs150437414", "rs1801266", "rs72549307", "rs72549308", "rs139834141",
            "rs141462178", "rs150385342", "rs72549309", "rs80081766", "rs150036960",
        ];
        var call = Call(false, [("rs1801159", "C", "C"), ("rs1801265", "A", "G")], missing);
        Assert.Equal(["c.1627A>G (*5)/[c.85T>C (*9A) + c.1627A>G (*5)]"], call.Diplotypes.Select(d => d.Name));
        Assert.True(call.Partial);
    }

    [Fact]
    public void Call_ThreeUnphasedOneHomozygous_HomozygousHaplotypeListedTwice()
    {
        var call = Call(false, [("rs72547601", "C", "C"), ("rs67376798", "A", "T"), ("rs60139309", "T", "C")]);
        Assert.Empty(call.Diplotypes);
        Assert.Equal(["c.2582A>G", "c.2846A>T", "c.2933A>G", "c.2933A>G"], call.Haplotypes);
    }

    private static GeneCallResult Call(bool phased, (string RsId, string First, string Second)[] variations, string[]? missing = null)
    {
        var genotypes = new List<SampleGenotype>();
        foreach (var position in Dpyd.Positions)
        {
            if (missing?.Contains(position.RsId) == true) continue;
            var variation = variations.FirstOrDefault(v => v.RsId == position.RsId);
            var (first, second) = variation.RsId is null ? (position.Ref, position.Ref) : (variation.First, variation.Second);
            genotypes.Add(new SampleGenotype(position.Position, first, second, phased));
        }

        Assert.Equal(variations.Length, variations.Count(v => Dpyd.Positions.Any(p => p.RsId == v.RsId)));
        return NamedAlleleMatcher.Call(Dpyd, genotypes, new StarAlleleOptions(TopCandidateOnly: true, FindCombinations: true, WithExemptions: false));
    }
}
