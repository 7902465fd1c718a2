namespace PrecisionMed.Core.Knowledge.Diff;

/// <summary>Settings of the knowledge diff an import records (section <c>Knowledge:Diff</c>).</summary>
public sealed class KnowledgeDiffOptions
{
    public const string SectionName = "Knowledge:Diff";

    /// <summary>Cells of the impact matrix that differ from its defaults: <c>UncertainToPathogenic</c> → <c>Major</c>.</summary>
    public Dictionary<string, string> Transitions { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public ImpactMatrix Matrix() => Transitions.Count == 0 ? ImpactMatrix.Default : new ImpactMatrix(Transitions);
}
