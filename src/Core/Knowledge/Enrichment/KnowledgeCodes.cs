using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Knowledge.Enrichment;

/// <summary>
/// The knowledge sources' words as the LOINC answers the IG's implication components use (LL4034-6 clinical
/// significance, the metabolizer answers of the therapeutic-implication value set, LL4049-4 medication usage
/// suggestions). A word with no answer stays text: never a guessed code.
/// </summary>
internal static class KnowledgeCodes
{
    public const string MondoSystem = "http://purl.obolibrary.org/obo/mondo.owl";
    public const string MedGenSystem = "http://www.ncbi.nlm.nih.gov/medgen";
    public const string PharmGkbSystem = "http://www.pharmgkb.org";
    public const string ClinVarEvidenceLevelSystem = "http://hl7.org/fhir/uv/genomics-reporting/CodeSystem/clinvar-evidence-level-custom-cs";

    /// <summary>
    /// ClinVar's review status as the star rating ClinVar gives it, in the codes and displays of the IG's
    /// clinvar-evidence-level-custom-cs (the evidence-level component's example value set). Current wordings and the
    /// older ones a file from before ClinVar's 2024 renaming still carries.
    /// </summary>
    private static readonly Dictionary<string, (string Code, string Display)> ReviewStars = new(StringComparer.OrdinalIgnoreCase)
    {
        ["practice guideline"] = ("4-star", "4 star"),
        ["reviewed by expert panel"] = ("3-star", "3 star"),
        ["criteria provided, multiple submitters, no conflicts"] = ("2-star", "2 star"),
        ["criteria provided, multiple submitters"] = ("2-star", "2 star"),
        ["criteria provided, single submitter"] = ("1-star", "1 star"),
        ["criteria provided, conflicting classifications"] = ("1-star", "1 star"),
        ["criteria provided, conflicting interpretations"] = ("1-star", "1 star"),
        ["no assertion criteria provided"] = ("no-star", "no star"),
        ["no assertion provided"] = ("no-star", "no star"),
        ["no classification provided"] = ("no-star", "no star"),
        ["no interpretation for the single variant"] = ("no-star", "no star"),
        ["no classification for the individual variant"] = ("no-star", "no star"),
    };

    private static readonly Dictionary<string, (string Code, string Display)> Significance = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Pathogenic"] = ("LA6668-3", "Pathogenic"),
        ["Likely pathogenic"] = ("LA26332-9", "Likely pathogenic"),
        ["Uncertain significance"] = ("LA26333-7", "Uncertain significance"),
        ["Likely benign"] = ("LA26334-5", "Likely benign"),
        ["Benign"] = ("LA6675-8", "Benign"),
    };

    private static readonly Dictionary<string, (string Code, string Display)> Phenotype = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Ultrarapid Metabolizer"] = ("LA10315-2", "Ultrarapid metabolizer"),
        ["Rapid Metabolizer"] = ("LA25390-8", "Rapid metabolizer"),
        ["Normal Metabolizer"] = ("LA25391-6", "Normal metabolizer"),
        ["Intermediate Metabolizer"] = ("LA10317-8", "Intermediate metabolizer"),
        ["Poor Metabolizer"] = ("LA9657-3", "Poor metabolizer"),
    };

    /// <summary>Every metabolizer answer code: a lab implication carrying one states a phenotype that can disagree with the store's.</summary>
    public static IReadOnlySet<string> MetabolizerCodes { get; } = Phenotype.Values.Select(v => v.Code).ToHashSet(StringComparer.Ordinal);

    public static CodedValue ClinicalSignificance(string significance) =>
        Significance.TryGetValue(significance.Trim(), out var answer)
            ? new CodedValue([Coding.LoincCode(answer.Code, answer.Display)], significance)
            : new CodedValue([], significance);

    public static CodedValue PhenotypeValue(string phenotype) =>
        Phenotype.TryGetValue(phenotype.Trim(), out var answer)
            ? new CodedValue([Coding.LoincCode(answer.Code, answer.Display)], phenotype)
            : new CodedValue([], phenotype);

    /// <summary>A review status as the evidence level: ClinVar's star rating when the source is ClinVar and the wording is one it rates, with the source's words as text.</summary>
    public static CodedValue EvidenceLevel(string source, string reviewStatus)
    {
        var text = $"{source} review status: {reviewStatus}";
        return source == "ClinVar" && ReviewStars.TryGetValue(reviewStatus.Trim(), out var stars)
            ? new CodedValue([new Coding(ClinVarEvidenceLevelSystem, stars.Code, stars.Display)], text)
            : new CodedValue([], text);
    }

    /// <summary>
    /// The LL4049-4 suggestion a guideline recommendation amounts to, from the package's flags (an alternative drug;
    /// dosing, whose direction the wording gives; other prescribing guidance) with the recommendation as text; null when
    /// it changes nothing (no Task).
    /// </summary>
    public static CodedValue? Suggestion(PrescribingChange change, string recommendation)
    {
        if (change == PrescribingChange.None) return null;
        var text = recommendation.ToLowerInvariant();
        (string Code, string Display) answer =
            change.HasFlag(PrescribingChange.AlternateDrug) ? ("LA26421-0", "Consider alternative medication")
            : change.HasFlag(PrescribingChange.Dosing) && DoseDown.Any(w => text.Contains(w, StringComparison.Ordinal)) ? ("LA26422-8", "Decrease dose")
            : change.HasFlag(PrescribingChange.Dosing) && DoseUp.Any(w => text.Contains(w, StringComparison.Ordinal)) ? ("LA26423-6", "Increase dose")
            : ("LA26424-4", "Use caution");
        return new CodedValue([Coding.LoincCode(answer.Code, answer.Display)], recommendation);
    }

    private static readonly string[] DoseDown = ["reduc", "decrease", "lower", "lowest", "% of", "less than"];
    private static readonly string[] DoseUp = ["increase", "higher", "times the"];

    /// <summary>A condition with its MONDO (else MedGen) id as a coding, and its name as text.</summary>
    public static CodedValue Condition(VariantCondition condition)
    {
        var codings = new List<Coding>();
        if (condition.Ids.FirstOrDefault(i => i.StartsWith("MONDO:MONDO:", StringComparison.Ordinal)) is { } mondo)
            codings.Add(new Coding(MondoSystem, mondo["MONDO:".Length..], condition.Name));
        else if (condition.Ids.FirstOrDefault(i => i.StartsWith("MedGen:", StringComparison.Ordinal)) is { } medGen)
            codings.Add(new Coding(MedGenSystem, medGen["MedGen:".Length..], condition.Name));
        return new CodedValue(codings, condition.Name);
    }

    /// <summary>The LOINC answer code of a coded value, else its text, for comparing two interpretations.</summary>
    public static string? Comparable(CodedValue? value) =>
        value?.Codings.FirstOrDefault(c => c.System == Coding.Loinc && c.Code is { Length: > 0 })?.Code
        ?? value?.Codings.FirstCoding()?.Display?.Trim().ToUpperInvariant()
        ?? value?.Text?.Trim().ToUpperInvariant();

    /// <summary>How a coded value reads to a person.</summary>
    public static string Describe(CodedValue value) =>
        value.Codings.FirstCoding()?.Display ?? value.Text ?? value.Codings.FirstCoding()?.Code ?? "(no value)";
}
