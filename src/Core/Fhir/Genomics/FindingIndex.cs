using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Fhir.Genomics;

/// <summary>The kinds of finding a derivedFrom key may resolve to.</summary>
[Flags]
internal enum FindingKind
{
    None = 0,
    Variant = 1,
    Haplotype = 2,
    Genotype = 4,
}

/// <summary>The report's findings by the lab's key, for the derivedFrom references of what is derived from them.</summary>
internal sealed class FindingIndex
{
    private readonly Dictionary<string, List<(FindingKind Kind, string Reference)>> _byKey = new(StringComparer.Ordinal);

    /// <summary>Makes a finding reachable from derivedFrom by its key (the first finding with a key wins).</summary>
    public void Register(string key, FindingKind kind, string reference)
    {
        if (!_byKey.TryGetValue(key, out var targets)) _byKey[key] = targets = [];
        targets.Add((kind, reference));
    }

    /// <summary>
    /// derivedFrom references for <paramref name="keys"/>; unknown keys or kinds the profile does not allow are skipped
    /// (added to <paramref name="skipped"/> at <paramref name="path"/>).
    /// </summary>
    public List<string> DerivedFrom(IReadOnlyList<string> keys, FindingKind allowed, string path, List<LabFileProblem> skipped)
    {
        var references = new List<string>(keys.Count);
        foreach (var key in keys)
        {
            string? reference = null;
            if (_byKey.TryGetValue(key, out var targets))
            {
                foreach (var target in targets)
                {
                    if ((allowed & target.Kind) != 0)
                    {
                        reference = target.Reference;
                        break;
                    }
                }
            }

            if (reference is null)
            {
                skipped.Add(new LabFileProblem(new SourcePosition { Path = path, Field = "derivedFrom" }, targets is null
                    ? $"derived from '{key}', which is no finding of this report"
                    : $"derived from '{key}', a {targets[0].Kind} this profile cannot derive from"));
                continue;
            }

            if (!references.Contains(reference)) references.Add(reference);
        }

        return references;
    }
}
