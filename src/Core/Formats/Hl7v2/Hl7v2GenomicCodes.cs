using System.Collections.Frozen;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Formats.Hl7v2;

/// <summary>
/// The LOINC items of panel 81247-9 (corpus/knowledge/loinc_81247-9_panel_structure.tsv) by the role
/// they play when OBX rows of one OBX-4 group are turned into findings, and how each item's value is
/// shaped (HGVS and reference sequences are codes, alleles are strings, answers carry their LA code).
/// </summary>
internal static class Hl7v2GenomicCodes
{
    public const string Assessment = "69548-6";
    public const string Method = "81304-8";
    public const string VariantCategory = "83005-9";
    public const string StructuralCategory = "LA26802-1";
    public const string DbSnpId = "81255-2";
    public const string VariationCode = "81252-9";
    public const string Gene = "48018-6";
    public const string GenomicRefSeq = "48013-7";
    public const string ClinicalSignificance = "53037-8";
    public const string Phenotype = "81259-4";
    public const string Haplotype = "84414-2";
    public const string Genotype = "84413-4";
    public const string Phase = "82120-7";
    public const string VariantInheritance = "94186-4";
    public const string Medication = "51963-7";
    public const string MedicationSuggestion = "82116-5";
    public const string MedicationNarrative = "83010-9";
    public const string EvidenceLevel = "93044-6";
    public const string ComplexId = "81260-2";
    public const string ComplexHgvs = "81262-8";
    public const string ComplexType = "81263-6";

    public const string Conclusion = "51969-4";
    public const string ConclusionCode = "51968-6";
    public const string GenomeBuild = "62374-4";
    public const string RegionRange = "51959-5";
    public const string RegionText = "81293-3";

    /// <summary>Items whose presence makes a group a variant (81250-3 simple, 81297-4 structural).</summary>
    public static readonly FrozenSet<string> VariantDefining = FrozenSet.Create(StringComparer.Ordinal,
        "48004-6", "48005-3", "81290-9", "69547-8", "69551-0", "81254-5", GenomicRefSeq, "51958-7", "53034-5", "48002-0",
        "81258-6", "82121-5", "48019-4", VariationCode, DbSnpId, VariantCategory, Assessment, "47998-0", "81257-8", "48001-2",
        "48006-1", "81291-7", "82155-3", "81299-0", "81300-6", "81301-4", "81302-2");

    /// <summary>The 81297-4 structural-variant items: a group with any of them is a structural variant.</summary>
    public static readonly FrozenSet<string> StructuralItems = FrozenSet.Create(StringComparer.Ordinal,
        "82155-3", "81299-0", "81300-6", "81301-4", "81302-2");

    /// <summary>Items that make a group a pharmacogenomic result (82118-1 and its 82117-3 medication usage).</summary>
    public static readonly FrozenSet<string> PharmacogenomicItems = FrozenSet.Create(StringComparer.Ordinal,
        Genotype, "53040-2", "51961-1", "83009-1", Medication, MedicationSuggestion, MedicationNarrative);

    /// <summary>Therapeutic implication answers (drug metabolism, efficacy, high-risk allele).</summary>
    public static readonly FrozenSet<string> TherapeuticImplicationItems = FrozenSet.Create(StringComparer.Ordinal,
        "53040-2", "51961-1", "83009-1");

    public static readonly FrozenSet<string> ComplexItems = FrozenSet.Create(StringComparer.Ordinal, ComplexId, ComplexHgvs, ComplexType);

    /// <summary>81306-3 overall-study items.</summary>
    public static readonly FrozenSet<string> OverallItems = FrozenSet.Create(StringComparer.Ordinal,
        "53577-3", "51967-8", Medication, Gene, "36908-2", RegionRange, RegionText, ConclusionCode, "83006-7", Conclusion,
        "81291-7", GenomeBuild, "81303-0", "82115-7", "83007-5", "83008-3", GenomicRefSeq);

