using System.Text;
using PrecisionMed.Core.Fhir.Genomics;
using PrecisionMed.Core.Formats.Vcf;
using PrecisionMed.Core.LabReports;
using PrecisionMed.Testing.Vcf;

namespace PrecisionMed.Core.Tests.Formats.Vcf;

/// <summary>
/// Records to the canonical model. For vcf2fhir's test VCFs the expectations are written from vcf2fhir's documented
/// rules (docs/genomics-domain.md §3): which rows become Variants, their zygosity, their phase relationships.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class VcfReportMapperTests
{
    private const string Het = "LA6706-1";
    private const string Hom = "LA6705-3";
    private const string Hemi = "LA6707-9";
    private const string Heteroplasmic = "LA6703-8";
    private const string Homoplasmic = "LA6704-6";

    [Fact]
    public async Task Map_Vcf2fhirExample1_SelectsByTheRules()
    {
        var report = await MapFileAsync("vcf2fhir/vcf_example1.vcf", new VcfOptions { GenomeBuild = "GRCh37" });

        // REF '.', REF 'A,T', empty REF and <CGA_CNVWIN> are not variants; FILTER 27 fails; PS without GT, './.', '.|.' are no calls.
        // Deviation from vcf2fhir: the SVTYPE=INV row with a plain ALT G is reported as the SNV its alleles say.
        Assert.Equal(
            [("1", 18, Het), ("1", 301, Het), ("1", 400, Hom), ("1", 500, Het), ("1", 600, Het), ("1", 700, Het)],
            Calls(report));
        Assert.Equal(6, report.RecordCounts[VcfRecordOutcome.Reported]);
        Assert.Equal(4, report.RecordCounts[VcfRecordOutcome.UnsupportedAllele]);
        Assert.Equal(1, report.RecordCounts[VcfRecordOutcome.FilterNotPass]);
        Assert.Equal(1, report.RecordCounts[VcfRecordOutcome.NoGenotype]);
        Assert.Equal(2, report.RecordCounts[VcfRecordOutcome.NoCall]);
        Assert.Equal(14, report.RecordCounts.Values.Sum());

        var phase = Assert.Single(report.PhaseRelationships);
        Assert.Equal("Trans", phase.Relationship); // 0|1 then 1|0 in phase set 500
        Assert.All(report.Skipped, s => Assert.NotNull(s.Position.Line));
    }

    [Theory]
    [InlineData("vcf2fhir/vcf_example4.vcf")]
    [InlineData("vcf2fhir/vcf_example4.vcf.gz")]
    public async Task Map_Vcf2fhirExample4_PhaseAndMitochondrialRules(string file)
    {
        var report = await MapFileAsync(file, new VcfOptions { GenomeBuild = "GRCh38" });

        // Breakends are not converted; chrM calls must be haploid (0|1 excluded); GT '0' is reference; chrM by AD/DP 3/15.
        Assert.Equal(
            [("X", 60466, Het), ("X", 60579, Het), ("X", 60583, Het), ("X", 60593, Het), ("X", 60692, Het), ("X", 60882, Het), ("MT", 60018, Heteroplasmic)],
            Calls(report));
        Assert.Equal(["Cis", "Cis"], report.PhaseRelationships.Select(p => p.Relationship));
        Assert.Equal(2, report.RecordCounts[VcfRecordOutcome.MitochondrialNotHaploid]);
        Assert.Equal(2, report.RecordCounts[VcfRecordOutcome.UnsupportedAllele]);
        Assert.Equal(1, report.RecordCounts[VcfRecordOutcome.ReferenceGenotype]);
        var mito = report.Variants.Single(v => v.Key.Contains(":MT:", StringComparison.Ordinal));
        Assert.Equal("NC_012920.1", Coded(mito, "48013-7"));
        Assert.Equal("NC_012920.1:g.60018A>C", Coded(mito, "81290-9"));
        Assert.Equal(0.2m, ((QuantityValue)Component(mito, "81258-6")!).Value);
    }

    [Theory]
    [InlineData("vcf2fhir/vcf_example1.vcf", "GRCh37", "Trans", new[] { "NC_000001.10:g.500A>G NC_000001.10:g.600A>G" })]
    [InlineData("vcf2fhir/vcf_example4.vcf", "GRCh38", "Cis", new[] { "NC_000023.11:g.60579G>A NC_000023.11:g.60583G>C", "NC_000023.11:g.60583G>C NC_000023.11:g.60593A>T" })]
    public async Task Build_PhasedCallsInOneSet_SequencePhaseRelationshipDerivedFromBothVariants(string file, string build, string relationship, string[] pairs)
    {
        var report = await MapFileAsync(file, new VcfOptions { GenomeBuild = build });
        using var transaction = GenomicReportBuilder.Build(report, ProvenanceOf(Path.GetFileName(file)));

        var resources = transaction.Bundles.SelectMany(b => b["entry"]!.AsArray()).Select(e => e!["resource"]!.AsObject()).ToList();
        var variantIds = resources.Where(r => HasProfile(r, GenomicsCodes.VariantProfile))
            .ToDictionary(r => (string)r["component"]!.AsArray().Single(c => (string?)c!["code"]!["coding"]![0]!["code"] == "81290-9")!["valueCodeableConcept"]!["coding"]![0]!["code"]!, r => (string)r["id"]!);
        var phases = resources.Where(r => HasProfile(r, GenomicsCodes.SequencePhaseRelationshipProfile)).ToList();

        Assert.Equal(pairs.Length, phases.Count);
        Assert.All(phases, phase =>
        {
            Assert.Equal("Observation", (string?)phase["resourceType"]);
            Assert.Equal(GenomicsCodes.SequencePhaseRelationship, (string?)phase["code"]!["coding"]![0]!["code"]);
            var value = phase["valueCodeableConcept"]!["coding"]![0]!;
            Assert.Equal(GenomicsCodes.SequencePhaseRelationshipSystem, (string?)value["system"]);
            Assert.Equal(relationship, (string?)value["code"]);
        });
        Assert.Equal(
            pairs.Select(pair => pair.Split(' ').Select(hgvs => "Observation/" + variantIds[hgvs]).ToList()),
            phases.Select(phase => phase["derivedFrom"]!.AsArray().Select(d => (string)d!["reference"]!).ToList()));
    }

    [Fact]
    public async Task Map_StructuralVariants_RangesChangeTypeAndCopyNumber()
    {
        var report = await MapFileAsync("vcf2fhir/vcf_structural_variants.vcf", new VcfOptions { GenomeBuild = "GRCh37" });

        // Symbolic ALTs are structural variants; rows with explicit allele sequences are written as the sequence change they are.
        var structural = report.Variants.Where(v => v.Structural).ToList();
        Assert.True(structural.Count >= 10, $"{structural.Count} structural variants");
        Assert.All(structural, v => Assert.Null(Component(v, "81254-5"))); // imprecise ends: inner/outer, not exact
        Assert.Contains(structural, v => Component(v, "82155-3") is QuantityValue);
        Assert.Contains(structural, v => Component(v, "81301-4") is RangeValue);
        Assert.All(report.Variants, v => Assert.StartsWith("SO:", ((CodedValue)Component(v, "48019-4")!).Codings[0].Code, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Map_MultiAllelic_OneVariantPerCalledAltNormalised()
    {
        var report = await MapTextAsync(Vcf("chr1\t100\trs1;COSV9;x7\tCTT\tC,CT,GTT\t.\tPASS\t.\tGT:AD:DP\t1/2:2,5,3,0:10"));

        Assert.Equal(2, report.Variants.Count);
        var deletion = report.Variants[0];
        Assert.Equal("GRCh38:1:100:CTT:C", deletion.Key);
        Assert.Equal("NC_000001.11:g.101_102del", Coded(deletion, "81290-9"));
        Assert.Equal("NC_000001.11", Coded(deletion, "48013-7"));
        Assert.Equal(new RangeValue(100, 102), Component(deletion, "81254-5"));
        Assert.Equal(0.5m, ((QuantityValue)Component(deletion, "81258-6")!).Value);
        Assert.Equal(5m, ((QuantityValue)Component(deletion, "82121-5")!).Value);
        Assert.Equal(Het, Coded(deletion, "53034-5"));
        var single = report.Variants[1];
        Assert.Equal("GRCh38:1:100:CT:C", single.Key); // CTT>CT trims its shared suffix to CT>C
        Assert.Equal("NC_000001.11:g.101del", Coded(single, "81290-9"));
        Assert.Equal(3, deletion.Components.Count(c => c.Code.Code == "81252-9"));
    }

    [Theory]
    [InlineData("A", "G", "NC_000001.11:g.100A>G")]
    [InlineData("A", "AGT", "NC_000001.11:g.100_101insGT")]
    [InlineData("AC", "GT", "NC_000001.11:g.100_101delinsGT")]
    [InlineData("ACG", "T", "NC_000001.11:g.100_102delinsT")]
    [InlineData("ATG", "ACG", "NC_000001.11:g.101T>C")]
    public void GenomicHgvs_SimpleVariants(string reference, string alternate, string hgvs)
    {
        Assert.Equal(hgvs, VcfAlleles.GenomicHgvs("NC_000001.11", VcfAlleles.Normalise(100, reference, alternate)));
    }

    [Fact]
    public async Task Map_HaploidOnX_Hemizygous()
    {
        var report = await MapFileAsync("edge/bcftools_haploid-diploid.vcf", new VcfOptions { GenomeBuild = "GRCh38" });
        Assert.Contains(Hemi, Calls(report).Select(c => c.State));
    }

    [Theory]
    [InlineData("chrX\t5000000", Hemi)] // between the PARs
    [InlineData("chrX\t10000", Hemi)] // just before GRCh38's PAR1
    [InlineData("chrX\t10001", Hom)] // PAR1's first base
    [InlineData("chrX\t2781479", Hom)] // PAR1's last base
    [InlineData("chrX\t2781480", Hemi)]
    [InlineData("chrX\t155800000", Hom)] // PAR2
    [InlineData("X\t156030896", Hemi)] // past PAR2
    [InlineData("chrY\t2800000", Hemi)]
    [InlineData("chrY\t1000000", Hom)] // Y's PAR1
    [InlineData("chrY\t57000000", Hom)] // Y's PAR2 lies elsewhere than X's
    [InlineData("chr1\t5000000", Hom)] // autosomes are not affected
    public async Task Map_MaleHomozygousDiploid_HemizygousOutsidePseudoautosomalRegions(string locus, string state)
    {
        var report = await MapTextAsync(Vcf($"{locus}\t.\tA\tG\t.\tPASS\t.\tGT\t1/1"), new VcfOptions { SampleSex = SampleSex.Male });
        Assert.Equal(state, Coded(Assert.Single(report.Variants), "53034-5"));
    }

    [Theory]
    [InlineData("GRCh37", 60000, Hemi)] // GRCh37's PAR1 starts at 60,001 on X
    [InlineData("GRCh37", 60001, Hom)]
    [InlineData("GRCh37", 155000000, Hom)] // GRCh37's PAR2 (154,931,044-155,260,560)
    [InlineData("GRCh37", 155700000, Hemi)] // GRCh38's PAR2, not GRCh37's
    public async Task Map_MaleOnXInGrch37_ItsOwnPseudoautosomalRegions(string build, long position, string state)
    {
        var vcf = Vcf($"chrX\t{position}\t.\tA\tG\t.\tPASS\t.\tGT\t1/1").Replace("##contig=<ID=chr1,length=248956422>\n", "", StringComparison.Ordinal);
        var report = await MapTextAsync(vcf, new VcfOptions { SampleSex = SampleSex.Male, GenomeBuild = build });
        Assert.Equal(state, Coded(Assert.Single(report.Variants), "53034-5"));
    }

    [Fact]
    public async Task Map_MaleWithoutBuild_EitherBuildsPseudoautosomalRegionStaysHomozygous()
    {
        // 30,000 is in GRCh38's PAR1 but not GRCh37's: with no build known, the call is not made hemizygous.
        var vcf = Vcf("chrX\t30000\t.\tA\tG\t.\tPASS\t.\tGT\t1/1", "chrX\t5000000\t.\tA\tG\t.\tPASS\t.\tGT\t1/1")
            .Replace("##contig=<ID=chr1,length=248956422>\n", "", StringComparison.Ordinal);
        var report = await MapTextAsync(vcf, new VcfOptions { SampleSex = SampleSex.Male });
        Assert.Equal([Hom, Hemi], report.Variants.Select(v => Coded(v, "53034-5")));
    }

    [Theory]
    [InlineData(SampleSex.Female)]
    [InlineData(SampleSex.Unknown)]
    public async Task Map_NotMaleHomozygousOnX_Homozygous(SampleSex sex)
    {
        var report = await MapTextAsync(Vcf("chrX\t5000000\t.\tA\tG\t.\tPASS\t.\tGT\t1/1"), new VcfOptions { SampleSex = sex });
        Assert.Equal(Hom, Coded(Assert.Single(report.Variants), "53034-5"));
    }

    [Fact]
    public async Task Map_MaleHeterozygousOnXOutsidePar_StaysHeterozygousAsCalled()
    {
        var report = await MapTextAsync(Vcf("chrX\t5000000\t.\tA\tG,T\t.\tPASS\t.\tGT\t1/2", "chrX\t6000000\t.\tA\tG\t.\tPASS\t.\tGT\t0/1"), new VcfOptions { SampleSex = SampleSex.Male });
        Assert.Equal([Het, Het, Het], report.Variants.Select(v => Coded(v, "53034-5")));
    }

    [Theory]
    [InlineData("0,20", "20", Homoplasmic)]
    [InlineData("0,100", "100", Homoplasmic)]
    [InlineData("1,199", "200", Homoplasmic)] // 0.995: above the ratio
    [InlineData("1,99", "100", Heteroplasmic)] // 0.99: at the ratio is not above it (vcf2fhir's Manual: "> 99% homoplasmic; else heteroplasmic")
    [InlineData("2,98", "100", Heteroplasmic)]
    public async Task Map_MitochondrialByReadRatio_HomoplasmicOnlyAboveTheRatio(string ad, string dp, string state)
    {
        var report = await MapTextAsync(Vcf($"chrM\t150\t.\tC\tT\t.\tPASS\t.\tGT:AD:DP\t1:{ad}:{dp}"), new VcfOptions { SampleSex = SampleSex.Male });
        var variant = Assert.Single(report.Variants);
        Assert.Equal(state, Coded(variant, "53034-5"));
        Assert.Equal("NC_012920.1", Coded(variant, "48013-7"));
    }

    [Fact]
    public async Task Map_GvcfBlocksAndFilters_CountedNotReported()
    {
        var report = await MapFileAsync("edge/bcftools_convert.gvcf.vcf", new VcfOptions());
        Assert.True(report.RecordCounts[VcfRecordOutcome.ReferenceBlock] > 0);
        Assert.Equal(31, report.RecordCounts.Values.Sum());
    }

    [Fact]
    public async Task Map_GvcfReferenceBlocksWithOtherRulesRelaxed_NoVariant()
    {
        // FILTER and genotype rules off: the reference-block rule alone keeps the 30 blocks out; only 22:86 G>C is a variant.
        var report = await MapFileAsync("edge/bcftools_convert.gvcf.vcf", new VcfOptions { RequirePassFilter = false, RequireNonReferenceGenotype = false });

        Assert.Equal([("22", 86, Het)], Calls(report));
        Assert.Equal(30, report.RecordCounts[VcfRecordOutcome.ReferenceBlock]);
        Assert.Equal(1, report.RecordCounts[VcfRecordOutcome.Reported]);
    }

    [Fact]
    public async Task Map_GatkStyleReferenceBlocks_NoVariantEvenWithANonReferenceGenotype()
    {
        var report = await MapTextAsync(Vcf(
            "chr1\t100\t.\tA\t<NON_REF>\t.\t.\tEND=150\tGT:DP:GQ\t0/1:30:99",
            "chr1\t151\t.\tC\tG,<NON_REF>\t50\tPASS\t.\tGT:AD:DP\t0/1:10,10,0:20",
            "chr1\t152\t.\tT\t<*>\t.\tPASS\tEND=200\tGT:DP\t1/1:25",
            "chr1\t201\t.\tG\t<*>,<NON_REF>\t.\tPASS\tEND=260\tGT:DP\t0/0:25"));

        Assert.Equal(["GRCh38:1:151:C:G"], report.Variants.Select(v => v.Key));
        Assert.Equal(3, report.RecordCounts[VcfRecordOutcome.ReferenceBlock]);
        Assert.Equal(1, report.RecordCounts[VcfRecordOutcome.Reported]);
    }

    [Fact]
    public void Options_Default_MaxReportableVariantsIsTenThousand()
    {
        Assert.Equal(10_000, VcfOptions.DefaultMaxReportableVariants);
        Assert.Equal(10_000, new VcfOptions().MaxReportableVariants);
    }

    [Fact]
    public async Task Map_DefaultMaximum_TenThousandReportedOneMoreRejected()
    {
        static string Rows(int count) => Vcf([.. Enumerable.Range(1, count).Select(i => $"chr1\t{i * 10}\t.\tA\tG\t.\tPASS\t.\tGT\t0/1")]);

        var report = await MapTextAsync(Rows(10_000));
        Assert.Equal(10_000, report.Variants.Count);

        var ex = await Assert.ThrowsAsync<LabFileRejectedException>(() => MapTextAsync(Rows(10_001)));
        Assert.Contains("more than 10,000 reportable variants", ex.Problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Map_Regions_OnlyOverlappingReported()
    {
        var bed = Path.GetTempFileName();
        await File.WriteAllTextAsync(bed, "chr1\t199\t200\n", TestContext.Current.CancellationToken);
        try
        {
            var report = await MapTextAsync(
                Vcf("chr1\t100\t.\tA\tG\t.\tPASS\t.\tGT\t0/1", "chr1\t200\t.\tA\tG\t.\tPASS\t.\tGT\t1/1", "chr2\t200\t.\tA\tG\t.\tPASS\t.\tGT\t1/1"),
                new VcfOptions { RegionsBed = bed });
            Assert.Equal(["GRCh38:1:200:A:G"], report.Variants.Select(v => v.Key));
            Assert.Equal(2, report.RecordCounts[VcfRecordOutcome.OutsideRegions]);
            Assert.Equal(["chr1:200-200"], report.RegionsStudied);
        }
        finally
        {
            File.Delete(bed);
        }
    }

    [Fact]
    public async Task Map_GenesAndKnownVariants_OnlyThoseReported()
    {
        var vcf = Vcf(
            "chr1\t100\t.\tA\tG\t.\tPASS\tGENE=BRCA1\tGT\t0/1",
            "chr1\t200\t.\tA\tG\t.\tPASS\tGENE=TTN\tGT\t0/1",
            "chr1\t300\t.\tA\tC\t.\tPASS\t.\tGT\t0/1");
        var known = new KnownPositions(300);
        var report = await MapTextAsync(vcf, new VcfOptions { Genes = ["brca1"], OnlyKnownVariants = true }, known);

        Assert.Equal(["GRCh38:1:100:A:G", "GRCh38:1:300:A:C"], report.Variants.Select(v => v.Key));
        Assert.Equal(1, report.RecordCounts[VcfRecordOutcome.NotInGenesOrKnowledge]);
        Assert.Equal("NC_000001.11", Assert.Single(known.Asked, q => q.Position == 300).ChromosomeAccession);
    }

    [Fact]
    public async Task Map_MoreThanTheMaximum_RejectedNamingTheOption()
    {
        var vcf = Vcf([.. Enumerable.Range(1, 5).Select(i => $"chr1\t{i * 10}\t.\tA\tG\t.\tPASS\t.\tGT\t0/1")]);
        var ex = await Assert.ThrowsAsync<LabFileRejectedException>(() => MapTextAsync(vcf, new VcfOptions { MaxReportableVariants = 4 }));
        Assert.Contains("Vcf:MaxReportableVariants", ex.Problem.Reason, StringComparison.Ordinal);
        Assert.Contains("more than 4 reportable variants", ex.Problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Map_NoBuild_NoRefSeqAndSaysWhy()
    {
        var report = await MapTextAsync(Vcf("chr1\t100\t.\tA\tG\t.\tPASS\t.\tGT\t0/1").Replace("##contig=<ID=chr1,length=248956422>\n", "", StringComparison.Ordinal));
        var variant = Assert.Single(report.Variants);
        Assert.Null(Component(variant, "48013-7"));
        Assert.DoesNotContain(variant.Components, c => c.Value is CodedValue coded && coded.Codings.Any(x => x.Code == "chr1"));
        Assert.Contains(report.Skipped, s => s.Reason.Contains("Vcf:GenomeBuild", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Map_SnpEffAnnotation_GeneTranscriptAndHgvs()
    {
        var report = await MapFileAsync("annotated/snpEff_clinvar_crlf.vcf", new VcfOptions { GenomeBuild = "GRCh38" });
        var variant = report.Variants[0];
        Assert.Equal("ISG15", ((CodedValue)Component(variant, "48018-6")!).Text);
        // As snpEff wrote them: HgvsCompletion gives the c. its transcript when the report is built (HgvsCompletionTests).
        Assert.Equal("ENST00000624697.4", Coded(variant, "51958-7"));
        Assert.Equal("c.224G>A", Text(variant, "48004-6"));
        Assert.Equal("p.Ser75Asn", Text(variant, "48005-3"));
        Assert.Equal(["rs1921", "402986"], variant.Components.Where(c => c.Code.Code == "81252-9")
            .Select(c => ((CodedValue)c.Value) is { Codings.Count: > 0 } coded ? coded.Codings[0].Code : ((CodedValue)c.Value).Text));
    }

    [Fact]
    public async Task Map_SnpEffAnnotation_OneMolecularConsequencePerTranscriptTheVariantLiesIn()
    {
        // NB6TK328's first record, chr5:112841059 T>A in APC: snpEff lists 10 transcripts; two missense, one NMD
        // transcript twice (3' UTR and non-coding exon), one intron, six only downstream of the variant.
        var report = await MapFileAsync("vcf2fhir/NB6TK328_filtered.vcf", new VcfOptions());
        var variant = report.Variants[0];
        var consequences = report.MolecularConsequences.Where(c => c.VariantKey == variant.Key).ToList();

        Assert.Equal(["ENST00000508376.6", "ENST00000257430.9", "ENST00000508624.5", "ENST00000520401.1"], consequences.Select(c => c.Transcript!.Codings[0].Code));
        var first = consequences[0];
        Assert.Equal("c.5465T>A", first.CodingHgvs!.Text);
        Assert.Equal("p.Val1822Asp", first.ProteinHgvs!.Text);
        Assert.Equal(("SO:0001583", "missense_variant"), (first.FeatureConsequences[0].Codings[0].Code, first.FeatureConsequences[0].Text));
        Assert.Equal(["3_prime_UTR_variant", "non_coding_transcript_exon_variant"], consequences[2].FeatureConsequences.Select(c => c.Text));
        Assert.All(report.MolecularConsequences, c => Assert.Contains(report.Variants, v => v.Key == c.VariantKey));
    }

    [Fact]
    public async Task Map_VepCsqAnnotation_GeneHgvsAndOneMolecularConsequencePerTranscript()
    {
        // BRAF V600E as VEP --vcf writes it: the canonical transcript, a regulatory feature (no transcript) and a
        // neighbouring gene's transcript the variant is only downstream of.
        var vcf = "##fileformat=VCFv4.2\n##reference=GRCh38\n"
            + "##INFO=<ID=CSQ,Number=.,Type=String,Description=\"Consequence annotations from Ensembl VEP. Format: "
            + "Allele|Consequence|IMPACT|SYMBOL|Gene|Feature_type|Feature|BIOTYPE|EXON|INTRON|HGVSc|HGVSp|cDNA_position\">\n"
            + "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\n"
            + "chr7\t140753336\trs113488022\tA\tT\t.\tPASS\tCSQ="
            + "T|missense_variant|MODERATE|BRAF|ENSG00000157764|Transcript|ENST00000646891.2|protein_coding|15/18||ENST00000646891.2:c.1799T>A|ENSP00000493543.1:p.Val600Glu|1919,"
            + "T|regulatory_region_variant|MODIFIER|||RegulatoryFeature|ENSR00000218393|promoter_flanking_region||||,"
            + "T|downstream_gene_variant|MODIFIER|MRPS33|ENSG00000090263|Transcript|ENST00000354161.8|protein_coding|||||"
            + "\tGT\t0/1\n";

        var report = await MapTextAsync(vcf);

        var variant = Assert.Single(report.Variants);
        Assert.Equal("BRAF", ((CodedValue)Component(variant, "48018-6")!).Text);
        Assert.Equal("ENST00000646891.2", Coded(variant, "51958-7"));
        Assert.Equal("ENST00000646891.2:c.1799T>A", Text(variant, "48004-6"));
        Assert.Equal("ENSP00000493543.1:p.Val600Glu", Text(variant, "48005-3"));
        Assert.Equal("NC_000007.14:g.140753336A>T", Coded(variant, "81290-9"));

        var consequence = Assert.Single(report.MolecularConsequences);
        Assert.Equal(variant.Key, consequence.VariantKey);
        Assert.Equal(("http://www.ensembl.org", "ENST00000646891.2"), (consequence.Transcript!.Codings[0].System, consequence.Transcript.Codings[0].Code));
        Assert.Equal("ENST00000646891.2:c.1799T>A", consequence.CodingHgvs!.Text);
        Assert.Equal("ENSP00000493543.1:p.Val600Glu", consequence.ProteinHgvs!.Text);
        var term = Assert.Single(consequence.FeatureConsequences);
        Assert.Equal(("SO:0001583", "missense_variant"), (term.Codings[0].Code, term.Text));
    }

    [Fact]
    public async Task Map_StructuralEndBeforePos_NotReported_ListedWithItsLine()
    {
        var report = await MapTextAsync(
            Vcf("chr1\t100\tsv1\tN\t<DEL>\t.\tPASS\tSVTYPE=DEL;END=50\tGT\t0/1", "chr1\t200\tsv2\tN\t<DEL>\t.\tPASS\tSVTYPE=DEL;END=260\tGT\t0/1"),
            new VcfOptions { GenomeBuild = "GRCh38" });

        var variant = Assert.Single(report.Variants);
        Assert.EndsWith(":<DEL>:260", variant.Key, StringComparison.Ordinal);
        var skipped = Assert.Single(report.Skipped, s => s.Reason.Contains("END is before POS", StringComparison.Ordinal));
        Assert.Equal(4, skipped.Position.Line);
    }

    [Theory]
    [InlineData(0, new[] { "1110696:G|1110696:T Trans" })]
    [InlineData(1, new[] { "14370:A|1110696:T Cis", "1110696:T|1110696:G Trans", "1110696:G|2345678:A Trans" })]
    [InlineData(2, new string[0])]
    public async Task Map_SpecExamplePhasedWithoutPs_OnePhaseSetPerChromosome(int sample, string[] expected)
    {
        // The VCF 4.3 spec's own example (pysam's copy): phased samples, no PS field. VCF 4.2-4.5: "All phased genotypes that do
        // not contain a PS subfield are assumed to belong to the same phased set". 17330 fails its filter (q10); NA00003's calls are unphased.
        await using var stream = VcfTestFiles.Open(VcfTestFiles.PathOf("edge/pysam_example_vcf43_with_utf8.vcf"));
        var report = await MapAsync(stream, "example.vcf", new VcfOptions { GenomeBuild = "GRCh37" }, null, sample);

        Assert.Equal(expected, report.PhaseRelationships.Select(p => $"{Short(p.DerivedFromKeys[0])}|{Short(p.DerivedFromKeys[1])} {p.Relationship}"));

        static string Short(string key) => string.Join(':', key.Split(':')[2], key.Split(':')[4]);
    }

    [Fact]
    public async Task Map_PhaseSets_AreOneChromosomesAndNeedAnIntegerPs()
    {
        var report = await MapTextAsync(
            Vcf(
                "chr1\t100\t.\tA\tG\t.\tPASS\t.\tGT:PS\t0|1:100", "chr1\t200\t.\tA\tG\t.\tPASS\t.\tGT:PS\t0|1:.",
                "chr1\t300\t.\tA\tG\t.\tPASS\t.\tGT\t1|0", "chr1\t400\t.\tA\tG\t.\tPASS\t.\tGT:PS\t1|0:blockA",
                "chr1\t500\t.\tA\tG\t.\tPASS\t.\tGT:PS\t1|0:blockA", "chr2\t600\t.\tA\tG\t.\tPASS\t.\tGT:PS\t1|0:100"),
            new VcfOptions { GenomeBuild = "GRCh38" });

        // 200 and 300 carry no PS value: one set. chr2's PS 100 is not chr1's. "blockA" names no set the spec defines.
        var phase = Assert.Single(report.PhaseRelationships);
        Assert.Equal("Trans", phase.Relationship);
        Assert.Equal(["GRCh38:1:200:A:G", "GRCh38:1:300:A:G"], phase.DerivedFromKeys);
    }

    [Theory]
    [InlineData("file:///seq/references/Homo_sapiens_assembly19/v1/Homo_sapiens_assembly19.fasta", "1", "NC_000001.10")]
    [InlineData("/broad/hg38/v0/Homo_sapiens_assembly38.fasta", "chr1", "NC_000001.11")]
    public async Task Map_BroadReferenceNameAndContigsWithoutLength_BuildFromTheName(string reference, string chrom, string accession)
    {
        // GATK's headers name Broad's references; contig lines without a length leave nothing else to go on.
        var report = await MapTextAsync(
            $"##fileformat=VCFv4.2\n##reference={reference}\n##contig=<ID={chrom}>\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\n"
            + $"{chrom}\t1000\t.\tA\tG\t.\tPASS\t.\tGT\t0/1\n");

        Assert.Equal(accession, Coded(Assert.Single(report.Variants), "48013-7"));
        Assert.DoesNotContain(report.Skipped, s => s.Reason.Contains("genome build", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Map_CompleteGenomicsB37MitochondrionNamedM_PlacedOnTheRcrsByItsContigLength()
    {
        // vcf_example3: assembly=B37, contigs 1..22, X, Y, M (length=16569); its one reported mitochondrial call is on "chrM",
        // a name that alone would mean UCSC's hg19: the header's length says the rCRS.
        var report = await MapFileAsync("vcf2fhir/vcf_example3.vcf", new VcfOptions());

        var mito = Assert.Single(report.Variants, v => v.Key.StartsWith("GRCh37:MT:", StringComparison.Ordinal));
        Assert.Equal("NC_012920.1", Coded(mito, "48013-7"));
        Assert.False(report.RecordCounts.ContainsKey(VcfRecordOutcome.MitochondrialSequenceUnknown));
    }

    [Theory]
    [InlineData("chrM", "16571", "NC_001807.4")] // UCSC hg19: the Yoruba sequence
    [InlineData("chrM", null, "NC_001807.4")] // its contig line is UCSC-style
    [InlineData("MT", null, "NC_012920.1")] // b37: the rCRS
    [InlineData("chrM", "16569", "NC_012920.1")]
    [InlineData("M", null, null)]
    [InlineData("chrM", "16299", null)]
    public async Task Map_Grch37Mitochondrion_SequenceFromTheHeaderOrNotReported(string chrom, string? length, string? accession)
    {
        var contig = length is null ? $"<ID={chrom}>" : $"<ID={chrom},length={length}>";
        var report = await MapTextAsync(
            $"##fileformat=VCFv4.2\n##reference=GRCh37\n##contig={contig}\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\n"
            + $"{chrom}\t150\t.\tT\tC\t.\tPASS\t.\tGT:AD:DP\t1:2,30:32\n{chrom}\t300\t.\tA\tG\t.\tPASS\t.\tGT\t1\n");

        if (accession is not null)
        {
            Assert.All(report.Variants, v => Assert.Equal(accession, Coded(v, "48013-7")));
            Assert.All(report.Variants, v => Assert.StartsWith(accession + ":", Coded(v, "81290-9"), StringComparison.Ordinal));
            return;
        }

        Assert.Empty(report.Variants);
        Assert.Equal(2, report.RecordCounts[VcfRecordOutcome.MitochondrialSequenceUnknown]);
        var skipped = Assert.Single(report.Skipped);
        Assert.Equal((5L, 1L), (skipped.Position.Line, skipped.Position.Column));
        Assert.Contains("not reported rather than placed on a guessed sequence", skipped.Reason, StringComparison.Ordinal);
    }

    private sealed class KnownPositions(params long[] positions) : IVariantKnowledge
    {
        public List<KnownVariantQuery> Asked { get; } = [];

        public ValueTask<bool> IsKnownAsync(KnownVariantQuery variant, CancellationToken cancellationToken)
        {
            Asked.Add(variant);
            return ValueTask.FromResult(positions.Contains(variant.Position));
        }

        public ValueTask<IReadOnlyList<PharmacogenePositions>> PharmacogenePositionsAsync(string genomeBuild, CancellationToken cancellationToken) =>
            ValueTask.FromResult<IReadOnlyList<PharmacogenePositions>>([]);

        public ValueTask<VcfLabProfile?> LabProfileAsync(string labId, CancellationToken cancellationToken) =>
            ValueTask.FromResult<VcfLabProfile?>(null);
    }

    private static string Vcf(params string[] rows) =>
        "##fileformat=VCFv4.2\n##contig=<ID=chr1,length=248956422>\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\n"
        + string.Concat(rows.Select(r => r + "\n"));

    private static Task<LabReport> MapTextAsync(string vcf, VcfOptions? options = null, IVariantKnowledge? knowledge = null) =>
        MapAsync(new MemoryStream(Encoding.UTF8.GetBytes(vcf)), "test.vcf", options ?? new VcfOptions(), knowledge);

    private static async Task<LabReport> MapFileAsync(string file, VcfOptions options)
    {
        await using var stream = VcfTestFiles.Open(VcfTestFiles.PathOf(file));
        return await MapAsync(stream, Path.GetFileName(file), options, null);
    }

    private static async Task<LabReport> MapAsync(Stream stream, string name, VcfOptions options, IVariantKnowledge? knowledge, int sample = 0)
    {
        var reader = await VcfReader.OpenAsync(stream, TestContext.Current.CancellationToken);
        var provenance = ProvenanceOf(name) with { UnitIndex = sample, UnitCount = reader.Header.Samples.Count, Manifest = TestVcfManifests.ForColumns(name, reader.Header.Samples) };
        return await new VcfReportMapper(options, knowledge ?? new NoVariantKnowledge()).MapAsync(reader, provenance, TestContext.Current.CancellationToken);
    }

    private static ReportProvenance ProvenanceOf(string name) =>
        new("lab", "incoming/lab/" + name, "hash", name, 0, 1, DateTimeOffset.UnixEpoch, "test");

    private static bool HasProfile(System.Text.Json.Nodes.JsonObject resource, string profile) =>
        resource["meta"]?["profile"]?.AsArray().Any(p => (string?)p == profile) == true;

    private static List<(string Chrom, long Pos, string? State)> Calls(LabReport report) =>
        [.. report.Variants.Select(v =>
        {
            var parts = v.Key.Split(':');
            return (parts[1], long.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture), Coded(v, "53034-5"));
        })];

    private static ReportedValue? Component(VariantFinding variant, string code) =>
        variant.Components.FirstOrDefault(c => c.Code.Code == code)?.Value;

    private static string? Text(VariantFinding variant, string code) => (Component(variant, code) as TextValue)?.Text;

    private static string? Coded(VariantFinding variant, string code) =>
        Component(variant, code) is CodedValue { Codings.Count: > 0 } coded ? coded.Codings[0].Code : null;
}
