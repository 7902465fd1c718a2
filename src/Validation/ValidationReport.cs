namespace PrecisionMed.Testing.Validation;

/// <summary>
/// The outcome of validating one resource: each entry is "location: message". Information-level
/// issues are dropped; warnings include the offline-terminology issues listed in
/// <see cref="FhirProfileValidator"/>.
/// </summary>
public sealed record ValidationReport(IReadOnlyList<string> Errors, IReadOnlyList<string> Warnings)
{
    /// <summary>True when there is no error or fatal issue.</summary>
    public bool IsValid => Errors.Count == 0;

    /// <summary>Errors and warnings, one a line, for assertion messages.</summary>
    public override string ToString() =>
        string.Join(Environment.NewLine, Errors.Select(e => "error: " + e).Concat(Warnings.Select(w => "warning: " + w)));
}