    /// <summary>Items that make a group a finding (variant, genotype, implication, haplotype), never an overall-study row.</summary>
    public static readonly FrozenSet<string> FindingDefining = VariantDefining
        .Concat(PharmacogenomicItems).Concat(ComplexItems).Append(Haplotype)
        .Where(code => !OverallItems.Contains(code))
        .ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Every panel item (and the display-name/chromosome items genomic feeds add): a code here is genomic.</summary>
    public static readonly FrozenSet<string> All = VariantDefining
        .Concat(PharmacogenomicItems).Concat(ComplexItems).Concat(OverallItems)
        .Concat([Gene, ClinicalSignificance, Phenotype, Haplotype, Phase, "82309-6", Method, "48000-4", "81247-9", "81306-3",
            "81250-3", "81297-4", "81251-1", "82118-1", "82117-3", "83011-7", "47998-0", EvidenceLevel])
        .ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> HgvsItems = FrozenSet.Create(StringComparer.Ordinal, "48004-6", "48005-3", "81290-9", ComplexHgvs);
    private static readonly FrozenSet<string> RefSeqItems = FrozenSet.Create(StringComparer.Ordinal, GenomicRefSeq, "51958-7");
    private static readonly FrozenSet<string> StringItems = FrozenSet.Create(StringComparer.Ordinal, "69547-8", "69551-0", "47998-0", "81257-8");
    private static readonly FrozenSet<string> RangeItems = FrozenSet.Create(StringComparer.Ordinal, "81254-5", "81301-4", "81302-2", RegionRange);

    /// <summary>
    /// Gives a value the shape its item has in the IG: text HGVS/reference sequences/variant ids become
    /// codings, text answers take their LA code, alleles become strings, single positions ranges.
    /// </summary>
    public static ReportedValue Shape(string code, ReportedValue value)
    {
        if (StringItems.Contains(code))
            return value is CodedValue coded ? new TextValue(coded.Codings.FirstCoding()?.Code ?? coded.Text ?? string.Empty) : value;
        if (RangeItems.Contains(code) && value is TextValue single && Hl7v2Values.TryParseDecimal(single.Text, out var position))
            return new RangeValue(position, null);
        if (RangeItems.Contains(code) && value is QuantityValue quantity)
            return new RangeValue(quantity.Value, null, quantity.Unit);

        var text = value switch
        {
            TextValue t => t.Text.Trim(),
            CodedValue { Codings.Count: 0, Text: { } t } => t.Trim(),
            _ => null,
        };
        if (string.IsNullOrEmpty(text)) return value;

        if (HgvsItems.Contains(code)) return new CodedValue([new Coding(Coding.Hgvs, text)], text);
        if (RefSeqItems.Contains(code)) return new CodedValue([CodeSystems.ReferenceSequence(text)], text);
        if (code is VariationCode or DbSnpId) return new CodedValue([CodeSystems.VariantId(text)], text);
        if (code == Gene && text.StartsWith("HGNC:", StringComparison.OrdinalIgnoreCase))
            return new CodedValue([new Coding(Coding.Hgnc, "HGNC:" + text[5..])], text);
        if (Hl7v2AnswerLists.TryFind(code, text, out var answer, out var display))
            return new CodedValue([new Coding(Coding.Loinc, answer, display)], text);
        return value is TextValue ? new CodedValue([], text) : value;
    }

    /// <summary>vcf2hl7v2 writes <c>HGNC:0000^NoGene</c> when it knows no gene: a placeholder, not a gene.</summary>
    public static bool IsNoGenePlaceholder(ReportedValue value) =>
        value is CodedValue coded && coded.Codings.Any(c => c.System == Coding.Hgnc && c.Code is "HGNC:0000" or "HGNC:0");

    /// <summary>True when the coded value holds the LOINC answer.</summary>
    public static bool HasAnswer(ReportedValue? value, string answer) =>
        value is CodedValue coded && coded.Codings.Any(c => c.Code == answer && (c.System is null || c.System == Coding.Loinc || c.System.Contains(":codes:", StringComparison.Ordinal)));
}
