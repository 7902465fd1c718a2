namespace PrecisionMed.Validation;

/// <summary>How a Reference.reference in a bundle entry resolved against the bundle.</summary>
public enum ReferenceOutcome
{
    Resolved,

    /// <summary>An absolute URL matching no entry's fullUrl, or a conditional reference: it points outside the bundle.</summary>
    External,

    /// <summary>"#id" matching none of the entry's contained resources.</summary>
    NoContained,

    /// <summary>"urn:uuid:"/"urn:oid:" matching no entry's fullUrl (such a reference has no meaning outside the bundle).</summary>
    NoFullUrl,

    /// <summary>Relative "Type/id" matching no entry: a transaction's server may still hold the target.</summary>
    NoEntry,

    /// <summary>Not a reference form FHIR defines.</summary>
    Malformed,
}

/// <summary>A reference found in a bundle entry's resource that did not resolve inside the bundle.</summary>
/// <param name="EntryIndex">The entry's position in Bundle.entry.</param>
/// <param name="ResourceKey">The entry's "ResourceType/id".</param>
/// <param name="Path">Where the reference sits, e.g. "Task.focus.reference".</param>
public sealed record BundleReference(int EntryIndex, string ResourceKey, string Path, string Reference, ReferenceOutcome Outcome)
{
    /// <summary>Why it did not resolve, in words ("matches no entry's fullUrl"...); empty for an external reference.</summary>
    public string Problem => Outcome switch
    {
        ReferenceOutcome.Resolved or ReferenceOutcome.External => string.Empty,
        ReferenceOutcome.NoContained => "matches no contained resource",
        ReferenceOutcome.NoFullUrl => "matches no entry's fullUrl",
        ReferenceOutcome.NoEntry => "matches no entry's resource type and id",
        _ => "is not a resolvable reference (expected #id, urn:uuid:, an absolute URL or Type/id)",
    };

    /// <summary>"Key path: 'reference' problem".</summary>
    public override string ToString() =>
        Problem.Length == 0 ? $"{ResourceKey} {Path}: '{Reference}'" : $"{ResourceKey} {Path}: '{Reference}' {Problem}";
}
