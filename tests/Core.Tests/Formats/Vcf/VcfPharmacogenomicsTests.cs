using System.Text;
using Microsoft.Extensions.Options;
using PrecisionMed.Core.Formats.Vcf;
using PrecisionMed.Core.Knowledge;
using PrecisionMed.Core.Knowledge.Enrichment;
using PrecisionMed.Core.LabReports;
using PrecisionMed.Testing.Vcf;

namespace PrecisionMed.Core.Tests.Formats.Vcf;

/// <summary>
/// The VCF path asks the knowledge store: star alleles are called from the genotypes at PharmCAT's
/// defining positions and enriched into phenotype and drug implications; "known variants only" asks the store. Input:
/// the corpus <c>pharmcat_positions.vcf</c> (every PGx position, GT 0/0, GRCh38 contigs), with some genotypes set per
/// test, because the corpus pgx VCFs hold no CYP2C19 position.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class VcfPharmacogenomicsTests
{
    private static readonly KnowledgeLookup Knowledge =
        new(EmbeddedKnowledgeSeed.Instance, Options.Create(new KnowledgeOptions()), TimeProvider.System);

    /// <summary>*2's defining positions (PharmCAT): 94775367 G, 94781859 A (rs4244285, ClinVar 16897), 94842866 G.</summary>
    private static readonly (long, string)[] Star2Homozygous = [(94775367, "1/1"), (94781859, "1/1"), (94842866, "1/1")];

    [Fact]
    public async Task AllReferencePositions_CallTheReferenceDiplotype_AndTheClopidogrelImplication()
    {
        var report = await BuildAsync(PositionsFile());

        var genotype = Assert.Single(report.Genotypes, g => g.Key == "pgx:CYP2C19");
        Assert.Equal("CYP2C19 *38/*38", genotype.Value.Text);
        Assert.Empty(report.Variants);
        var clopidogrel = report.TherapeuticImplications.First(t => t.Medication?.Codings[0].Code == "32968"); // CPIC's first population
        Assert.Contains(genotype.Key, clopidogrel.DerivedFromKeys);
    }

    [Fact]
    public async Task Star2Homozygous_PoorMetabolizer_ConsiderAnAlternative()
    {
        var report = await BuildAsync(PositionsFile(Star2Homozygous));

        Assert.Equal("CYP2C19 *2/*2", Assert.Single(report.Genotypes, g => g.Key == "pgx:CYP2C19").Value.Text);
        Assert.Equal(3, report.Variants.Count);
        var clopidogrel = report.TherapeuticImplications.First(t => t.Medication?.Codings[0].Code == "32968"); // CPIC's first population
        Assert.Equal("LA9657-3", clopidogrel.Implications[0].Codings[0].Code); // Poor metabolizer
        Assert.Equal("LA26421-0", clopidogrel.Recommendation!.Codings[0].Code); // Consider alternative medication
    }

    [Fact]
    public async Task DistinguishingPositionAbsent_AmbiguousInTheReportNote_NeverGuessed()
    {
        // Without 94842866, *1/*1, *1/*38 and *38/*38 fit equally well.
        var report = await BuildAsync(PositionsFile(drop: 94842866));

        Assert.DoesNotContain(report.Genotypes, g => g.Key == "pgx:CYP2C19");
        Assert.DoesNotContain(report.TherapeuticImplications, t => t.Medication?.Codings[0].Code == "32968");
        var note = Assert.Single(report.Notes, n => n.StartsWith("CYP2C19", StringComparison.Ordinal));
        Assert.Contains("*1/*1, *1/*38, *38/*38", note, StringComparison.Ordinal);
        // The ledger's reason says what happened without the genotypes.
        var problem = Assert.Single(report.Skipped, p => p.Reason.StartsWith("CYP2C19", StringComparison.Ordinal));
        Assert.DoesNotContain("*", problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Vkorc1Heterozygous_CalledFromItsOnePosition_PhenotypeImplication()
    {
        var report = await BuildAsync(PositionsFile((31096368, "0/1")));

        Assert.Contains(report.Genotypes, g => g.Value.Text == "VKORC1 rs9923231 reference (C)/rs9923231 variant (T)");
        var vkorc1 = report.TherapeuticImplications.Where(t => t.DerivedFromKeys.Contains("pgx:VKORC1")).ToList();
        Assert.NotEmpty(vkorc1);
        Assert.All(vkorc1, t => Assert.Contains(t.Implications, i => i.Text == "-1639 AG" || i.Codings.Any(c => c.Display == "-1639 AG")));
    }

    [Fact]
    public async Task AllReferencePositions_Cyp2c9NormalMetabolizer()
    {
        var report = await BuildAsync(PositionsFile());

        Assert.Equal("CYP2C9 *1/*1", Assert.Single(report.Genotypes, g => g.Key == "pgx:CYP2C9").Value.Text);
        var cyp2c9 = report.TherapeuticImplications.Where(t => t.DerivedFromKeys.Contains("pgx:CYP2C9")).ToList();
        Assert.NotEmpty(cyp2c9);
        Assert.All(cyp2c9, t => Assert.Contains(t.Implications, i => i.Text == "Normal Metabolizer" || i.Codings.Any(c => c.Display == "Normal Metabolizer")));
    }

    [Fact]
    public async Task Cyp2c9Star2Star3_CalledFromItsPositions_PoorMetabolizer()
    {
        // rs1799853 (*2) and rs1057910 (*3) heterozygous: activity 0.5 + 0 = 0.5.
        var report = await BuildAsync(PositionsFile((94942290, "0/1"), (94981296, "0/1")));

        Assert.Equal("CYP2C9 *2/*3", Assert.Single(report.Genotypes, g => g.Key == "pgx:CYP2C9").Value.Text);
        var cyp2c9 = report.TherapeuticImplications.Where(t => t.DerivedFromKeys.Contains("pgx:CYP2C9")).ToList();
        Assert.NotEmpty(cyp2c9);
        Assert.All(cyp2c9, t => Assert.Contains(t.Implications, i => i.Text == "Poor Metabolizer" || i.Codings.Any(c => c.Display == "Poor Metabolizer")));
    }

    [Fact]
    public async Task Cyp2c9Star4Heterozygous_CalledFromPharmCatsDefinition_IntermediateMetabolizer()
    {
        // rs56165452 (94981297 T>C) defines CYP2C9*4 in PharmCAT's definitions (the embedded default's): activity 1.0 + 0.5.
        var report = await BuildAsync(PositionsFile((94981297, "0/1")));

        Assert.Equal("CYP2C9 *1/*4", Assert.Single(report.Genotypes, g => g.Key == "pgx:CYP2C9").Value.Text);
        var cyp2c9 = report.TherapeuticImplications.Where(t => t.DerivedFromKeys.Contains("pgx:CYP2C9")).ToList();
        Assert.NotEmpty(cyp2c9);
        Assert.All(cyp2c9, t => Assert.Contains(t.Implications, i => i.Text == "Intermediate Metabolizer" || i.Codings.Any(c => c.Display == "Intermediate Metabolizer")));
    }

    [Fact]
    public async Task FileWithoutPharmacogenePositions_CallsNothing()
    {
        var vcf = "##fileformat=VCFv4.2\n##contig=<ID=chr1,length=248956422>\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\n"
                  + "chr1\t1000\t.\tA\tG\t.\tPASS\t.\tGT\t0/1\n";
        var report = await BuildAsync(Encoding.UTF8.GetBytes(vcf));

        Assert.Empty(report.Genotypes);
        Assert.Single(report.Variants);
        Assert.Empty(report.Notes);
    }

    [Fact]
    public async Task OnlyKnownVariants_ReportsWhatTheStoreKnows_CountsTheRest()
    {
        // rs4244285 (chr10:94781859 G>A) is in the store's ClinVar slice; *17's rs12248560 (94761900 C>T) is not.
        var report = await BuildAsync(PositionsFile((94781859, "0/1"), (94761900, "0/1")), new VcfOptions { OnlyKnownVariants = true });

        var variant = Assert.Single(report.Variants);
        Assert.Equal("GRCh38:10:94781859:G:A", variant.Key);
        Assert.Equal(1, report.RecordCounts[VcfRecordOutcome.NotInGenesOrKnowledge]);
        Assert.Contains(report.DiagnosticImplications, d => d.DerivedFromKeys.Contains(variant.Key));
    }

    [Fact]
    public async Task MapAsync_Alone_KeepsTheGenotypesAtDefiningPositions_CallsNothing()
    {
        var report = await MapAsync(PositionsFile(Star2Homozygous));

        Assert.Empty(report.Genotypes);
        Assert.Empty(report.Notes);
        var observed = Assert.Single(report.PharmacogeneGenotypes, g => g.Gene == "CYP2C19");
        Assert.Equal(new PharmacogeneGenotype(94781859, "A", "A"), observed.At(94781859));
        Assert.Equal(new PharmacogeneGenotype(94775367, "G", "G"), observed.At(94775367));
    }

    /// <summary>Maps the VCF as lab-a's and enriches it from the embedded seed, as the pipeline does.</summary>
    internal static async Task<LabReport> BuildAsync(byte[] vcf, VcfOptions? options = null) =>
        await new ReportEnricher(Knowledge).EnrichAsync(await MapAsync(vcf, options), "lab-a", TestContext.Current.CancellationToken);

    private static async Task<LabReport> MapAsync(byte[] vcf, VcfOptions? options = null)
    {
        var ct = TestContext.Current.CancellationToken;
        var reader = await VcfReader.OpenAsync(new MemoryStream(vcf), ct);
        var provenance = new ReportProvenance("lab-a", "incoming/lab-a/pgx.vcf", "hash", "pgx.vcf", 0, 1, DateTimeOffset.UnixEpoch, "test")
        {
            Manifest = TestVcfManifests.For("pgx.vcf", vcf),
        };
        return await new VcfReportMapper(options ?? new VcfOptions(), new StoreVariantKnowledge(Knowledge)).MapAsync(reader, provenance, ct);
    }

    /// <summary>The positions file with the sample's GT replaced at some positions, or one position's line removed.</summary>
    internal static byte[] PositionsFile(params (long Position, string Gt)[] genotypes) => PositionsFile(drop: null, genotypes);

    internal static byte[] PositionsFile(long? drop, params (long Position, string Gt)[] genotypes)
    {
        var set = genotypes.ToDictionary(g => g.Position.ToString(System.Globalization.CultureInfo.InvariantCulture), g => g.Gt);
        var text = new StringBuilder();
        foreach (var line in File.ReadLines(TestFiles.PathOf("knowledge/pharmcat_positions.vcf")))
        {
            var fields = line.Split('\t');
            if (!line.StartsWith('#') && fields[1] == drop?.ToString(System.Globalization.CultureInfo.InvariantCulture)) continue;
            if (!line.StartsWith('#') && set.TryGetValue(fields[1], out var gt)) fields[^1] = gt;
            text.Append(string.Join('\t', fields)).Append('\n');
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
