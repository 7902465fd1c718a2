using System.Collections.Concurrent;
using System.Text;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Knowledge.Enrichment;

/// <summary>
/// The TherapeuticImplications a set of pharmacogenomic results reaches (without the report's notes), kept by knowledge
/// version and results. Interpreting them is most of a PGx report's enrichment (every reached recommendation's
/// conclusion is written out), and the same diplotypes come back report after report; with the same version, the same
/// documents give the same findings, which are immutable and shared. A new version makes new keys; the cache is
/// bounded and emptied when full.
/// </summary>
internal sealed class PgxInterpretationCache(int capacity)
{
    private readonly ConcurrentDictionary<string, PgxReached[]> _entries = new(StringComparer.Ordinal);

    /// <summary>
    /// The key for results in the order the report gave them (the findings' order follows it): each result's gene,
    /// report key, shown value and phenotype document, under the knowledge version.
    /// </summary>
    public static string KeyOf(string version, IEnumerable<PgxResult> results)
    {
        var key = new StringBuilder(version);
        foreach (var result in results)
        {
            key.Append('\u001f').Append(result.Gene).Append('\u001e').Append(result.GenotypeKey).Append('\u001e').Append(result.Shown)
                .Append('\u001e').Append(result.Phenotype?.Id);
        }

        return key.ToString();
    }

    public bool TryGet(string key, out PgxReached[] reached) => _entries.TryGetValue(key, out reached!);

    public void Set(string key, PgxReached[] reached)
    {
        if (capacity <= 0) return;
        if (_entries.Count >= capacity) _entries.Clear();
        _entries[key] = reached;
    }
}

/// <summary>A finding the results reached, with the results it stands on and its drug (what the report's note compares).</summary>
internal sealed record PgxReached(TherapeuticImplicationFinding Finding, IReadOnlyList<PgxResult> Genes, CodedValue? Medication);
