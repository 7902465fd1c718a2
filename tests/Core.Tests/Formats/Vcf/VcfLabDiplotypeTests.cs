using System.Text;
using Microsoft.Extensions.Options;
using PrecisionMed.Core.Formats.Vcf;
using PrecisionMed.Core.Knowledge;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Tests.Formats.Vcf;

/// <summary>
/// A diplotype the lab called itself and wrote into the VCF (INFO <c>PGX_DIPLOTYPE</c> or a <c>##PGX_DIPLOTYPE</c>
/// header line, option Vcf:DiplotypeInfoKey) is enriched like an HL7 84413-4 one, and wins over the diplotype called
/// from the genotypes. Inputs are synthetic, or the corpus PharmCAT positions file with the INFO field added.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class VcfLabDiplotypeTests
{
    private static readonly KnowledgeLookup Knowledge =
        new(EmbeddedKnowledgeSeed.Instance, Options.Create(new KnowledgeOptions()), TimeProvider.System);

    private const string InfoDefinition = "##INFO=<ID=PGX_DIPLOTYPE,Number=.,Type=String,Description=\"Diplotypes called by the lab, GENE:*a/*b\">\n";

    [Fact]
    public async Task MapAsync_InfoDiplotype_PoorMetabolizerAndClopidogrelRecommendation()
    {
        var report = await BuildAsync(Synthetic("PGX_DIPLOTYPE=CYP2C19:*2/*2"));

        var genotype = Assert.Single(report.Genotypes);
        Assert.Equal("pgx:CYP2C19", genotype.Key);
        Assert.Equal("CYP2C19 *2/*2", genotype.Value.Text);
        Assert.Equal(Coding.PharmVar, Assert.Single(genotype.Value.Codings).System);
        var clopidogrel = report.TherapeuticImplications.First(t => t.Medication?.Codings[0].Code == "32968"); // CPIC's first population
        Assert.Contains(genotype.Key, clopidogrel.DerivedFromKeys);
        Assert.Equal("LA9657-3", clopidogrel.Implications[0].Codings[0].Code); // Poor metabolizer
        Assert.Equal("LA26421-0", clopidogrel.Recommendation!.Codings[0].Code); // Consider alternative medication
        // The record is still counted by the reportable-variant policy.
        Assert.Equal(1, report.RecordCounts[VcfRecordOutcome.Reported]);
        Assert.Single(report.Variants);
    }

    [Fact]
    public async Task MapAsync_HeaderLineWithTwoGenes_AGenotypePerGene()
    {
        var report = await BuildAsync(Synthetic(".", header: "##PGX_DIPLOTYPE=CYP2C19:*1/*17,CYP2C9:*1/*3\n"));

        Assert.Equal(["CYP2C19 *1/*17", "CYP2C9 *1/*3"], report.Genotypes.Select(g => g.Value.Text).Order(StringComparer.Ordinal));
        Assert.Contains(report.TherapeuticImplications, t => t.DerivedFromKeys.Contains("pgx:CYP2C9"));
        Assert.Empty(report.Skipped);
    }

    [Fact]
    public async Task MapAsync_HeaderLinePerGene_EveryLineRead_AProblemAtItsLine()
    {
        var report = await BuildAsync(Synthetic(".", header: "##PGX_DIPLOTYPE=CYP2C19:*1/*17\n##PGX_DIPLOTYPE=CYP2C9:*1/*3\n##PGX_DIPLOTYPE=CYP2D6\n"));

        Assert.Equal(["CYP2C19 *1/*17", "CYP2C9 *1/*3"], report.Genotypes.Select(g => g.Value.Text).Order(StringComparer.Ordinal));
        var problem = Assert.Single(report.Skipped, p => p.Position.Field == "##PGX_DIPLOTYPE");
        Assert.NotNull(problem.Position.Line);
        Assert.True(problem.Position.Line > 1);
    }

    [Fact]
    public async Task MapAsync_PercentEncodedColonAndLowerCaseGene_Read()
    {
        var report = await BuildAsync(Synthetic("PGX_DIPLOTYPE=cyp2c19%3A*2/*2"));

        Assert.Equal("CYP2C19 *2/*2", Assert.Single(report.Genotypes).Value.Text);
    }

    [Fact]
    public async Task MapAsync_LabDiffersFromTheCalledDiplotype_LabsKeptAndBothNamedInTheNote()
    {
        // Every position is 0/0: the VCF genotypes give *38/*38 (normal metabolizer); the lab says *2/*2.
        var report = await BuildAsync(WithInfo(VcfPharmacogenomicsTests.PositionsFile(), "CYP2C19:*2/*2"));

        var genotype = Assert.Single(report.Genotypes, g => g.Key == "pgx:CYP2C19");
        Assert.Equal("CYP2C19 *2/*2", genotype.Value.Text);
        var clopidogrel = report.TherapeuticImplications.First(t => t.Medication?.Codings[0].Code == "32968"); // CPIC's first population
        Assert.Equal("LA9657-3", clopidogrel.Implications[0].Codings[0].Code);
        var note = Assert.Single(report.Notes, n => n.StartsWith("CYP2C19", StringComparison.Ordinal));
        Assert.Contains("*2/*2", note, StringComparison.Ordinal);
        Assert.Contains("*38/*38", note, StringComparison.Ordinal);
        // The ledger's reason says what happened without the genotypes.
        var problem = Assert.Single(report.Skipped, p => p.Reason.StartsWith("CYP2C19", StringComparison.Ordinal));
        Assert.DoesNotContain("*", problem.Reason, StringComparison.Ordinal);
        // Other genes are still called from the genotypes.
        Assert.Equal("CYP2C9 *1/*1", Assert.Single(report.Genotypes, g => g.Key == "pgx:CYP2C9").Value.Text);
    }

    [Fact]
    public async Task MapAsync_LabAgreesWithTheCalledDiplotype_OneGenotypeNoNote()
    {
        (long, string)[] star2 = [(94775367, "1/1"), (94781859, "1/1"), (94842866, "1/1")];
        var report = await BuildAsync(WithInfo(VcfPharmacogenomicsTests.PositionsFile(star2), "CYP2C19:*2/*2"));

        Assert.Equal("CYP2C19 *2/*2", Assert.Single(report.Genotypes, g => g.Key == "pgx:CYP2C19").Value.Text);
        Assert.DoesNotContain(report.Notes, n => n.StartsWith("CYP2C19", StringComparison.Ordinal));
        Assert.DoesNotContain(report.Skipped, p => p.Reason.StartsWith("CYP2C19", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MapAsync_MalformedItem_PositionedProblemWithoutTheValue_RecordCountedAndTheGoodItemKept()
    {
        var report = await BuildAsync(Synthetic("DP=30;PGX_DIPLOTYPE=CYP2C19-*2/*2,CYP2C9:*1/*3"));

        var problem = Assert.Single(report.Skipped);
        Assert.Equal(6, problem.Position.Line);
        Assert.Equal("INFO/PGX_DIPLOTYPE", problem.Position.Field);
        Assert.Equal(Line(6).IndexOf("DP=30", StringComparison.Ordinal) + 1, problem.Position.Column);
        Assert.StartsWith("item 1 of INFO field PGX_DIPLOTYPE", problem.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("*", problem.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("CYP2C19", problem.Reason, StringComparison.Ordinal);
        Assert.Equal(1, report.RecordCounts[VcfRecordOutcome.Reported]);
        Assert.Equal("CYP2C9 *1/*3", Assert.Single(report.Genotypes).Value.Text);

        static string Line(int number) => Encoding.UTF8.GetString(Synthetic("DP=30;PGX_DIPLOTYPE=CYP2C19-*2/*2,CYP2C9:*1/*3")).Split('\n')[number - 1];
    }

    [Theory]
    [InlineData("PGX_DIPLOTYPE")]
    [InlineData("PGX_DIPLOTYPE=CYP2C19:*2")]
    [InlineData("PGX_DIPLOTYPE=CYP2C19:*2/*2/*3")]
    [InlineData("PGX_DIPLOTYPE=CYP2C19:2/17")]
    [InlineData("PGX_DIPLOTYPE=:*2/*2")]
    [InlineData("PGX_DIPLOTYPE=CYP2C19:*2/*")]
    public async Task MapAsync_MalformedValue_ProblemAndNoGenotype(string info)
    {
        var report = await BuildAsync(Synthetic(info));

        Assert.Empty(report.Genotypes);
        var problem = Assert.Single(report.Skipped);
        Assert.Equal(6, problem.Position.Line);
        Assert.Equal(1, report.RecordCounts[VcfRecordOutcome.Reported]);
    }

    [Fact]
    public async Task MapAsync_LabsOwnDiplotypesDisagree_NoneUsedAndNoted()
    {
        var report = await BuildAsync(Synthetic("PGX_DIPLOTYPE=CYP2C19:*2/*2", second: "PGX_DIPLOTYPE=CYP2C19:*1/*1"));

        Assert.Empty(report.Genotypes);
        Assert.Contains(report.Notes, n => n.Contains("*2/*2, *1/*1", StringComparison.Ordinal));
        var problem = Assert.Single(report.Skipped);
        Assert.DoesNotContain("*", problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MapAsync_SameDiplotypeOnTwoRecordsInOtherOrder_OneGenotype()
    {
        var report = await BuildAsync(Synthetic("PGX_DIPLOTYPE=CYP2C19:*2/*17", second: "PGX_DIPLOTYPE=CYP2C19:*17/*2"));

        Assert.Equal("CYP2C19 *2/*17", Assert.Single(report.Genotypes).Value.Text);
        Assert.Empty(report.Skipped);
    }

    [Fact]
    public async Task MapAsync_KeyOptionEmpty_NotRead()
    {
        var report = await BuildAsync(Synthetic("PGX_DIPLOTYPE=CYP2C19:*2/*2"), new VcfOptions { DiplotypeInfoKey = "" });

        Assert.Empty(report.Genotypes);
        Assert.Empty(report.Skipped);
    }

    [Fact]
    public async Task MapAsync_OtherKeyConfigured_ReadFromIt()
    {
        var report = await BuildAsync(Synthetic("LAB_PGX=CYP2C19:*2/*2"), new VcfOptions { DiplotypeInfoKey = "LAB_PGX" });

        Assert.Equal("CYP2C19 *2/*2", Assert.Single(report.Genotypes).Value.Text);
    }

    [Fact]
    public async Task MapAsync_MultiSampleFile_NotAttributed_OneProblem()
    {
        var vcf = "##fileformat=VCFv4.2\n##reference=GRCh38\n" + InfoDefinition
                  + "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\tS2\n"
                  + "chr1\t1000\t.\tA\tG\t.\tPASS\tPGX_DIPLOTYPE=CYP2C19:*2/*2\tGT\t0/1\t0/0\n"
                  + "chr1\t2000\t.\tA\tG\t.\tPASS\tPGX_DIPLOTYPE=CYP2C19:*2/*2\tGT\t0/1\t0/0\n";

        var report = await BuildAsync(Encoding.UTF8.GetBytes(vcf));

        Assert.Empty(report.Genotypes);
        var problem = Assert.Single(report.Skipped);
        Assert.Contains("2 sample columns", problem.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("*", problem.Reason, StringComparison.Ordinal);
    }

    /// <summary>A single-sample GRCh38 file with a het record (line 6) and optionally a second one (line 7).</summary>
    private static byte[] Synthetic(string info, string header = "", string? second = null)
    {
        var vcf = "##fileformat=VCFv4.2\n##reference=GRCh38\n##contig=<ID=chr1,length=248956422>\n" + header + InfoDefinition
                  + "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\n"
                  + $"chr1\t1000\t.\tA\tG\t.\tPASS\t{info}\tGT\t0/1\n"
                  + (second is null ? string.Empty : $"chr1\t2000\t.\tA\tG\t.\tPASS\t{second}\tGT\t0/1\n");
        return Encoding.UTF8.GetBytes(vcf);
    }

    /// <summary>The positions file with the INFO definition added and the value on its first record.</summary>
    private static byte[] WithInfo(byte[] positions, string diplotypes)
    {
        var lines = Encoding.UTF8.GetString(positions).Split('\n');
        var first = Array.FindIndex(lines, l => !l.StartsWith('#'));
        var fields = lines[first].Split('\t');
        fields[7] += $";PGX_DIPLOTYPE={diplotypes}";
        lines[first] = string.Join('\t', fields);
        return Encoding.UTF8.GetBytes(string.Join('\n', lines.Take(1).Append(InfoDefinition.TrimEnd('\n')).Concat(lines.Skip(1))));
    }

    private static Task<LabReport> BuildAsync(byte[] vcf, VcfOptions? options = null) => VcfPharmacogenomicsTests.BuildAsync(vcf, options);
}
