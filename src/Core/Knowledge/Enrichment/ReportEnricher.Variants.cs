using System.Globalization;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Knowledge.Enrichment;

public sealed partial class ReportEnricher
{
    /// <summary>
    /// A DiagnosticImplication for a present variant the store knows: looked up by build:chrom:pos:ref:alt when the
    /// lab gave coordinates on a RefSeq chromosome, else by its best HGVS (see <see cref="FindClassificationAsync"/>).
    /// The lab's own implication stays; a different classification is written in the new implication's note.
    /// </summary>
    private async Task InterpretVariantAsync(
        EnrichmentRun run, LabReport report, VariantFinding variant, List<DiagnosticImplicationFinding> implications, CancellationToken cancellationToken)
    {
        if (variant.Assessment != VariantAssessment.Present) return;
        var classification = await FindClassificationAsync(report, variant, run.DefaultBuild, cancellationToken);
        if (classification is null) return;

        var significance = KnowledgeCodes.ClinicalSignificance(classification.Significance);
        var review = classification.ReviewStatus is { } status ? KnowledgeCodes.EvidenceLevel(classification.Source, status) : null;
        var evaluated = classification.LastEvaluated is { } date ? $", last evaluated {date}" : string.Empty;
        var lab = implications.FirstOrDefault(i => i.DerivedFromKeys.Contains(variant.Key) && i.ClinicalSignificance is not null);
        string? note = null;
        if (lab?.ClinicalSignificance is { } labSignificance
            && KnowledgeCodes.Comparable(labSignificance) != KnowledgeCodes.Comparable(significance))
        {
            note = $"Classifications differ: the lab reported '{KnowledgeCodes.Describe(labSignificance)}', {classification.Source} says "
                + $"'{classification.Significance}'. The lab's classification is kept as reported in its own implication; review before acting.";
        }

        implications.Add(new DiagnosticImplicationFinding(
            variant.Key + ":knowledge",
            [variant.Key],
            significance,
            [.. classification.Conditions.Select(KnowledgeCodes.Condition)],
            Conclusion: $"{classification.Source}: {classification.Significance}{evaluated}"
                + $" (variation {classification.VariationId ?? "unknown"}; PrecisionMed knowledge store version {run.Version}).",
            EvidenceLevel: review,
            CitationUrl: classification.CitationUrl,
            Note: note));
    }

    /// <summary>
    /// One store read per variant at most (at most one request per distinct variant cold, none warm, absences
    /// cached by <see cref="KnowledgeLookup"/>). Coordinates alone when the lab gave them: the importer keys every
    /// ClinVar row with a position by its VCF-style location, and trying HGVS after a location miss tripled the cost
    /// of an unknown variant, which is most variants of a large report. Without coordinates, the one HGVS most likely
    /// to be a ClinVar key (<see cref="BestHgvs"/>).
    /// </summary>
    private async Task<VariantClassification?> FindClassificationAsync(
        LabReport report, VariantFinding variant, CodedValue? defaultBuild, CancellationToken cancellationToken)
    {
        if (LocationOf(report, variant, defaultBuild) is { } location) return await knowledge.FindVariantAsync(location, cancellationToken);
        // A bare c. change (snpEff's, an HL7 v2 row beside its transcript) is looked up on its transcript, as it is written.
        return BestHgvs(HgvsCompletion.Complete(variant, report.GenomeBuild ?? defaultBuild)) is { } hgvs
            ? await knowledge.FindVariantByHgvsAsync(hgvs, cancellationToken)
            : null;
    }

    /// <summary>
    /// The c. HGVS before the g. (ClinVar names every coding variant by c.; the importer keys g. only for SNVs), and on
    /// a RefSeq sequence (NM_, NC_: ClinVar's) before one on another (ENST from snpEff), first reported first.
    /// </summary>
    internal static string? BestHgvs(VariantFinding variant)
    {
        string? best = null;
        var bestRank = int.MaxValue;
        foreach (var component in variant.Components)
        {
            var kind = component.Code.Code switch { "48004-6" => 0, "81290-9" => 1, _ => -1 };
            if (kind < 0 || HgvsOf(component.Value) is not { Length: > 0 } hgvs) continue;
            var rank = (IsRefSeq(hgvs) ? 0 : 2) + kind;
            if (rank < bestRank) (best, bestRank) = (hgvs, rank);
        }

        return best;
    }

    /// <summary>A RefSeq accession: two capital letters and an underscore (NM_, NC_, NG_, NR_).</summary>
    private static bool IsRefSeq(string hgvs) => hgvs.Length > 3 && char.IsAsciiLetterUpper(hgvs[0]) && char.IsAsciiLetterUpper(hgvs[1]) && hgvs[2] == '_';

    /// <summary>build:chrom:pos:ref:alt from the variant's components, when all five are there and the chromosome is an NC_ RefSeq.</summary>
    internal static VariantLocation? LocationOf(LabReport report, VariantFinding variant, CodedValue? defaultBuild = null)
    {
        ReportedValue? Component(string code) => variant.Components.FirstOrDefault(c => c.Code.Code == code)?.Value;

        var buildValue = Component("62374-4") as CodedValue ?? report.GenomeBuild ?? defaultBuild;
        var build = buildValue is null ? null
            : buildValue.Codings.Select(c => c.Code).Append(buildValue.Codings.FirstCoding()?.Display).Append(buildValue.Text)
                .OfType<string>().Select(KnowledgeIds.NormaliseBuild).FirstOrDefault(b => b is "GRCh37" or "GRCh38");
        var chromosome = ChromosomeOf(HgvsOf(Component("48013-7")));
        var position = (Component("81254-5") as RangeValue)?.Low;
        var reference = (Component("69547-8") as TextValue)?.Text;
        var alternate = (Component("69551-0") as TextValue)?.Text;
        if (build is null || chromosome is null || string.IsNullOrWhiteSpace(reference) || string.IsNullOrWhiteSpace(alternate)) return null;

        // A start is a whole number a chromosome can have: a lab's (or a damaged file's) 1e30 or 12.5 locates nothing,
        // and the cast below would throw on the first.
        if (position is not { } start || start <= 0 || start > long.MaxValue || decimal.Truncate(start) != start) return null;
        return new VariantLocation(build, chromosome, (long)start, reference, alternate);
    }

    /// <summary>1..22, X, Y, MT from a RefSeq chromosome accession (NC_000003.12 → 3); null for anything else (NG_, NM_).</summary>
    internal static string? ChromosomeOf(string? accession)
    {
        if (accession is null || !accession.StartsWith("NC_", StringComparison.Ordinal)) return null;
        var dot = accession.IndexOf('.', StringComparison.Ordinal);
        var digits = dot > 0 ? accession[3..dot] : accession[3..];
        if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var number)) return null;
        return number switch
        {
            >= 1 and <= 22 => number.ToString(CultureInfo.InvariantCulture),
            23 => "X",
            24 => "Y",
            12920 => "MT",
            _ => null,
        };
    }

    private static string? HgvsOf(ReportedValue? value) => value switch
    {
        CodedValue coded => coded.Codings.Select(c => c.Code).FirstOrDefault(c => !string.IsNullOrWhiteSpace(c)) ?? coded.Text,
        TextValue text => text.Text,
        _ => null,
    };
}
