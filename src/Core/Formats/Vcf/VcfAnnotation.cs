using System.Text;

namespace PrecisionMed.Core.Formats.Vcf;

/// <summary>
/// What a caller's annotation says about one ALT allele on one transcript. The HGVS changes are as the annotation
/// wrote them: bare (snpEff's <c>c.224G&gt;A</c>, <c>p.Ser75Asn</c>) or on their sequence (VEP's <c>ENST…:c.</c>,
/// <c>ENSP…:p.</c>); <c>HgvsCompletion</c> gives a bare change its reference sequence when one is known.
/// </summary>
public sealed record TranscriptAnnotation(string? Gene, string? Transcript, string? CodingHgvs, string? ProteinHgvs, string? Consequence)
{
    /// <summary>What VEP flagged this transcript as (<c>PICK</c>, <c>MANE_SELECT</c>/<c>MANE</c>, <c>CANONICAL</c>); snpEff and plain keys flag none.</summary>
    public TranscriptFlags Flags { get; init; }

    /// <summary>
    /// The Variant's representative annotation, whose gene, transcript and HGVS are written together (never one
    /// annotation's gene with another's transcript): among those with an HGVS, the one VEP picked (<c>--flag_pick</c>),
    /// else a MANE Select transcript, else Ensembl's canonical one, else the first listed; with no HGVS anywhere, the
    /// first with a gene by the same order (a gene alone, no transcript). Null when there is none.
    /// </summary>
    public static TranscriptAnnotation? Representative(IReadOnlyList<TranscriptAnnotation> annotations)
    {
        ArgumentNullException.ThrowIfNull(annotations);
        var withHgvs = annotations.Where(a => a.CodingHgvs is not null || a.ProteinHgvs is not null).ToList();
        var candidates = withHgvs.Count > 0 ? withHgvs : annotations.Where(a => !string.IsNullOrWhiteSpace(a.Gene));
        // OrderBy is stable: annotations equally flagged keep the caller's order (VEP's and snpEff's most severe first).
        return candidates.OrderBy(a => Rank(a.Flags)).FirstOrDefault();

        static int Rank(TranscriptFlags flags) =>
            flags.HasFlag(TranscriptFlags.Picked) ? 0 : flags.HasFlag(TranscriptFlags.ManeSelect) ? 1 : flags.HasFlag(TranscriptFlags.Canonical) ? 2 : 3;
    }
}

/// <summary>The transcript flags VEP can add to an annotation.</summary>
[Flags]
public enum TranscriptFlags
{
    None = 0,
    Picked = 1,
    ManeSelect = 2,
    Canonical = 4,
}

/// <summary>
/// Reads gene and HGVS annotations from INFO, only for records that are reported: snpEff <c>ANN</c>, VEP
/// <c>CSQ</c> (its field order from the header's "Format:" description; VEP's <c>--vcf_info_field ANN</c> writes the same
/// under <c>ANN</c>, told from snpEff's by that description), and the plain keys labs use
/// (<c>GENE</c>/<c>GENEINFO</c>/<c>PX</c>, QIAGEN's <c>TRANSCRIPT_ID</c>/<c>HGVS_TRANSCRIPT</c>/<c>HGVS_PROTEIN</c>). VEP's entries for
/// features that are not transcripts (RegulatoryFeature, MotifFeature) are left out: their Feature is no transcript.
/// </summary>
public sealed class VcfAnnotationReader
{
    // Field positions: allele, gene, transcript, c., p., consequence, feature type, PICK, MANE_SELECT, MANE, CANONICAL (-1: not in the layout).
    private static readonly int[] SnpEffLayout = [0, 3, 6, 9, 10, 1, -1, -1, -1, -1, -1];
    private static readonly int[] NoLayout = [-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1];
    private readonly int[] _ann;
    private readonly int[] _csq;

    public VcfAnnotationReader(VcfHeader header)
    {
        ArgumentNullException.ThrowIfNull(header);
        _ann = VepLayout(header, "ANN") ?? SnpEffLayout;
        _csq = VepLayout(header, "CSQ") ?? NoLayout;
    }

    /// <summary>The field positions VEP's header states for <paramref name="key"/> ("... Format: Allele|Consequence|..."), or null.</summary>
    private static int[]? VepLayout(VcfHeader header, string key)
    {
        var description = header.Info.GetValueOrDefault(key)?.Description;
        var format = description?.IndexOf("Format:", StringComparison.OrdinalIgnoreCase) ?? -1;
        if (description is null || format < 0) return null;
        var fields = description[(format + "Format:".Length)..].Trim().Split('|');
        return
        [
            Find(fields, "Allele"), Find(fields, "SYMBOL"), Find(fields, "Feature"), Find(fields, "HGVSc"), Find(fields, "HGVSp"), Find(fields, "Consequence"),
            Find(fields, "Feature_type"), Find(fields, "PICK"), Find(fields, "MANE_SELECT"), Find(fields, "MANE"), Find(fields, "CANONICAL"),
        ];

        static int Find(string[] fields, string name) => Array.FindIndex(fields, f => string.Equals(f.Trim(), name, StringComparison.Ordinal));
    }

