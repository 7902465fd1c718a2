namespace PrecisionMed.Core.Formats.Hl7v2;

/// <summary>
/// The LOINC answer lists of panel 81247-9 (from corpus/knowledge/loinc_81247-9_answer_lists.tsv, plus LL2938-0
/// for chromosome 48000-4, which vcf2hl7v2 sends as ST):
/// lets an answer a lab sent as bare text ("Benign", "Positive") carry its LA code as well.
/// </summary>
internal static class Hl7v2AnswerLists
{
    /// <summary>The LA code and display for a question's answer given as text, matched ignoring case and a trailing " variant".</summary>
    public static bool TryFind(string question, string text, out string code, out string display)
    {
        if (ByDisplay.TryGetValue((question, Normalize(text)), out var answer))
        {
            (code, display) = answer;
            return true;
        }

        code = display = string.Empty;
        return false;
    }

    private static string Normalize(string text) => text.Trim().ToUpperInvariant();

    private static Dictionary<(string, string), (string, string)> Build()
    {
        var map = new Dictionary<(string, string), (string, string)>();
        foreach (var row in Rows)
        {
            var parts = row.Split('|');
            map.TryAdd((parts[0], Normalize(parts[2])), (parts[1], parts[2]));

            // "Simple variant" is also sent as "Simple" (vcf2hl7v2), "Poor metabolizer" never shortened.
            const string suffix = " variant";
            if (parts[2].EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
                map.TryAdd((parts[0], Normalize(parts[2][..^suffix.Length])), (parts[1], parts[2]));

            // LL2938-0 (required by the IG's chromosome-identifier slice): labs send "5", "chr5" or "X".
            const string chromosome = "Chromosome ";
            if (parts[2].StartsWith(chromosome, StringComparison.Ordinal))
            {
                map.TryAdd((parts[0], Normalize(parts[2][chromosome.Length..])), (parts[1], parts[2]));
                map.TryAdd((parts[0], Normalize("chr" + parts[2][chromosome.Length..])), (parts[1], parts[2]));
            }
        }

        return map;
    }

    private static readonly string[] Rows =
    [
        "51968-6|LA6576-8|Positive",
        "51968-6|LA6577-6|Negative",
        "51968-6|LA9663-1|Inconclusive",
        "51968-6|LA9664-9|Failure",
        "83006-7|LA26803-9|No deletion or duplication detected in studied region",
        "83006-7|LA26804-7|Deletion and/or duplication detected in studied regions",
        "83006-7|LA9663-1|Inconclusive",
        "62374-4|LA14032-9|NCBI Build 34",
        "62374-4|LA14029-5|GRCh37",
        "62374-4|LA14030-3|NCBI Build 36.1",
        "62374-4|LA14031-1|NCBI Build 35",
        "62374-4|LA26806-2|GRCh38",
        "83005-9|LA26801-3|Simple variant",
        "83005-9|LA26802-1|Structural variant",
        "48019-4|LA9658-1|Wild type",
        "48019-4|LA6692-3|Deletion",
        "48019-4|LA6686-5|Duplication",
        "48019-4|LA6687-3|Insertion",
        "48019-4|LA6688-1|Insertion/Deletion",
        "48019-4|LA6689-9|Inversion",
        "48019-4|LA6690-7|Substitution",
        "48019-4|LA14033-7|Copy number gain",
        "48019-4|LA14034-5|Copy number loss",
        "48019-4|LA26324-6|Mobile element insertion",
        "48019-4|LA26325-3|Novel sequence insertion",
        "48019-4|LA26326-1|Tandem duplication",
        "48019-4|LA26327-9|Intrachromosomal breakpoint",
        "48019-4|LA26328-7|Interchromosomal breakpoint",
        "48019-4|LA26331-1|Translocation",
        "48019-4|LA26330-3|Complex",
        "48019-4|LA26329-5|Sequence alteration",
        "48006-1|LA9658-1|Wild type",
        "48006-1|LA6692-3|Deletion",
        "48006-1|LA6686-5|Duplication",
        "48006-1|LA6694-9|Frameshift",
        "48006-1|LA6695-6|Initiating Methionine",
        "48006-1|LA6687-3|Insertion",
        "48006-1|LA9659-9|Insertion and Deletion",
        "48006-1|LA6698-0|Missense",
        "48006-1|LA6699-8|Nonsense",
        "48006-1|LA6700-4|Silent",
        "48006-1|LA6701-2|Stop Codon Mutation",
        "48002-0|LA6683-2|Germline",
        "48002-0|LA6684-0|Somatic",
        "48002-0|LA10429-1|Fetal",
        "48002-0|LA18194-3|Likely germline",
        "48002-0|LA18195-0|Likely somatic",
        "48002-0|LA18196-8|Likely fetal",
        "48002-0|LA18197-6|Unknown genomic origin",
        "48002-0|LA26807-0|De novo",
        "81304-8|LA26398-0|Sequencing",
        "81304-8|LA26399-8|Oligo aCGH",
        "81304-8|LA26400-4|SNP array",
        "81304-8|LA26401-2|BAC aCGH",
        "81304-8|LA26402-0|Curated",
        "81304-8|LA26403-8|Digital array",
        "81304-8|LA26404-6|FISH",
        "81304-8|LA26405-3|Gene expression array",
        "81304-8|LA26406-1|Karyotyping",
        "81304-8|LA26407-9|MAPH",
        "81304-8|LA26408-7|MALDI-TOF",
        "81304-8|LA26808-8|Merging",
        "81304-8|LA26414-5|Multiple complete digestion",
        "81304-8|LA26415-2|MLPA",
        "81304-8|LA26417-8|Optical mapping",
        "81304-8|LA26418-6|PCR",
        "81304-8|LA26419-4|qPCR (real-time PCR)",
        "81304-8|LA26420-2|ROMA",
        "81304-8|LA26809-6|Denaturing high-pressure liquid chromatography (DHPLC)",
        "81304-8|LA26810-4|DNA hybridization",
        "81304-8|LA26811-2|Computational analysis",
        "81304-8|LA26812-0|Single-stranded conformational polymorphism (SSCP)",
        "81304-8|LA26813-8|Restriction fragment length polymorphism (RFLP)",
        "53037-8|LA6668-3|Pathogenic",
        "53037-8|LA26332-9|Likely pathogenic",
        "53037-8|LA26333-7|Uncertain significance",
        "53037-8|LA26334-5|Likely benign",
        "53037-8|LA6675-8|Benign",
        "69548-6|LA9633-4|Present",
        "69548-6|LA9634-2|Absent",
        "69548-6|LA18198-4|No call",
        "69548-6|LA11884-6|Indeterminate",
        "53034-5|LA6703-8|Heteroplasmic",
        "53034-5|LA6704-6|Homoplasmic",
        "53034-5|LA6705-3|Homozygous",
        "53034-5|LA6706-1|Heterozygous",
        "53034-5|LA6707-9|Hemizygous",
        "82120-7|LA26814-6|1st set of variants in cis relation to each other",
        "82120-7|LA26815-3|2nd set of variants in cis relation to each other",
        "82120-7|LA26816-1|3rd set of variants in cis relation to each other",
        "82120-7|LA26817-9|4th set of variants in cis relation to each other",
        "82120-7|LA26818-7|5th set of variants in cis relation to each other",
        "82120-7|LA26320-4|Maternal",
        "82120-7|LA26321-2|Paternal",
        "82120-7|LA4489-6|Unknown",
        "82120-7|LA46-8|Other",
        "82309-6|LA26426-9|Directly measured",
        "82309-6|LA26427-7|Family DNA",
        "82309-6|LA26428-5|Family history",
        "82309-6|LA26429-3|Inferred from population data",
        "81263-6|LA26217-2|Compound heterozygous",
        "81263-6|LA26220-6|Double heterozygous",
        "81263-6|LA26218-0|Haplotype",
        "81263-6|LA6707-9|Hemizygous",
        "53040-2|LA10315-2|Ultrarapid metabolizer",
        "53040-2|LA25390-8|Rapid metabolizer",
        "53040-2|LA25391-6|Normal metabolizer",
        "53040-2|LA10317-8|Intermediate metabolizer",
        "53040-2|LA9657-3|Poor metabolizer",
        "51961-1|LA6676-6|Resistant",
        "51961-1|LA6677-4|Responsive",
        "51961-1|LA9660-7|Presumed resistant",
        "51961-1|LA9661-5|Presumed responsive",
        "51961-1|LA6682-4|Unknown Significance",
        "51961-1|LA6675-8|Benign",
        "51961-1|LA6674-1|Presumed Benign",
        "51961-1|LA9662-3|Presumed non-responsive",
        "83009-1|LA19542-2|Low risk",
        "83009-1|LA19541-4|High risk",
        "82116-5|LA26421-0|Consider alternative medication",
        "82116-5|LA26422-8|Decrease dose",
        "82116-5|LA26423-6|Increase dose",
        "82116-5|LA26424-4|Use caution",
        "82116-5|LA26425-1|Normal response expected",
        "48000-4|LA21254-0|Chromosome 1",
        "48000-4|LA21255-7|Chromosome 2",
        "48000-4|LA21256-5|Chromosome 3",
        "48000-4|LA21257-3|Chromosome 4",
        "48000-4|LA21258-1|Chromosome 5",
        "48000-4|LA21259-9|Chromosome 6",
        "48000-4|LA21260-7|Chromosome 7",
        "48000-4|LA21261-5|Chromosome 8",
        "48000-4|LA21262-3|Chromosome 9",
        "48000-4|LA21263-1|Chromosome 10",
        "48000-4|LA21264-9|Chromosome 11",
        "48000-4|LA21265-6|Chromosome 12",
        "48000-4|LA21266-4|Chromosome 13",
        "48000-4|LA21267-2|Chromosome 14",
        "48000-4|LA21268-0|Chromosome 15",
        "48000-4|LA21269-8|Chromosome 16",
        "48000-4|LA21270-6|Chromosome 17",
        "48000-4|LA21271-4|Chromosome 18",
        "48000-4|LA21272-2|Chromosome 19",
        "48000-4|LA21273-0|Chromosome 20",
        "48000-4|LA21274-8|Chromosome 21",
        "48000-4|LA21275-5|Chromosome 22",
        "48000-4|LA21276-3|Chromosome X",
        "48000-4|LA21277-1|Chromosome Y",
    ];

    // Declared after Rows: static fields initialise in text order.
    private static readonly Dictionary<(string Question, string Display), (string Code, string Display)> ByDisplay = Build();
}
