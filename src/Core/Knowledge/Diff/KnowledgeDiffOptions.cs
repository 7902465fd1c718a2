using System.ComponentModel.DataAnnotations;

namespace PrecisionMed.Core.Knowledge.Diff;

/// <summary>Settings of the knowledge diff an import records (section <c>Knowledge:Diff</c>).</summary>
public sealed class KnowledgeDiffOptions : IValidatableObject
{
    public const string SectionName = "Knowledge:Diff";

    /// <summary>
    /// Cells of the impact matrix that differ from its defaults, e.g. <c>Knowledge__Diff__Transitions__UncertainToPathogenic=Major</c>
    /// (classes: Absent, Pathogenic, LikelyPathogenic, Uncertain, Conflicting, LikelyBenign, Benign, Other; impacts: None,
    /// Minor, Warning, Major; and RecommendationAdded, RecommendationChanged, RecommendationPrescribingChanged, RecommendationRemoved).
    /// </summary>
    public Dictionary<string, string> Transitions { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public ImpactMatrix Matrix() => Transitions.Count == 0 ? ImpactMatrix.Default : new ImpactMatrix(Transitions);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        string? problem = null;
        try
        {
            _ = Matrix();
        }
        catch (ArgumentException ex)
        {
            problem = ex.Message.Split(" (Parameter", 2)[0];
        }

        if (problem is not null) yield return new ValidationResult(problem, [nameof(Transitions)]);
    }
}
