namespace PrecisionMed.Core.Fhir.Genomics;

/// <summary>
/// The ids one report's build hands out: deterministic per (lab, accession, kind, key), so the same input writes the
/// same resources again; a key the lab used twice for one kind gets an occurrence suffix, so both resources are kept.
/// </summary>
/// <remarks>Ids stay <see cref="Guid"/>s: the writer formats them, and only references become strings.</remarks>
internal sealed class GenomicIds(string labId, string accession, int expected = 0)
{
    // Sized for the report's resources up front: grown from empty, the set rehashed every id again at each doubling.
    private readonly HashSet<Guid> _used = new(expected);

    public Guid NewId(string kind, string key)
    {
        var id = DeterministicIds.ForReportResourceGuid(labId, accession, kind, key);
        for (var occurrence = 2; !_used.Add(id); occurrence++)
        {
            id = DeterministicIds.ForReportResourceGuid(labId, accession, kind, $"{key}#{occurrence}");
        }

        return id;
    }

    /// <summary><c>Type/id</c>, made in one string.</summary>
    public static string Reference(string resourceType, Guid id) =>
        string.Create(resourceType.Length + 37, (resourceType, id), static (chars, state) =>
        {
            state.resourceType.CopyTo(chars);
            chars[state.resourceType.Length] = '/';
            state.id.TryFormat(chars[(state.resourceType.Length + 1)..], out _, "D");
        });
}
