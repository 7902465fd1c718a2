namespace PrecisionMed.Core.Knowledge;

/// <summary>
/// The embedded seed as the process reads it: filled once at start-up, read-only after. Nine documents in ten are a
/// diplotype's phenotype (51,000 of them, 17,000 for G6PD alone), and as records they were most of a small ingest's
/// memory; here each is a row (its diplotype text only when its id does not give it back) pointing at one of the few
/// distinct outcomes of its gene, and the document is made again when read. Everything else is kept as it came.
/// </summary>
internal sealed class CompactSeedStore : IKnowledgeStore, IKnowledgeWriter
{
    private const string DiplotypePrefix = "pgx-diplotype:";

    private readonly Dictionary<string, KnowledgeDocument> _documents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DiplotypeRow> _diplotypes = new(StringComparer.Ordinal);
    private readonly List<DiplotypeOutcome> _outcomes = [];
    private readonly Dictionary<DiplotypeOutcome, int> _outcomeIndex = [];

    public int Count => _documents.Count + _diplotypes.Count;

    public Task<KnowledgeDocument?> ReadAsync(string id, CancellationToken cancellationToken) => Task.FromResult(Read(id));

    private KnowledgeDocument? Read(string id)
    {
        if (_documents.TryGetValue(id, out var document)) return document;
        if (!_diplotypes.TryGetValue(id, out var row)) return null;
        var outcome = _outcomes[row.Outcome];
        return new DiplotypePhenotypeDocument(outcome.Gene, row.Diplotype ?? DiplotypeOf(id), outcome.Phenotype, outcome.ActivityScore, outcome.Source, outcome.LookupKey);
    }

    /// <summary>Loading only (one writer, before any reader): the seed is immutable once loaded.</summary>
    public Task<bool> UpsertAsync(KnowledgeDocument document, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        var id = document.Id;
        if (document is DiplotypePhenotypeDocument diplotype)
        {
            _documents.Remove(id);
            var outcome = new DiplotypeOutcome(diplotype.Gene, diplotype.Phenotype, diplotype.ActivityScore, diplotype.Source, diplotype.LookupKey);
            if (!_outcomeIndex.TryGetValue(outcome, out var index))
            {
                index = _outcomes.Count;
                _outcomes.Add(outcome);
                _outcomeIndex.Add(outcome, index);
            }

            _diplotypes[id] = new DiplotypeRow(string.Equals(DiplotypeOf(id), diplotype.Diplotype, StringComparison.Ordinal) ? null : diplotype.Diplotype, index);
        }
        else
        {
            _diplotypes.Remove(id);
            _documents[id] = document;
        }

        return Task.FromResult(true);
    }

    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) =>
        Task.FromResult(_documents.Remove(id) | _diplotypes.Remove(id));

    /// <summary>The diplotype an id names when it was made without escapes: <c>pgx-diplotype:G6PD:A|B</c> is <c>A/B</c>.</summary>
    private static string DiplotypeOf(string id)
    {
        var gene = id.IndexOf(':', DiplotypePrefix.Length);
        return gene < 0 ? string.Empty : id[(gene + 1)..].Replace('|', '/');
    }

    private readonly record struct DiplotypeRow(string? Diplotype, int Outcome);

    private readonly record struct DiplotypeOutcome(string Gene, string Phenotype, string? ActivityScore, string Source, string? LookupKey);
}
