namespace PrecisionMed.Validation;

/// <summary>The report for one bundle entry's resource, validated on its own.</summary>
/// <param name="Index">The entry's position in Bundle.entry.</param>
/// <param name="Key">"ResourceType/id", or "ResourceType/(entry N)" when the resource has no id.</param>
/// <param name="FullUrl">The entry's fullUrl, when it has one.</param>
public sealed record BundleEntryReport(int Index, string Key, string? FullUrl, ValidationReport Report);

/// <summary>
/// The outcome of <see cref="BundleValidation.Validate(string, FhirProfileValidator)"/>: one report per entry, problems with the bundle's
/// own JSON, references that should resolve inside the bundle but do not, and references that point outside it.
/// </summary>
/// <param name="Entries">One report per entry that holds a resource, in entry order.</param>
/// <param name="BundleErrors">Problems with the bundle itself (unreadable JSON, not a Bundle, an entry that is not an object).</param>
/// <param name="UnresolvedReferences">Each relative, urn:uuid:/urn:oid: or #contained reference with no target.</param>
/// <param name="ExternalReferences">
/// Each absolute or conditional reference that matches no entry's fullUrl: not an error here, since whether a
/// reference may leave the bundle is the caller's decision.
/// </param>
public sealed record BundleValidationReport(
    IReadOnlyList<BundleEntryReport> Entries,
    IReadOnlyList<string> BundleErrors,
    IReadOnlyList<BundleReference> UnresolvedReferences,
    IReadOnlyList<BundleReference> ExternalReferences)
{
    /// <summary>True when the bundle reads, every entry is valid and every in-bundle reference resolves.</summary>
    public bool IsValid => BundleErrors.Count == 0 && UnresolvedReferences.Count == 0 && Entries.All(e => e.Report.IsValid);

    /// <summary>Every entry error, prefixed with its entry's key, for assertion messages.</summary>
    public IReadOnlyList<string> EntryErrors =>
        [.. Entries.SelectMany(e => e.Report.Errors.Select(error => $"{e.Key} {error}"))];

    /// <summary>The report of the entry whose resource is <paramref name="key"/> ("ResourceType/id").</summary>
    public ValidationReport this[string key] =>
        Entries.FirstOrDefault(e => e.Key == key)?.Report
        ?? throw new KeyNotFoundException($"The bundle has no entry {key}.");

    public override string ToString() =>
        string.Join(
            Environment.NewLine,
            BundleErrors.Select(e => "bundle: " + e)
                .Concat(EntryErrors.Select(e => "entry: " + e))
                .Concat(UnresolvedReferences.Select(r => "unresolved: " + r))
                .Concat(ExternalReferences.Select(r => "external: " + r)));
}
