namespace PrecisionMed.Core.LabReports;

/// <summary>
/// How one lab writes its files, as the knowledge store records it: a port the pipeline passes to a format's mapping,
/// so that formats read lab conventions without depending on the knowledge store.
/// </summary>
public interface ILabConventions
{
    /// <summary>The LOINC code the lab's code map gives each of <paramref name="localCodes"/>, for those it has (local code → LOINC).</summary>
    Task<IReadOnlyDictionary<string, string>> LoincForLocalCodesAsync(string labId, IEnumerable<string> localCodes, CancellationToken cancellationToken);

    /// <summary>The system the lab's profile gives its patient numbers, as stated there; null when it states none.</summary>
    Task<string?> PatientIdentifierSystemAsync(string labId, CancellationToken cancellationToken);
}
