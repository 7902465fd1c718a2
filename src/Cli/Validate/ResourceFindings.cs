using PrecisionMed.Validation;

namespace PrecisionMed.Cli.Validate;

/// <summary>What the validator found in one resource of a file (or in the file itself when it cannot be read).</summary>
/// <param name="Entry">The resource's position in Bundle.entry; null for a file holding one resource, or for the file itself.</param>
/// <param name="Resource">"ResourceType/id"; "(file)" for problems with the file's JSON or the Bundle around the entries.</param>
internal sealed record ResourceFindings(int? Entry, string Resource, string? FullUrl, IReadOnlyList<ValidationIssue> Issues)
{
    public const string FileKey = "(file)";

    /// <summary>False for the findings about the file itself.</summary>
    public bool IsResource => Resource != FileKey;

    public int Errors => Issues.Count(i => i.Severity == ValidationSeverity.Error);

    public int Warnings => Issues.Count(i => i.Severity == ValidationSeverity.Warning);

    /// <summary>"Bundle.entry[3] Observation/abc", or "Observation/abc" for a lone resource.</summary>
    public string Where => Entry is { } index ? $"Bundle.entry[{index}] {Resource}" : Resource;
}

/// <summary>One file's findings, every resource in it listed (most with no issue).</summary>
internal sealed record FileFindings(string File, IReadOnlyList<ResourceFindings> Resources)
{
    public int Errors => Resources.Sum(r => r.Errors);

    public int Warnings => Resources.Sum(r => r.Warnings);

    public int ResourceCount => Resources.Count(r => r.IsResource);
}