    /// <summary>The annotations of <paramref name="alt"/>, in the file's order; empty when the file has none.</summary>
    public List<TranscriptAnnotation> Read(VcfRecord record, ReadOnlySpan<byte> alt)
    {
        var result = new List<TranscriptAnnotation>();
        if (_ann[0] >= 0 && record.TryGetInfo("ANN"u8, out var ann)) ReadList(ann, alt, result, _ann);
        if (_csq[0] >= 0 && record.TryGetInfo("CSQ"u8, out var csq)) ReadList(csq, alt, result, _csq);
        if (result.Count > 0) return result;

        var gene = Plain(record, "GENE"u8) ?? GeneInfo(record) ?? Plain(record, "PX"u8) ?? Plain(record, "GENE_SYMBOL"u8);
        var transcriptHgvs = Plain(record, "HGVS_TRANSCRIPT"u8);
        var proteinHgvs = Plain(record, "HGVS_PROTEIN"u8);
        if (gene is null && transcriptHgvs is null && proteinHgvs is null) return result;
        var transcript = Transcript(Plain(record, "TRANSCRIPT_ID"u8), transcriptHgvs);
        result.Add(new TranscriptAnnotation(gene, transcript, transcriptHgvs, proteinHgvs, null));
        return result;
    }

    private static void ReadList(ReadOnlySpan<byte> list, ReadOnlySpan<byte> alt, List<TranscriptAnnotation> result, int[] layout)
    {
        var (allele, gene, transcript, c, p, consequence, featureType) = (layout[0], layout[1], layout[2], layout[3], layout[4], layout[5], layout[6]);
        while (!list.IsEmpty)
        {
            var comma = list.IndexOf((byte)',');
            var entry = comma < 0 ? list : list[..comma];
            var entryAllele = VcfRecord.Nth(entry, (byte)'|', allele);
            var feature = featureType < 0 ? default : VcfRecord.Nth(entry, (byte)'|', featureType);
            var onTranscript = feature.IsEmpty || feature.SequenceEqual("Transcript"u8);
            // VEP trims the shared first base off indel alleles; snpEff keeps them: a suffix match covers both.
            var sameAllele = alt.SequenceEqual(entryAllele)
                || (entryAllele.Length > 0 && alt.Length > entryAllele.Length && alt.EndsWith(entryAllele))
                || (entryAllele.SequenceEqual("-"u8) && alt.Length == 1);
            if (onTranscript && sameAllele)
            {
                // VEP's HGVSc/HGVSp name their own sequences (ENST…:c., ENSP…:p.): kept whole, as written.
                var hgvsC = Field(entry, c);
                var transcriptId = Transcript(Field(entry, transcript), hgvsC);
                var hgvsP = Field(entry, p);
                result.Add(new TranscriptAnnotation(Field(entry, gene), transcriptId, hgvsC, hgvsP is null ? null : Uri.UnescapeDataString(hgvsP), Field(entry, consequence))
                {
                    Flags = Flags(entry, layout),
                });
            }

            if (comma < 0) break;
            list = list[(comma + 1)..];
        }
    }

    /// <summary>VEP writes PICK=1, CANONICAL=YES, MANE_SELECT=&lt;RefSeq id&gt; and (from release 111) MANE=MANE_Select.</summary>
    private static TranscriptFlags Flags(ReadOnlySpan<byte> entry, int[] layout)
    {
        var flags = TranscriptFlags.None;
        if (layout[7] >= 0 && VcfRecord.Nth(entry, (byte)'|', layout[7]).SequenceEqual("1"u8)) flags |= TranscriptFlags.Picked;
        if ((layout[8] >= 0 && !VcfRecord.Nth(entry, (byte)'|', layout[8]).IsEmpty)
            || (layout[9] >= 0 && VcfRecord.Nth(entry, (byte)'|', layout[9]).IndexOf("MANE_Select"u8) >= 0))
        {
            flags |= TranscriptFlags.ManeSelect;
        }

        if (layout[10] >= 0 && VcfRecord.Nth(entry, (byte)'|', layout[10]).SequenceEqual("YES"u8)) flags |= TranscriptFlags.Canonical;
        return flags;
    }

    private static string? Field(ReadOnlySpan<byte> entry, int index)
    {
        if (index < 0) return null;
        var value = VcfRecord.Nth(entry, (byte)'|', index);
        return value.IsEmpty ? null : Encoding.UTF8.GetString(value);
    }

    private static string? Plain(VcfRecord record, ReadOnlySpan<byte> key)
    {
        if (!record.TryGetInfo(key, out var value) || value.IsEmpty || value.SequenceEqual("."u8)) return null;
        return Encoding.UTF8.GetString(VcfRecord.Nth(value, (byte)',', 0));
    }

    /// <summary>ClinVar's GENEINFO is <c>SYMBOL:GeneID|SYMBOL:GeneID</c>: the first symbol.</summary>
    private static string? GeneInfo(VcfRecord record)
    {
        if (Plain(record, "GENEINFO"u8) is not { } info) return null;
        var symbol = info.Split('|')[0].Split(':')[0];
        return symbol.Length == 0 ? null : symbol;
    }

    /// <summary>
    /// The transcript of an annotation: its feature, else the sequence its c. HGVS names. VEP writes the feature without
    /// its version (ENST00000378609) and the HGVS with it (ENST00000378609.9:c.…): the versioned one, being that feature.
    /// </summary>
    private static string? Transcript(string? feature, string? hgvs)
    {
        var colon = hgvs?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        var named = colon > 0 ? hgvs![..colon] : null;
        if (feature is null) return named;
        return named is not null && named.Length > feature.Length && named[feature.Length] == '.' && named.StartsWith(feature, StringComparison.Ordinal)
            ? named
            : feature;
    }
}
