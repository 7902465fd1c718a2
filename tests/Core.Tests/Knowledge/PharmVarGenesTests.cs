using PrecisionMed.Core.Knowledge.Pharmacogenomics;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Tests.Knowledge;

[Trait("Tier", "Fast")]
public sealed class PharmVarGenesTests
{
    [Theory]
    [InlineData("CYP2C19", "*1/*17", true)]
    [InlineData("CYP2D6", "*1/*4", true)]
    [InlineData("DPYD", "*1/*2A", true)]
    [InlineData("NUDT15", "*1/*3", true)]
    [InlineData("SLCO1B1", "*1/*5", true)]
    [InlineData("NAT2", "*4/*5", true)]
    [InlineData("TPMT", "*1/*3A", false)]
    [InlineData("UGT1A1", "*1/*28", false)]
    [InlineData("G6PD", "B (reference)/Mediterranean", false)]
    [InlineData("VKORC1", "rs9923231 reference (C)/rs9923231 variant (T)", false)]
    [InlineData("CFTR", "ivacaftor non-responsive CFTR sequence/ivacaftor non-responsive CFTR sequence", false)]
    [InlineData("HLA-B", "*57:01/*15:02", false)]
    public void DiplotypeGenotype_CodedUnderPharmVarOnlyForItsGenes(string gene, string diplotype, bool pharmVar)
    {
        var genotype = StarAlleleCall.DiplotypeGenotype("g", new CodedValue([], gene), gene, diplotype);

        Assert.Equal($"{gene} {diplotype}", genotype.Value.Text);
        if (pharmVar) Assert.Equal(Coding.PharmVar, Assert.Single(genotype.Value.Codings).System);
        else Assert.Empty(genotype.Value.Codings);
    }
}
