using PrecisionMed.Core.Knowledge;
using PrecisionMed.Core.Knowledge.Enrichment;
using PrecisionMed.Core.Knowledge.Pharmacogenomics;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Tests.Knowledge;

/// <summary>
/// CYP2C19 star alleles from genotypes at PharmCAT's positions (the corpus <c>pharmcat_positions.vcf</c>: every PGx
/// position, GT 0/0, to which a test sets the sample's genotypes), against the PharmCAT definitions in the store.
/// The corpus pgx VCFs hold no CYP2C19 position, so the positions file is the input.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class StarAlleleCallerTests
{
    private static readonly CodedValue Cyp2c19 = new(new Coding(Coding.Hgnc, "HGNC:2621", "CYP2C19"));

    private static async Task<AlleleDefinitionDocument> DefinitionsAsync() =>
        (await new KnowledgeLookup(EmbeddedKnowledgeSeed.Instance, Microsoft.Extensions.Options.Options.Create(new KnowledgeOptions()), TimeProvider.System)
            .FindAlleleDefinitionsAsync("CYP2C19", TestContext.Current.CancellationToken))!;

    /// <summary>The sample's two bases at every CYP2C19 position of the positions file, with some genotypes replaced.</summary>
    private static Dictionary<long, (string, string)> Sample(params (long Position, string Gt)[] genotypes)
    {
        var overrides = genotypes.ToDictionary(g => g.Position, g => g.Gt);
        var sample = new Dictionary<long, (string, string)>();
        foreach (var line in File.ReadLines(TestFiles.PathOf("knowledge/pharmcat_positions.vcf")))
        {
            if (line.StartsWith('#')) continue;
            var f = line.Split('\t');
            if (!f[7].Contains("PX=CYP2C19", StringComparison.Ordinal)) continue;
            var position = long.Parse(f[1], System.Globalization.CultureInfo.InvariantCulture);
            var gt = overrides.GetValueOrDefault(position, f[9]).Split('/', '|');
            string[] alleles = [f[3], .. f[4].Split(',')];
            sample[position] = (alleles[int.Parse(gt[0], System.Globalization.CultureInfo.InvariantCulture)], alleles[int.Parse(gt[1], System.Globalization.CultureInfo.InvariantCulture)]);
        }

        return sample;
    }

    [Fact]
    public async Task Call_AllReference_IsTheReferenceAllele()
    {
        var call = StarAlleleCaller.Call(await DefinitionsAsync(), Sample());
        Assert.Equal("*38/*38", call.Diplotype);
        Assert.Empty(call.MissingPositions);
    }

    [Fact]
    public async Task Call_Star2Homozygous_PoorMetabolizerAndClopidogrelImplication()
    {
        // *2's defining positions (PharmCAT): 94775367 G, 94781859 A (rs4244285), 94842866 G; 94775507 is R (either).
        var sample = Sample((94775367, "1/1"), (94781859, "1/1"), (94842866, "1/1"));
        var call = StarAlleleCaller.Call(await DefinitionsAsync(), sample);
        Assert.Equal("*2/*2", call.Diplotype);

        var report = new LabReport
        {
            Accession = "VCF-1",
            Patient = new PatientDetails([new PatientIdentifier("urn:test", "1")]),
            Genotypes = [call.ToGenotype("CYP2C19", Cyp2c19)!],
        };
        var enriched = await ReportEnricher.WithEmbeddedSeed().EnrichAsync(report, "lab-a", TestContext.Current.CancellationToken);
        var clopidogrel = enriched.TherapeuticImplications.First(i => i.Medication?.Text == "clopidogrel");
        Assert.Equal("32968", clopidogrel.Medication!.Codings[0].Code);
        Assert.Equal("LA9657-3", clopidogrel.Implications[0].Codings[0].Code);
        Assert.Equal("LA26421-0", clopidogrel.Recommendation!.Codings[0].Code);
    }

    [Fact]
    public async Task Call_Star17Heterozygous_NamedFromTheDefinitions()
    {
        var call = StarAlleleCaller.Call(await DefinitionsAsync(), Sample((94761900, "0/1"), (94842866, "0/1")));
        Assert.Equal("*17/*38", call.Diplotype);
    }

    [Fact]
    public async Task Call_DefiningPositionMissing_AmbiguousNeverGuessed()
    {
        // 94842866 is the one position that tells *1 from *38: without it *1/*1, *1/*38 and *38/*38 fit equally well.
        var sample = Sample();
        sample.Remove(94842866);
        var call = StarAlleleCaller.Call(await DefinitionsAsync(), sample);

        Assert.Null(call.Diplotype);
        Assert.True(call.Ambiguous);
        Assert.Equal(["*1/*1", "*1/*38", "*38/*38"], call.Candidates);
        Assert.Null(call.ToGenotype("CYP2C19", Cyp2c19));
        Assert.Equal([94842866L], call.MissingPositions);
    }

    [Fact]
    public async Task Call_NoPositionAtAll_NoCall()
    {
        var call = StarAlleleCaller.Call(await DefinitionsAsync(), new Dictionary<long, (string, string)>());
        Assert.Null(call.Diplotype);
        Assert.Empty(call.Candidates);
    }
}
