namespace PrecisionMed.Core.LabReports;

/// <summary>
/// A specific, expected problem with a lab's input: where it is and why it cannot be used.
/// Messages never contain PHI: they name positions, fields and rules, not values.
/// </summary>
public sealed record LabFileProblem(SourcePosition Position, string Reason)
{
    public override string ToString() => $"{Position}: {Reason}";
}

/// <summary>
/// Thrown by parsers and mappers when a file or report unit cannot be used. The pipeline turns it
/// into a rejection with an error report; it is never retried.
/// </summary>
public sealed class LabFileRejectedException : Exception
{
    public LabFileRejectedException(LabFileProblem problem)
        : base(problem.ToString()) => Problem = problem;

    public LabFileRejectedException(SourcePosition position, string reason)
        : this(new LabFileProblem(position, reason))
    {
    }

    public LabFileProblem Problem { get; }
}
