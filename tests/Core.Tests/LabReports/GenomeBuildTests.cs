using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Tests.LabReports;

/// <summary>Build names as VCF headers (##reference, contig assembly), file names and lab profiles write them.</summary>
[Trait("Tier", "Fast")]
public sealed class GenomeBuildTests
{
    [Theory]
    [InlineData("file:///seq/references/Homo_sapiens_assembly19/v1/Homo_sapiens_assembly19.fasta", "GRCh37")] // Broad b37 (ExAC, GATK)
    [InlineData("gs://gcp-public-data--broad-references/hg38/v0/Homo_sapiens_assembly38.fasta", "GRCh38")]
    [InlineData("file:///ref/Homo_sapiens_assembly38.fasta", "GRCh38")]
    [InlineData("ftp://ftp.1000genomes.ebi.ac.uk//vol1/ftp/technical/reference/phase2_reference_assembly_sequence/hs37d5.fa.gz", "GRCh37")]
    [InlineData("file:///humgen/1kg/reference/human_g1k_v37.fasta", "GRCh37")]
    [InlineData("human_g1k_v37_decoy.fasta", "GRCh37")]
    [InlineData("GRCh37.p13", "GRCh37")]
    [InlineData("GRCh37-lite", "GRCh37")]
    [InlineData("GRCh37lite", "GRCh37")]
    [InlineData("/refs/ucsc.hg19.fasta", "GRCh37")]
    [InlineData("hg19", "GRCh37")]
    [InlineData("b37", "GRCh37")]
    [InlineData("NCBIb37", "GRCh37")]
    [InlineData("file:///mnt/ssd/MegaBOLT_scheduler/reference/hg38.fa", "GRCh38")]
    [InlineData("GCA_000001405.15_GRCh38_no_alt_analysis_set.fna", "GRCh38")]
    [InlineData("GRCh38.p14", "GRCh38")]
    [InlineData("hs38DH.fa", "GRCh38")]
    [InlineData("b38", "GRCh38")]
    [InlineData("ftp://ftp.completegenomics.com/ReferenceFiles/build37.fa.bz2", "GRCh37")] // Complete Genomics (cgatools mkvcf)
    [InlineData("NCBI Build 37.1", "GRCh37")]
    [InlineData("NCBI37", "GRCh37")]
    [InlineData("NCBI Build 38", "GRCh38")]
    [InlineData("build38.fa", "GRCh38")]
    public void FromName_CommonSpellings_Recognised(string name, string build) =>
        Assert.Equal(build, GenomeBuild.FromName(name)?.Name);

    [Theory]
    [InlineData("file:///seq/references/1000GenomesPilot-NCBI36.fasta")] // b36: neither
    [InlineData("B36")]
    [InlineData("build36.fa")]
    [InlineData("NCBI Build 36.3")]
    [InlineData("build 3 of 37 samples")]
    [InlineData("hg18")]
    [InlineData("chm13v2.0.fa")]
    [InlineData("hg19ToHg38.over.chain")] // one word naming both
    [InlineData("liftover/GRCh37_to_GRCh38.chain")] // both builds named
    [InlineData("/data/AB37X/sample.fa")] // "B37" only inside another word
    [InlineData("assembly38.fa")] // Broad's name is Homo_sapiens_assembly38, not any "assembly38"
    [InlineData("GRCh380")]
    [InlineData("file://test")]
    [InlineData("")]
    public void FromName_OtherOrAmbiguousNames_NoBuild(string name) =>
        Assert.Null(GenomeBuild.FromName(name));
}
