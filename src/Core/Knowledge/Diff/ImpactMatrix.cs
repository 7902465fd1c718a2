using System.Collections.Frozen;
using S = PrecisionMed.Core.Knowledge.Diff.SignificanceClass;

namespace PrecisionMed.Core.Knowledge.Diff;

/// <summary>
/// The transition matrix: the clinical impact of each move between significance classes, and of each kind of
/// recommendation change. The defaults are the table in README ("Reinterpretation: the impact matrix"); any cell is
/// overridden by <see cref="KnowledgeDiffOptions.Transitions"/> (<c>UncertainToPathogenic: Major</c>,
/// <c>RecommendationChanged: Major</c>).
/// </summary>
public sealed class ImpactMatrix
{
    /// <summary>Recommendation keys for the transitions of CPIC/DPWG recommendations (the text, the prescribing flags).</summary>
    public const string RecommendationAdded = "RecommendationAdded";
    public const string RecommendationChanged = "RecommendationChanged";
    public const string RecommendationPrescribingChanged = "RecommendationPrescribingChanged";
    public const string RecommendationRemoved = "RecommendationRemoved";

    private readonly FrozenDictionary<string, ClinicalImpact> _cells;

    public ImpactMatrix(IReadOnlyDictionary<string, string>? overrides = null)
    {
        var cells = new Dictionary<string, ClinicalImpact>(StringComparer.OrdinalIgnoreCase);
        foreach (var from in Enum.GetValues<S>())
        {
            foreach (var to in Enum.GetValues<S>()) cells[Key(from, to)] = DefaultImpact(from, to);
        }

        cells[RecommendationAdded] = ClinicalImpact.None;
        cells[RecommendationChanged] = ClinicalImpact.Minor;
        cells[RecommendationPrescribingChanged] = ClinicalImpact.Major;
        cells[RecommendationRemoved] = ClinicalImpact.Warning;

        foreach (var (key, value) in overrides ?? new Dictionary<string, string>())
        {
            if (!cells.ContainsKey(key))
                throw new ArgumentException($"Knowledge:Diff:Transitions: '{key}' is no transition; use FromToTo with the classes {string.Join(", ", Enum.GetNames<S>())}, or {RecommendationAdded}, {RecommendationChanged}, {RecommendationPrescribingChanged}, {RecommendationRemoved}", nameof(overrides));
            if (!Enum.TryParse<ClinicalImpact>(value, ignoreCase: true, out var impact) || !Enum.IsDefined(impact))
                throw new ArgumentException($"Knowledge:Diff:Transitions:{key}: '{value}' is no impact; use None, Minor, Warning or Major", nameof(overrides));
            cells[key] = impact;
        }

        _cells = cells.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    public static ImpactMatrix Default { get; } = new();

    public static string Key(S from, S to) => $"{from}To{to}";

    public ClinicalImpact Of(S from, S to) => _cells[Key(from, to)];

    public ClinicalImpact Of(string transition) => _cells[transition];

    /// <summary>Every cell, for the documentation and for <c>pmed knowledge diff --matrix</c>.</summary>
    public IEnumerable<KeyValuePair<string, ClinicalImpact>> Cells => _cells.OrderBy(c => c.Key, StringComparer.Ordinal);

    private static ClinicalImpact DefaultImpact(S from, S to)
    {
        if (from == to) return ClinicalImpact.None;

        // A new classification changes no report that was written without it.
        if (from == S.Absent) return ClinicalImpact.None;
        if (to == S.Absent) return SignificanceClasses.IsPathogenicSide(from) ? ClinicalImpact.Warning : ClinicalImpact.Minor;

        var fromP = SignificanceClasses.IsPathogenicSide(from);
        var toP = SignificanceClasses.IsPathogenicSide(to);
        if (fromP && toP) return ClinicalImpact.Minor; // likely pathogenic <-> pathogenic
        if (fromP != toP) return ClinicalImpact.Major; // into or out of the actionable side

        // Both off the pathogenic side: uncertain, conflicting, benign classes, other.
        return ClinicalImpact.Minor;
    }
}
