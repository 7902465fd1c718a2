using System.Diagnostics;
using System.Globalization;
using PrecisionMed.Core.Knowledge;
using PrecisionMed.Core.Knowledge.Pharmacogenomics;

namespace PrecisionMed.Core.Tests.Knowledge.Pharmacogenomics;

/// <summary>
/// The matcher over PharmCAT's shipped definitions for every gene: each reads, the all-reference sample is the
/// reference allele twice, chrX is hemizygous for a male, and a call costs microseconds once the gene is indexed.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class NamedAlleleMatcherTests
{
    public static TheoryData<string> Genes => new(PharmCatTestData.Genes());

    [Theory]
    [MemberData(nameof(Genes))]
    public void Call_AllReference_ReferenceAlleleTwice(string gene)
    {
        var definitions = PharmCatTestData.Definitions(gene);
        var reference = definitions.Alleles.Single(a => a.Reference).Name;
        var call = NamedAlleleMatcher.Call(definitions, definitions.Positions.Select(p => SampleGenotype.Unphased(p.Position, p.Ref, p.Ref)));
        Assert.Equal(NoCallReason.None, call.NoCall);
        Assert.Equal($"{reference}/{reference}", call.Diplotypes[0].Name);
        Assert.Empty(call.MissingPositions);
    }

    [Fact]
    public void Read_ExemptionsFile_OneDocumentPerGene()
    {
        var nat2 = PharmCatTestData.Definitions("NAT2");
        Assert.NotNull(nat2.Exemption);
        Assert.Equal(5, nat2.Exemption.RequiredPositions.Count);
        Assert.NotEmpty(nat2.Exemption.UnphasedDiplotypePriorities);
        Assert.Equal(["Mediterranean Haplotype"], PharmCatTestData.Definitions("G6PD").Exemption!.IgnoredAlleles);
        Assert.Null(PharmCatTestData.Definitions("ABCG2").Exemption);
    }

    [Fact]
    public void Call_Nat2RequiredPositionMissing_NoCall()
    {
        var nat2 = PharmCatTestData.Definitions("NAT2");
        var genotypes = nat2.Positions.Where(p => p.RsId != "rs1801279").Select(p => SampleGenotype.Unphased(p.Position, p.Ref, p.Ref));
        var call = NamedAlleleMatcher.Call(nat2, genotypes);
        Assert.Equal(NoCallReason.MissingRequiredPositions, call.NoCall);
        Assert.Empty(call.Diplotypes);
    }

    [Fact]
    public void Call_G6pd_HemizygousByGenotypeOrBySex()
    {
        // G6PD A: 154535277 T>C (chrX). A male's VCF may write one allele, or two equal ones.
        var g6pd = PharmCatTestData.Definitions("G6PD");
        List<SampleGenotype> Sample(string? first, string? second, bool phased = false) =>
            [.. g6pd.Positions.Select(p => p.Position == 154535277
                ? new SampleGenotype(p.Position, first, second, phased)
                : new SampleGenotype(p.Position, p.Ref, second is null ? null : p.Ref, phased))];

        var single = NamedAlleleMatcher.Call(g6pd, Sample("C", null));
        Assert.True(single.Hemizygous);
        Assert.Equal(["A"], single.Diplotypes.Select(d => d.Name));

        Assert.Equal(["A"], NamedAlleleMatcher.Call(g6pd, Sample("C", "C"), new StarAlleleOptions(Sex: SampleSex.Male)).Diplotypes.Select(d => d.Name));
        Assert.Equal(["A/A"], NamedAlleleMatcher.Call(g6pd, Sample("C", "C")).Diplotypes.Select(d => d.Name));
        Assert.Equal(["A/B (reference)"], NamedAlleleMatcher.Call(g6pd, Sample("T", "C"), new StarAlleleOptions(Sex: SampleSex.Female)).Diplotypes.Select(d => d.Name));
    }

    [Fact]
    public void Call_UncalledAllele_NoCallUnlessCombinations()
    {
        var cyp2c19 = PharmCatTestData.Definitions("CYP2C19");
        var genotypes = cyp2c19.Positions.Select(p => p.Position == 94781859
            ? new SampleGenotype(p.Position, "A", SampleGenotype.MissingAllele)
            : SampleGenotype.Unphased(p.Position, p.Ref, p.Ref)).ToList();
        Assert.Equal(NoCallReason.PartialMissingAlleles, NamedAlleleMatcher.Call(cyp2c19, genotypes).NoCall);
    }

    [Fact]
    public void Call_EveryGeneUnphasedHeterozygous_MicrosecondsPerCall()
    {
        var genes = PharmCatTestData.Genes().Select(g => PharmCatTestData.Definitions(g)).ToList();
        var samples = genes.Select(Heterozygous).ToList();
        const int Rounds = 30;

        // Warm: the first calls index the genes and run before the JIT's optimised code.
        for (var r = 0; r < Rounds; r++)
        {
            for (var g = 0; g < genes.Count; g++) NamedAlleleMatcher.Call(genes[g], samples[g]);
        }

        var clock = Stopwatch.StartNew();
        for (var r = 0; r < Rounds; r++)
        {
            for (var g = 0; g < genes.Count; g++) NamedAlleleMatcher.Call(genes[g], samples[g]);
        }

        var perCall = clock.Elapsed.TotalMicroseconds / (Rounds * genes.Count);
        for (var g = 0; g < genes.Count; g++)
        {
            var one = Stopwatch.StartNew();
            for (var r = 0; r < Rounds; r++) NamedAlleleMatcher.Call(genes[g], samples[g]);
            TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{genes[g].Gene}: {one.Elapsed.TotalMicroseconds / Rounds:F0} µs"));
        }

        TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{genes.Count} genes, {perCall:F0} µs per gene call (indexed and warm, 2 unphased heterozygous positions each)"));
        Assert.True(perCall < 20_000, $"{perCall} µs per call");
    }

    /// <summary>Reference everywhere but the first ALT of the gene's first two single-base positions, unphased heterozygous.</summary>
    private static List<SampleGenotype> Heterozygous(AlleleDefinitionDocument definitions)
    {
        var changed = 0;
        var genotypes = new List<SampleGenotype>();
        foreach (var p in definitions.Positions)
        {
            var het = changed < 2 && p.Ref.Length == 1 && p.Alts.Count > 0 && p.Alts[0].Length == 1;
            if (het) changed++;
            genotypes.Add(SampleGenotype.Unphased(p.Position, p.Ref, het ? p.Alts[0] : p.Ref));
        }

        return genotypes;
    }
}
