namespace PrecisionMed.Validation;

/// <summary>How much a <see cref="ValidationIssue"/> matters: errors make a resource invalid, warnings do not.</summary>
public enum ValidationSeverity
{
    Warning,
    Error,
}

/// <summary>One problem the validator found in a resource.</summary>
/// <param name="Location">The element, as a FHIRPath expression (with line and column for JSON problems), or "(json)".</param>
/// <param name="Message">What is wrong, in the validator's words (a constraint's key, a cardinality, a pattern...).</param>
/// <param name="Code">The validator's own issue code (Firely's number for the rule that failed), when it gives one.</param>
public sealed record ValidationIssue(ValidationSeverity Severity, string Location, string Message, string? Code)
{
    /// <summary>"location: message [code]", or "location: message" when there is no code.</summary>
    public override string ToString() => Code is null ? $"{Location}: {Message}" : $"{Location}: {Message} [{Code}]";
}

/// <summary>
/// The outcome of validating one resource. Information-level issues are dropped; warnings include the
/// offline-terminology issues listed in <see cref="FhirProfileValidator"/>.
/// </summary>
public sealed record ValidationReport(IReadOnlyList<ValidationIssue> Issues)
{
    /// <summary>Each error as "location: message [code]".</summary>
    public IReadOnlyList<string> Errors { get; } = [.. Issues.Where(i => i.Severity == ValidationSeverity.Error).Select(i => i.ToString())];

    /// <summary>Each warning as "location: message [code]".</summary>
    public IReadOnlyList<string> Warnings { get; } = [.. Issues.Where(i => i.Severity == ValidationSeverity.Warning).Select(i => i.ToString())];

    /// <summary>True when there is no error or fatal issue.</summary>
    public bool IsValid => Errors.Count == 0;

    /// <summary>Errors and warnings, one a line, for assertion messages.</summary>
    public override string ToString() =>
        string.Join(Environment.NewLine, Errors.Select(e => "error: " + e).Concat(Warnings.Select(w => "warning: " + w)));
}
