namespace PrecisionMed.Core.LabReports;

/// <summary>
/// How a report's HGVS components (c. 48004-6, p. 48005-3, g. 81290-9, and a MolecularConsequence's c. and p.) were
/// written: with the reference sequence the lab or its annotation gave, completed with a reference sequence found
/// beside the bare change, or as text because no reference sequence names the change.
/// </summary>
/// <param name="AsSent">Expressions that already named their reference sequence.</param>
/// <param name="Completed">Bare changes written with the reference sequence added (the transcript of the same group or annotation, the build's chromosome).</param>
/// <param name="ToText">Changes with no known reference sequence (or no HGVS at all): written as the component's text, not as an HGVS code.</param>
public sealed record HgvsCounts(int AsSent, int Completed, int ToText)
{
    /// <summary>No HGVS component.</summary>
    public static readonly HgvsCounts None = new(0, 0, 0);

    /// <summary>The sum of two counts (a file's units, say).</summary>
    public HgvsCounts Add(HgvsCounts other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new(AsSent + other.AsSent, Completed + other.Completed, ToText + other.ToText);
    }
}
