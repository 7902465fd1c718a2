using System.Text.Json.Nodes;
using PrecisionMed.Cli.CommandLine;
using PrecisionMed.Cli.Ingest;
using PrecisionMed.Testing.Vcf;
using Xunit;

namespace PrecisionMed.Cli.Tests.Ingest;

/// <summary>
/// Real public files (tests/TestData/zoo, provenance in its README) that <c>pmed ingest</c> got wrong, run as a lab
/// engineer types the command.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class IngestZooFilesTests : IDisposable
{
    private const string Patient = TestVcfManifests.System + "|ZOO-1";
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("pmed-ingest-zoo-");
    private readonly StringWriter _stdout = new();
    private readonly StringWriter _stderr = new();

    private string Out => Path.Combine(_work.FullName, "out");

    [Fact]
    public async Task Ingest_Hg38VcfWhoseChromIsNoChromosomeOfTheBuild_SaysSoAtTheFirstRecordOfEach()
    {
        // PharmCAT's raw_bad_chr.vcf: ##reference=hg38, CHROM "chromosome1" ... "chromosomeM"; two sample columns.
        var vcf = Copy("pharmcat_raw_bad_chr.vcf");
        TestVcfManifests.WriteBeside(vcf);

        var exit = await InvokeAsync("ingest", vcf, "--out", Out, "--json");

        Assert.Equal(IngestRunner.ExitOk, exit);
        var result = Assert.Single(JsonNode.Parse(_stdout.ToString())!.AsArray())!;
        var skipped = result["skipped"]!.AsArray().Select(s => (string)s!).ToList();
        var unplaced = skipped.Where(s => s.Contains("CHROM is no GRCh38 chromosome", StringComparison.Ordinal)).ToList();
        // Each sample carries variants on all nine contigs (chromosome1 ... chromosomeX, chromosomeM): one problem per contig,
        // at its first reported record (line 24 is chromosome1's first non-reference call, 1/0 and 0/1).
        Assert.Contains(unplaced, s => s.StartsWith("report 1: line 24, column 1:", StringComparison.Ordinal));
        Assert.Contains(unplaced, s => s.StartsWith("report 2: line 24, column 1:", StringComparison.Ordinal));
        Assert.Equal(18, unplaced.Count);
        Assert.Equal(30, (int)result["recordCounts"]!["reported"]!);
        Assert.All(unplaced, s => Assert.DoesNotContain("chromosome1", s, StringComparison.Ordinal));
        // The Variants stay as the lab sent them, on no named sequence: the problem above is what says so.
        Assert.All(Variants(), v => Assert.DoesNotContain(v["component"]!.AsArray(), c => (string?)c!["code"]!["coding"]![0]!["code"] == "48013-7"));
    }

    [Fact]
    public async Task Ingest_VcfWithNoBuildAnywhere_ProblemNamesTheGenomeBuildOption()
    {
        var vcf = Copy("htslib_noroundtrip.vcf");

        var exit = await InvokeAsync("ingest", vcf, "--out", Out, "--json", "--patient", Patient);

        Assert.Equal(IngestRunner.ExitOk, exit);
        var skipped = Assert.Single(JsonNode.Parse(_stdout.ToString())![0]!["skipped"]!.AsArray())!.ToString();
        Assert.Contains("names no genome build", skipped, StringComparison.Ordinal);
        Assert.Contains("pmed ingest --genome-build", skipped, StringComparison.Ordinal);

        // Following it places every Variant on its chromosome 3.
        _stdout.GetStringBuilder().Clear();
        Assert.Equal(IngestRunner.ExitOk, await InvokeAsync("ingest", vcf, "--out", Out, "--json", "--patient", Patient, "--genome-build", "GRCh38"));
        Assert.Empty(JsonNode.Parse(_stdout.ToString())![0]!["skipped"]!.AsArray());
        Assert.All(Variants(), v => Assert.Equal("NC_000003.12", ComponentCode(v, "48013-7")));
    }

    [Fact]
    public async Task Ingest_VepOutputUnderAnn_ReadByItsHeaderFormatNotAsSnpEff()
    {
        // bcftools' split-vep.7.vcf: VEP run with --vcf_info_field ANN; one chr1 record, 5 Ensembl entries for ALT A.
        var vcf = Copy("bcftools_split-vep.7.vcf");

        var exit = await InvokeAsync("ingest", vcf, "--out", Out, "--json", "--patient", Patient, "--genome-build", "GRCh38");

        Assert.Equal(IngestRunner.ExitOk, exit);
        var resources = Resources();
        var consequences = resources.Where(r => Profile(r).EndsWith("/molecular-consequence", StringComparison.Ordinal)).ToList();
        // The three transcripts the variant lies in (intronic); the upstream one and the RegulatoryFeature are none.
        Assert.Equal(
            ["ENST00000447500.4", "ENST00000634337.2", "ENST00000635509.2"],
            consequences.Select(c => ComponentCode(c, "51958-7")).Order(StringComparer.Ordinal));
        Assert.Equal(
            ["ENST00000447500.4:n.340+187C>T", "ENST00000634337.2:n.127+10484C>T", "ENST00000635509.2:n.100+10484C>T"],
            consequences.Select(c => ComponentCode(c, "48004-6")).Order(StringComparer.Ordinal));
        Assert.DoesNotContain("ENSR", Bundle().ToJsonString(), StringComparison.Ordinal);
        // No field read out of place: VEP's EXON/INTRON ("1/4") is no c.HGVS, its HGVSc no p.HGVS.
        Assert.DoesNotContain(resources, r => r["note"] is not null);
    }

    [Fact]
    public async Task Ingest_VepFirstEntryUpstreamOfAnotherGene_VariantGeneIsTheGeneOfItsTranscript()
    {
        // split-vep.7.vcf lists FAM87B (upstream, no HGVS) first, then AL669831.4's canonical transcript with its n. HGVS.
        var vcf = Copy("bcftools_split-vep.7.vcf");

        var exit = await InvokeAsync("ingest", vcf, "--out", Out, "--json", "--patient", Patient, "--genome-build", "GRCh38");

        Assert.Equal(IngestRunner.ExitOk, exit);
        var variant = Assert.Single(Variants());
        Assert.Equal("ENST00000447500.4", ComponentCode(variant, "51958-7"));
        Assert.Equal("ENST00000447500.4:n.340+187C>T", ComponentCode(variant, "48004-6"));
        Assert.Equal("AL669831.4", ComponentText(variant, "48018-6"));
        Assert.DoesNotContain("FAM87B", variant.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_FhirBundleOfAnEarlierIgVersion_RejectedAtItsFirstProfileNothingWritten()
    {
        // The Genomics Reporting IG's pgx example as its STU2 ballot build wrote it: profile genomics-report (IG 3.0.0 has
        // genomic-report), specimen, servicerequest and task-med-chg, codes of CodeSystem/TbdCodes (3.0.0: tbd-codes-cs).
        var bundle = Copy("genomics-reporting_stu2-ballot_pgxexample.json");

        var exit = await InvokeAsync("ingest", bundle, "--out", Out, "--json");

        Assert.Equal(IngestRunner.ExitRejected, exit);
        Assert.Equal("rejected", (string?)JsonNode.Parse(_stdout.ToString())![0]!["status"]);
        var error = _stderr.ToString();
        Assert.Contains("Bundle.entry[0].resource.meta.profile[0]: ", error, StringComparison.Ordinal);
        Assert.Contains("a Genomics Reporting IG profile", error, StringComparison.Ordinal);
        Assert.Contains("IG 3.0.0 does not define", error, StringComparison.Ordinal);
        Assert.DoesNotContain("'genomics-report'", error, StringComparison.Ordinal); // the name after the IG's base is not quoted
        Assert.False(Directory.Exists(Out) && Directory.GetFiles(Out, "*.transaction.json").Length > 0);
    }

    [Fact]
    public async Task Ingest_PhasedCallsWithoutPs_RelatedAsOnePhaseSetPerChromosome()
    {
        // The VCF 4.3 spec's example (pysam's copy in the corpus): GT 1|0, 2|1 and no PS field, which VCF 4.2-4.5 read as one phase set.
        await IngestCorpusFileAsync(Path.Combine("edge", "pysam_example_vcf43_with_utf8.vcf"));

        var bundles = Directory.GetFiles(Out, "*.transaction.json").Select(f => JsonNode.Parse(File.ReadAllText(f))!["entry"]!.AsArray().Select(e => e!["resource"]!).ToList()).ToList();
        var phases = bundles.SelectMany(b => b.Where(r => Profile(r).EndsWith("/sequence-phase-relationship", StringComparison.Ordinal)).Select(r => (Bundle: b, Phase: r))).ToList();
        // NA00001: 1|2 at 1110696 (G and T apart); NA00002: 1|0 at 14370, 2|1 at 1110696, 1|0 at 2345678.
        Assert.Equal(["Cis", "Trans", "Trans", "Trans"], phases.Select(p => (string)p.Phase["valueCodeableConcept"]!["coding"]![0]!["code"]!).Order(StringComparer.Ordinal));
        Assert.All(phases, p =>
        {
            var from = p.Phase["derivedFrom"]!.AsArray().Select(d => (string)d!["reference"]!).ToList();
            Assert.Equal(2, from.Count);
            Assert.All(from, reference => Assert.Contains(p.Bundle, r => Profile(r).EndsWith("/variant", StringComparison.Ordinal) && reference.EndsWith((string)r["id"]!, StringComparison.Ordinal)));
        });
    }

    [Theory]
    [InlineData("##contig=<ID=1,length=249250621>\n##contig=<ID=MT,length=16569>", "MT", "NC_012920.1")]
    [InlineData("##contig=<ID=chr1,length=249250621>\n##contig=<ID=chrM,length=16571>", "chrM", "NC_001807.4")]
    [InlineData("##contig=<ID=chr1,length=249250621>\n##contig=<ID=chrM>", "chrM", "NC_001807.4")]
    [InlineData("##contig=<ID=1,length=249250621>\n##contig=<ID=chrM>", "chrM", null)]
    [InlineData("##contig=<ID=1,length=249250621>\n##contig=<ID=M,length=16299>", "M", null)]
    public async Task Ingest_Grch37Mitochondrion_PlacedOnTheSequenceTheHeaderTells_ElseListedNotGuessed(string contigs, string chrom, string? accession)
    {
        // GRCh37's mitochondrion is two sequences: b37's MT is the rCRS (16,569 bp), UCSC hg19's chrM the Yoruba one (16,571 bp).
        var vcf = Path.Combine(_work.FullName, "mito.vcf");
        File.WriteAllText(vcf, "##fileformat=VCFv4.2\n##reference=GRCh37\n" + contigs + "\n"
            + "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n"
            + "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\n"
            + chrom + "\t3010\t.\tG\tA\t50\tPASS\t.\tGT\t1\n");

        Assert.Equal(IngestRunner.ExitOk, await InvokeAsync("ingest", vcf, "--out", Out, "--json", "--patient", Patient));

        var skipped = JsonNode.Parse(_stdout.ToString())![0]!["skipped"]!.AsArray().Select(s => (string)s!).ToList();
        if (accession is not null)
        {
            Assert.Equal(accession, ComponentCode(Assert.Single(Variants()), "48013-7"));
            Assert.DoesNotContain(skipped, s => s.Contains("mitochondrion", StringComparison.Ordinal));
        }
        else
        {
            Assert.Empty(Variants());
            var reason = Assert.Single(skipped, s => s.Contains("mitochondrion", StringComparison.Ordinal));
            Assert.StartsWith("line 7, column 1:", reason, StringComparison.Ordinal);
            Assert.Contains("not reported rather than placed on a guessed sequence", reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Ingest_PharmCatSample_GenotypesCodedUnderPharmVarOnlyForGenesPharmVarNames()
    {
        // PharmCAT's Sample_1 (corpus): genotypes at every PharmCAT gene's positions, star alleles called from them.
        await IngestCorpusFileAsync(Path.Combine("pgx", "pharmcat_Sample_1.preprocessed.vcf"));

        var genotypes = Resources().Where(r => Profile(r).EndsWith("/genotype", StringComparison.Ordinal))
            .Select(r => (Text: (string)r["valueCodeableConcept"]!["text"]!, Systems: r["valueCodeableConcept"]!["coding"]?.AsArray().Select(c => (string?)c!["system"]).ToList() ?? []))
            .ToList();
        var pharmVar = genotypes.Where(g => g.Systems.Contains("http://www.pharmvar.org")).Select(g => g.Text.Split(' ')[0]).ToList();
        var textOnly = genotypes.Where(g => g.Systems.Count == 0).Select(g => g.Text.Split(' ')[0]).ToList();
        // Called here: CYP2B6 and NUDT15 (PharmVar's), CFTR and G6PD (not PharmVar's; G6PD's are WHO variant names).
        Assert.Equal(["CYP2B6", "NUDT15"], pharmVar.Order(StringComparer.Ordinal));
        Assert.Equal(["CFTR", "G6PD"], textOnly.Order(StringComparer.Ordinal));
        Assert.All(pharmVar, gene => Assert.True(gene.StartsWith("CYP", StringComparison.Ordinal) || gene is "DPYD" or "NAT2" or "NUDT15" or "SLCO1B1", gene));
        Assert.DoesNotContain(pharmVar, gene => gene is "TPMT" or "UGT1A1" or "G6PD" or "VKORC1" or "CFTR" or "ABCG2" or "IFNL3" or "RYR1" or "CACNA1S");
    }

    [Fact]
    public async Task Ingest_PprPc1Message_RejectedNamingItsMessageType()
    {
        var hl7 = Copy("msft_PC1-Problem-Add-v2.3.1.hl7");

        var exit = await InvokeAsync("ingest", hl7, "--out", Out);

        Assert.Equal(IngestRunner.ExitRejected, exit);
        var error = _stderr.ToString();
        Assert.Contains("msft_PC1-Problem-Add-v2.3.1.hl7: rejected: line 1, segment MSH[1], field MSH-9", error, StringComparison.Ordinal);
        Assert.Contains("message type PPR^PC1 is not supported: only ORU^R01", error, StringComparison.Ordinal);
        Assert.DoesNotContain("malformed", error, StringComparison.Ordinal);
        Assert.DoesNotContain("KARLS", _stdout.ToString() + error, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _work.Delete(recursive: true);
        _stdout.Dispose();
        _stderr.Dispose();
    }

    /// <summary>A corpus VCF (tests/TestData/vcf) with a manifest naming each sample column, ingested; it must succeed.</summary>
    private async Task IngestCorpusFileAsync(string corpusPath)
    {
        var vcf = Copy(Path.Combine("..", "vcf", corpusPath));
        TestVcfManifests.WriteBeside(vcf);
        Assert.Equal(IngestRunner.ExitOk, await InvokeAsync("ingest", vcf, "--out", Out, "--json"));
    }

    private string Copy(string name)
    {
        var target = Path.Combine(_work.FullName, "in", name);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(Path.Combine(RepositoryPaths.Root, "tests", "TestData", "zoo", name), target);
        return target;
    }

    private JsonNode Bundle() => JsonNode.Parse(File.ReadAllText(Assert.Single(Directory.GetFiles(Out, "*.transaction.json"))))!;

    private List<JsonNode> Resources() =>
        [.. Directory.GetFiles(Out, "*.transaction.json").Order(StringComparer.Ordinal)
            .SelectMany(f => JsonNode.Parse(File.ReadAllText(f))!["entry"]!.AsArray().Select(e => e!["resource"]!))];

    private List<JsonNode> Variants() => [.. Resources().Where(r => Profile(r).EndsWith("/variant", StringComparison.Ordinal))];

    private static string Profile(JsonNode resource) => (string?)resource["meta"]?["profile"]?[0] ?? "";

    private static string? ComponentCode(JsonNode observation, string loinc) =>
        (string?)observation["component"]?.AsArray().FirstOrDefault(c => (string?)c!["code"]!["coding"]![0]!["code"] == loinc)?["valueCodeableConcept"]?["coding"]?[0]?["code"];

    private static string? ComponentText(JsonNode observation, string loinc) =>
        (string?)observation["component"]?.AsArray().FirstOrDefault(c => (string?)c!["code"]!["coding"]![0]!["code"] == loinc)?["valueCodeableConcept"]?["text"];

    private Task<int> InvokeAsync(params string[] args) =>
        PmedCommandLine.RunAsync(args, _stdout, _stderr, TestContext.Current.CancellationToken);
}
