using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Formats.Vcf;

/// <summary>
/// Sequence Ontology consequence terms as snpEff (ANN field 2) and VEP (CSQ Consequence) write them, '&amp;'-joined,
/// to SO codings. The IG's molecular-consequence value set is extensible: a term not in this table stays as text.
/// </summary>
public static class SequenceOntologyConsequences
{
    private static readonly Dictionary<string, string> Codes = new(StringComparer.Ordinal)
    {
        ["transcript_ablation"] = "SO:0001893",
        ["splice_acceptor_variant"] = "SO:0001574",
        ["splice_donor_variant"] = "SO:0001575",
        ["stop_gained"] = "SO:0001587",
        ["frameshift_variant"] = "SO:0001589",
        ["stop_lost"] = "SO:0001578",
        ["start_lost"] = "SO:0002012",
        ["transcript_amplification"] = "SO:0001889",
        ["inframe_insertion"] = "SO:0001821",
        ["inframe_deletion"] = "SO:0001822",
        ["missense_variant"] = "SO:0001583",
        ["protein_altering_variant"] = "SO:0001818",
        ["splice_region_variant"] = "SO:0001630",
        ["incomplete_terminal_codon_variant"] = "SO:0001626",
        ["start_retained_variant"] = "SO:0002019",
        ["stop_retained_variant"] = "SO:0001567",
        ["synonymous_variant"] = "SO:0001819",
        ["coding_sequence_variant"] = "SO:0001580",
        ["mature_miRNA_variant"] = "SO:0001620",
        ["5_prime_UTR_variant"] = "SO:0001623",
        ["3_prime_UTR_variant"] = "SO:0001624",
        ["non_coding_transcript_exon_variant"] = "SO:0001792",
        ["intron_variant"] = "SO:0001627",
        ["NMD_transcript_variant"] = "SO:0001621",
        ["non_coding_transcript_variant"] = "SO:0001619",
        ["upstream_gene_variant"] = "SO:0001631",
        ["downstream_gene_variant"] = "SO:0001632",
        ["regulatory_region_variant"] = "SO:0001566",
        ["intergenic_variant"] = "SO:0001628",
        ["conservative_inframe_insertion"] = "SO:0001823",
        ["disruptive_inframe_insertion"] = "SO:0001824",
        ["conservative_inframe_deletion"] = "SO:0001825",
        ["disruptive_inframe_deletion"] = "SO:0001826",
        ["initiator_codon_variant"] = "SO:0001582",
        ["5_prime_UTR_premature_start_codon_gain_variant"] = "SO:0001988",
    };

    /// <summary>Terms that place the variant near a transcript, not in it.</summary>
    public static bool IsOutsideTranscript(string? term) =>
        term is "upstream_gene_variant" or "downstream_gene_variant" or "intergenic_variant" or "intergenic_region";

    /// <summary>One coded value per term of <paramref name="terms"/> (e.g. <c>missense_variant&amp;splice_region_variant</c>).</summary>
    public static List<CodedValue> Parse(string? terms)
    {
        var result = new List<CodedValue>();
        if (string.IsNullOrWhiteSpace(terms)) return result;
        foreach (var term in terms.Split(['&', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            result.Add(Codes.TryGetValue(term, out var code) ? new CodedValue([new Coding(Coding.SequenceOntology, code, term)], term) : new CodedValue([], term));
        }

        return result;
    }
}
