using System.Text;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Formats.Vcf;

/// <summary>
/// The cheap, per-record part of the reportable-variant policy, decided on spans before anything is allocated:
/// gVCF reference blocks, FILTER, the sample's genotype, the regions. Genes and the knowledge store are judged
/// later, only for the records that pass. The genomic source class is the lab profile's when it states one, else
/// <see cref="VcfOptions.GenomicSourceClass"/>.
/// </summary>
public sealed class VcfReportablePolicy(VcfOptions options, BedRegions? regions, string? sourceClass = null)
{
    private byte[] _chromBytes = [];
    private string _chrom = "";
    private bool _mitochondrial;

    /// <summary>Alleles and phasing of the sample's GT on the record last judged.</summary>
    public int[] Alleles { get; } = new int[VcfGenotype.MaxPloidy];
    public bool[] Phased { get; } = new bool[VcfGenotype.MaxPloidy];
    public int Ploidy { get; private set; }

    /// <summary>The record's chromosome as a string, cached across records of the same chromosome.</summary>
    public string Chromosome(VcfRecord record)
    {
        var chrom = record.Chrom;
        if (!chrom.SequenceEqual(_chromBytes))
        {
            _chromBytes = chrom.ToArray();
            _chrom = Encoding.UTF8.GetString(chrom);
            _mitochondrial = RefSeqChromosomes.IsMitochondrial(_chrom);
        }

        return _chrom;
    }

    /// <summary>The reason the record is not reported for the sample, or null when it may be.</summary>
    public string? Judge(VcfRecord record, int sample, int gtIndex)
    {
        if (IsReferenceBlock(record)) return VcfRecordOutcome.ReferenceBlock;
        if (options.RequirePassFilter && !record.IsPassOrMissingFilter) return VcfRecordOutcome.FilterNotPass;

        Ploidy = gtIndex < 0 ? 0 : VcfGenotype.Parse(record.SampleValue(sample, gtIndex), Alleles, Phased);
        if (Ploidy <= 0) return VcfRecordOutcome.NoGenotype;
        var nonReference = false;
        var missing = false;
        for (var i = 0; i < Ploidy; i++)
        {
            if (Alleles[i] < 0) missing = true;
            else if (Alleles[i] > 0) nonReference = true;
        }

        // vcf2fhir's rule: a call with a missing allele is not a germline finding ('./1' says too little).
        if (missing && (!nonReference || IsGermline)) return VcfRecordOutcome.NoCall;
        if (options.RequireNonReferenceGenotype && !nonReference) return VcfRecordOutcome.ReferenceGenotype;

        // vcf2fhir's rule: on chrM only haploid calls of simple variants are findings (heteroplasmy comes from AD/DP).
        _ = Chromosome(record);
        if (_mitochondrial && (Ploidy != 1 || HasSymbolicAlt(record)))
            return VcfRecordOutcome.MitochondrialNotHaploid;

        if (regions is not null && !regions.Overlaps(Chromosome(record), record.Position, End(record)))
            return VcfRecordOutcome.OutsideRegions;
        return null;
    }

    /// <summary>germline, somatic or unknown (or whatever the lab wrote: an unknown value writes no source class).</summary>
    public string SourceClass { get; } = string.IsNullOrWhiteSpace(sourceClass) ? options.GenomicSourceClass : sourceClass;

    public bool IsGermline => string.Equals(SourceClass.Trim(), "germline", StringComparison.OrdinalIgnoreCase);

    /// <summary>The last reference base the record covers: INFO END when given, else POS + len(REF) - 1.</summary>
    public static long End(VcfRecord record) =>
        record.InfoInteger("END"u8) is { } end && end >= record.Position ? end : record.Position + Math.Max(record.Ref.Length, 1) - 1;

    private static bool HasSymbolicAlt(VcfRecord record) => record.Alt.IndexOf((byte)'<') >= 0;

    /// <summary>A gVCF reference block: ALT is '.' or only the unspecified allele <c>&lt;*&gt;</c> / <c>&lt;NON_REF&gt;</c>.</summary>
    public static bool IsReferenceBlock(VcfRecord record)
    {
        var alt = record.Alt;
        if (alt.IsEmpty || alt.SequenceEqual("."u8)) return true;
        for (var i = 0; i < record.AltCount; i++)
        {
            var allele = record.AltAllele(i);
            if (!allele.SequenceEqual("<*>"u8) && !allele.SequenceEqual("<NON_REF>"u8)) return false;
        }

        return true;
    }
}
