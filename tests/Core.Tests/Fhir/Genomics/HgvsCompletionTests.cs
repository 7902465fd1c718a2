using System.Text;
using System.Text.Json.Nodes;
using PrecisionMed.Core.Formats.Vcf;
using PrecisionMed.Core.LabReports;
using PrecisionMed.Core.Tests.Formats.Hl7v2;
using PrecisionMed.Core.Tests.Formats.Vcf;
using PrecisionMed.Testing.Vcf;

namespace PrecisionMed.Core.Tests.Fhir.Genomics;

/// <summary>
/// Every HGVS component carries its reference sequence or is not written as HGVS: snpEff's ANN (Feature_ID, bare
/// p.), VEP's CSQ (ENST…:c. and ENSP…:p. kept as written), QIAGEN's TRANSCRIPT_ID, an HL7 v2 group's transcript, the
/// build's NC_ accession for a bare g.; what has no reference sequence goes to the finding's note, counted.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class HgvsCompletionTests
{
    private const string CsqHeader = "##fileformat=VCFv4.2\n##reference=GRCh38\n"
        + "##INFO=<ID=CSQ,Number=.,Type=String,Description=\"Consequence annotations from Ensembl VEP. Format: "
        + "Allele|Consequence|IMPACT|SYMBOL|Gene|Feature_type|Feature|BIOTYPE|EXON|INTRON|HGVSc|HGVSp\">\n"
        + "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\n";

    private const string AnnHeader = "##fileformat=VCFv4.2\n##reference=GRCh38\n"
        + "##INFO=<ID=ANN,Number=.,Type=String,Description=\"Functional annotations: 'Allele | Annotation | Annotation_Impact | Gene_Name | Gene_ID | Feature_Type | Feature_ID | Transcript_BioType | Rank | HGVS.c | HGVS.p | cDNA.pos / cDNA.length | CDS.pos / CDS.length | AA.pos / AA.length | Distance | ERRORS / WARNINGS / INFO'\">\n"
        + "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\n";

    [Fact]
    public async Task Complete_SnpEffCorpusFile_CodingTakesFeatureIdAndBareProteinGoesToNote()
    {
        var report = HgvsCompletion.Complete(await MapFileAsync("annotated/snpEff_clinvar_crlf.vcf", new VcfOptions { GenomeBuild = "GRCh38" }));

        var variant = report.Variants[0];
        Assert.Equal("ENST00000624697.4:c.224G>A", Hgvs(variant, "48004-6"));
        Assert.Null(Component(variant, "48005-3"));
        Assert.Contains(variant.Notes!, n => n.EndsWith(": p.Ser75Asn", StringComparison.Ordinal) && n.Contains("without its reference sequence", StringComparison.Ordinal));
        Assert.StartsWith("NC_000001.11:g.", Hgvs(variant, "81290-9"), StringComparison.Ordinal);
        var consequence = report.MolecularConsequences.First(c => c.VariantKey == variant.Key);
        Assert.Equal("ENST00000624697.4:c.224G>A", consequence.CodingHgvs!.Codings[0].Code);
        Assert.Null(consequence.ProteinHgvs);
        Assert.Contains(consequence.Notes!, n => n.EndsWith(": p.Ser75Asn", StringComparison.Ordinal));
        Assert.True(report.Hgvs!.Completed > 0 && report.Hgvs.ToText > 0 && report.Hgvs.AsSent > 0, report.Hgvs.ToString());
    }

    [Fact]
    public async Task Complete_QiagenCorpusFile_CodingTakesTranscriptId()
    {
        var report = HgvsCompletion.Complete(await MapFileAsync("annotated/qiagen_ingenuity_export.vcf", new VcfOptions { GenomeBuild = "GRCh37" }));

        var coding = report.Variants.Select(v => Hgvs(v, "48004-6")).OfType<string>().ToList();
        Assert.NotEmpty(coding);
        Assert.All(coding, c => Assert.Matches(@"^(NM_|ENST)\d+\.\d+:c\.", c));
        Assert.DoesNotContain(report.Variants, v => Component(v, "48005-3") is not null);
    }

    [Fact]
    public async Task Complete_AnnWithoutFeatureId_CodingGoesToNote()
    {
        var vcf = AnnHeader + "chr1\t1014228\t.\tG\tA\t.\tPASS\tANN=A|missense_variant|MODERATE|ISG15|ENSG00000187608|transcript||protein_coding|3/3|c.224G>A|p.Ser75Asn||||\tGT\t0/1\n";

        var report = HgvsCompletion.Complete(await MapTextAsync(vcf));

        var variant = Assert.Single(report.Variants);
        Assert.Null(Component(variant, "48004-6"));
        Assert.Null(Component(variant, "48005-3"));
        Assert.Equal(2, variant.Notes!.Count);
        Assert.Contains(variant.Notes, n => n.EndsWith(": c.224G>A", StringComparison.Ordinal));
        Assert.Equal(new HgvsCounts(1, 0, 2), report.Hgvs);
    }

    [Fact]
    public async Task Complete_CsqWithEnsemblIds_KeptAsWrittenWithTheirVersions()
    {
        // VEP writes the Feature without its version and HGVSc/HGVSp with it (the corpus's split-vep file does too).
        var vcf = CsqHeader + "chr7\t140753336\t.\tA\tT\t.\tPASS\tCSQ=T|missense_variant|MODERATE|BRAF|ENSG00000157764|Transcript|ENST00000646891|protein_coding|15/18||ENST00000646891.2:c.1799T>A|ENSP00000493543.1:p.Val600Glu\tGT\t0/1\n";

        var report = HgvsCompletion.Complete(await MapTextAsync(vcf));

        var variant = Assert.Single(report.Variants);
        Assert.Equal("ENST00000646891.2", ((CodedValue)Component(variant, "51958-7")!).Codings[0].Code);
        Assert.Equal("ENST00000646891.2:c.1799T>A", Hgvs(variant, "48004-6"));
        Assert.Equal("ENSP00000493543.1:p.Val600Glu", Hgvs(variant, "48005-3"));
        var consequence = Assert.Single(report.MolecularConsequences);
        Assert.Equal("ENSP00000493543.1:p.Val600Glu", consequence.ProteinHgvs!.Codings[0].Code);
        Assert.Null(variant.Notes);
        Assert.Equal(new HgvsCounts(5, 0, 0), report.Hgvs);
    }

    [Fact]
    public async Task Complete_SplitVepCorpusFileGivenASample_EnsemblExpressionsKeptWithTheirVersions()
    {
        // The corpus's VEP file is sites-only: one genotype column makes its records reportable.
        var lines = (await File.ReadAllTextAsync(VcfTestFiles.PathOf("edge/bcftools_split-vep.select-tr-expr.vcf"), TestContext.Current.CancellationToken))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.StartsWith("##", StringComparison.Ordinal) ? line : line.StartsWith('#') ? line + "\tFORMAT\tS1" : line + "\tGT\t0/1");

        var report = HgvsCompletion.Complete(await MapTextAsync(string.Join('\n', lines) + "\n"));

        var coding = report.Variants.Select(v => Hgvs(v, "48004-6")).OfType<string>().ToList();
        Assert.Contains("ENST00000378609.9:c.353A>G", coding);
        Assert.All(coding, c => Assert.Matches(@"^ENST\d+\.\d+:c\.", c));
        Assert.Contains("ENSP00000367872.3:p.Asp118Gly", report.Variants.Select(v => Hgvs(v, "48005-3")));
        Assert.All(report.Variants.Where(v => Hgvs(v, "48004-6") is not null), v => Assert.Equal(
            Hgvs(v, "48004-6")![..Hgvs(v, "48004-6")!.IndexOf(':', StringComparison.Ordinal)], ((CodedValue)Component(v, "51958-7")!).Codings[0].Code));
        Assert.Equal(0, report.Hgvs!.Completed);
    }

    [Fact]
    public async Task Complete_CsqWithoutTranscript_BareChangesGoToNote()
    {
        var vcf = CsqHeader + "chr7\t140753336\t.\tA\tT\t.\tPASS\tCSQ=T|missense_variant|MODERATE|BRAF|ENSG00000157764|Transcript||protein_coding|15/18||c.1799T>A|p.Val600Glu\tGT\t0/1\n";

        var report = HgvsCompletion.Complete(await MapTextAsync(vcf));

        var variant = Assert.Single(report.Variants);
        Assert.Null(Component(variant, "48004-6"));
        Assert.Null(Component(variant, "48005-3"));
        Assert.Equal(new HgvsCounts(1, 0, 2), report.Hgvs);
    }

    [Fact]
    public void Complete_BareGenomicChange_TakesTheGroupsSequenceOrTheBuildsChromosome()
    {
        var onSequence = Variant("1", ("48013-7", new CodedValue(new Coding(Coding.RefSeq, "NC_000003.11"))), ("81290-9", new TextValue("g.128625063C>T")));
        var onChromosome = Variant("2", ("48000-4", new CodedValue(Coding.LoincCode("LA21260-7", "Chromosome 7"))), ("81290-9", new TextValue("g.140753336A>T")));
        var nowhere = Variant("3", ("81290-9", new TextValue("g.1A>T")));
        var report = Report([onSequence, onChromosome, nowhere]) with { GenomeBuild = GenomeBuild.Grch38.ToCodedValue() };

        var completed = HgvsCompletion.Complete(report);

        Assert.Equal("NC_000003.11:g.128625063C>T", Hgvs(completed.Variants[0], "81290-9"));
        Assert.Equal("NC_000007.14:g.140753336A>T", Hgvs(completed.Variants[1], "81290-9"));
        Assert.Null(Component(completed.Variants[2], "81290-9"));
        Assert.Equal(new HgvsCounts(0, 2, 1), completed.Hgvs);
    }

    [Theory]
    [InlineData("48004-6", "NC_000023.11:60465:T:C")] // vcf2hl7v2's SPDI in the c. item
    [InlineData("48004-6", "NC_000001.11:g.100A>G")] // a g. change in the c. component
    [InlineData("48005-3", "NM_000106.5:p.Arg296Cys")] // p. on a transcript
    [InlineData("48004-6", "ENSG00000223972-ENSG00000227232:n.1A>G")] // snpEff's intergenic feature is no sequence
    public void Complete_NoHgvsOnItsSequence_GoesToNote(string code, string value)
    {
        var completed = HgvsCompletion.Complete(Report([Variant("1", (code, new CodedValue(new Coding(Coding.Hgvs, value))))]));

        Assert.Empty(completed.Variants[0].Components);
        Assert.EndsWith(": " + value, Assert.Single(completed.Variants[0].Notes!), StringComparison.Ordinal);
        Assert.Equal(new HgvsCounts(0, 0, 1), completed.Hgvs);
    }

    [Fact]
    public void Complete_Twice_CompletesOnce()
    {
        var report = Report([Variant("1", ("51958-7", new CodedValue(new Coding(Coding.RefSeq, "NM_000106.5"))), ("48004-6", new TextValue("c.886C>T")))]);

        var once = HgvsCompletion.Complete(report);

        Assert.Same(once, HgvsCompletion.Complete(once));
        Assert.Equal(new HgvsCounts(0, 1, 0), once.Hgvs);
        Assert.Equal("NM_000106.5:c.886C>T", Hgvs(once.Variants[0], "48004-6"));
    }

    [Fact]
    public async Task BuildUnit_Hl7v2BareCodingWithTranscriptInItsGroup_WrittenOnTheTranscript()
    {
        var message = string.Join("\r",
            Hl7v2TestMessages.Header,
            "PID|1||MRN-1^^^HOSP^MR||DOE^JANE||19800101|F",
            "OBR|1|PL-1|FL-1|81247-9^Master HL7 genetic variant reporting panel^LN",
            "OBX|1|CWE|48018-6^Gene studied^LN|2a|HGNC:2625^CYP2D6^HGNC||||||F",
            "OBX|2|CWE|51958-7^Transcript reference sequence [ID]^LN|2a|NM_000106.5^^RefSeq||||||F",
            "OBX|3|ST|48004-6^DNA change (c.HGVS)^LN|2a|c.886C>T||||||F",
            "OBX|4|ST|48005-3^Amino acid change (pHGVS)^LN|2a|p.Arg296Cys||||||F",
            "OBX|5|CWE|48018-6^Gene studied^LN|2b|HGNC:1100^BRCA1^HGNC||||||F",
            "OBX|6|ST|48004-6^DNA change (c.HGVS)^LN|2b|c.68_69del||||||F") + "\r";

        var transaction = await Hl7v2TestMessages.BuildAsync(Encoding.UTF8.GetBytes(message));

        var variants = Hl7v2TestMessages.ObservationsOf(transaction, "variant");
        Assert.Equal(2, variants.Count);
        Assert.Equal("NM_000106.5:c.886C>T", ComponentCode(variants[0], "48004-6"));
        Assert.Null(ComponentCode(variants[0], "48005-3"));
        Assert.Contains("p.Arg296Cys", (string?)variants[0]["note"]![0]!["text"], StringComparison.Ordinal);
        Assert.Null(ComponentCode(variants[1], "48004-6"));
        Assert.Contains("c.68_69del", (string?)variants[1]["note"]![0]!["text"], StringComparison.Ordinal);
        Assert.Equal(new HgvsCounts(0, 1, 2), transaction.Hgvs);
    }

    [Fact]
    public async Task BuildUnit_Hl7v2VariationCodeSentAsBareHgvs_KeepsItsTextNotAnHgvsCoding()
    {
        // A variation code (81252-9) sent as CWE with the HGVS system and no reference sequence, as a lab's message did.
        var message = string.Join("\r",
            Hl7v2TestMessages.Header,
            "PID|1||MRN-1^^^HOSP^MR||DOE^JANE||19800101|F",
            "OBR|1|PL-1|FL-1|81247-9^Master HL7 genetic variant reporting panel^LN",
            "OBX|1|CWE|48018-6^Gene studied^LN|1|HGNC:1100^BRCA1^HGNC||||||F",
            "OBX|2|CWE|81252-9^Discrete genetic variant^LN|1|c.5266dupC^BRCA1 c.5266dupC (p.Gln1756Profs*74)^HGVS||||||F",
            "OBX|3|CWE|69548-6^Genetic variant assessment^LN|1|LA9633-4^Present^LN||||||F") + "\r";

        var transaction = await Hl7v2TestMessages.BuildAsync(Encoding.UTF8.GetBytes(message));

        var variant = Assert.Single(Hl7v2TestMessages.ObservationsOf(transaction, "variant"));
        var variation = variant["component"]!.AsArray().Single(c => (string?)c!["code"]!["coding"]![0]!["code"] == "81252-9")!["valueCodeableConcept"]!;
        Assert.DoesNotContain(variation["coding"]?.AsArray() ?? [], c => (string?)c!["system"] == Coding.Hgvs);
        Assert.Contains("c.5266dupC", (string?)variation["text"], StringComparison.Ordinal);
    }

    private static string? ComponentCode(JsonObject observation, string code) =>
        (string?)observation["component"]!.AsArray().FirstOrDefault(c => (string?)c!["code"]!["coding"]![0]!["code"] == code)?["valueCodeableConcept"]?["coding"]?[0]?["code"];

    private static VariantFinding Variant(string key, params (string Code, ReportedValue Value)[] components) =>
        new(key, VariantAssessment.Present, [.. components.Select(c => new ReportComponent(Coding.LoincCode(c.Code), c.Value))]);

    private static LabReport Report(IReadOnlyList<VariantFinding> variants) =>
        new() { Accession = "A-1", Patient = new PatientDetails([new PatientIdentifier("urn:test", "1")]), Variants = variants };

    private static ReportedValue? Component(VariantFinding variant, string code) =>
        variant.Components.FirstOrDefault(c => c.Code.Code == code)?.Value;

    private static string? Hgvs(VariantFinding variant, string code) =>
        Component(variant, code) is CodedValue coded ? coded.Codings.FirstOrDefault(c => c.System == Coding.Hgvs)?.Code : null;

    private static async Task<LabReport> MapTextAsync(string vcf)
    {
        var reader = await VcfReader.OpenAsync(new MemoryStream(Encoding.UTF8.GetBytes(vcf)), TestContext.Current.CancellationToken);
        return await new VcfReportMapper(new VcfOptions(), new NoVariantKnowledge()).MapAsync(reader, Provenance("test.vcf", reader), TestContext.Current.CancellationToken);
    }

    private static async Task<LabReport> MapFileAsync(string file, VcfOptions options)
    {
        await using var stream = VcfTestFiles.Open(VcfTestFiles.PathOf(file));
        var reader = await VcfReader.OpenAsync(stream, TestContext.Current.CancellationToken);
        return await new VcfReportMapper(options, new NoVariantKnowledge()).MapAsync(reader, Provenance(Path.GetFileName(file), reader), TestContext.Current.CancellationToken);
    }

    // A VCF is tied to a patient only by what the lab states: a manifest for every column.
    private static ReportProvenance Provenance(string name, VcfReader reader) =>
        new("lab", "incoming/lab/" + name, "hash", name, 0, 1, DateTimeOffset.UnixEpoch, "test") { Manifest = TestVcfManifests.ForColumns(name, reader.Header.Samples) };
}
