namespace PrecisionMed.Core.Pipeline;

/// <summary>
/// A file was overwritten after the version a reader holds to (its ETag) was taken: what is stored now is other content.
/// Names the area only: a lab's file names may carry PHI.
/// </summary>
public sealed class LabFileChangedException(string area)
    : Exception($"A file in {area}/ was overwritten since its version was taken: it now holds other content.")
{
    public string Area { get; } = area;
}
