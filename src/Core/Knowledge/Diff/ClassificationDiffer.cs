namespace PrecisionMed.Core.Knowledge.Diff;

/// <summary>The changes between two records of one classification, classified by the impact matrix.</summary>
public static class ClassificationDiffer
{
    /// <summary>Old records against new ones, both in key order.</summary>
    public static IEnumerable<KnowledgeChange> Compare(
        IReadOnlyList<ClassificationRecord> before, IReadOnlyList<ClassificationRecord> after, ImpactMatrix matrix, string? removedOn)
    {
        var old = before.ToDictionary(r => r.Key, StringComparer.Ordinal);
        foreach (var record in after)
        {
            if (!old.Remove(record.Key, out var previous)) yield return Change(ChangeKind.Added, null, record, matrix, null);
            else if (!previous.SameAs(record)) yield return Change(ChangeKind.Changed, previous, record, matrix, null);
        }

        foreach (var removed in old.Values.OrderBy(r => r.Key, StringComparer.Ordinal)) yield return Change(ChangeKind.Removed, removed, null, matrix, removedOn);
    }

    private static KnowledgeChange Change(ChangeKind kind, ClassificationRecord? before, ClassificationRecord? after, ImpactMatrix matrix, string? removedOn)
    {
        var subject = after ?? before!;
        return new KnowledgeChange(
            KnowledgeChange.Classification,
            subject.Key,
            kind,
            matrix.Of(SignificanceClasses.Of(before?.Significance), SignificanceClasses.Of(after?.Significance)),
            before?.Significance,
            before?.ReviewStatus,
            before?.Date,
            after?.Significance,
            after?.ReviewStatus,
            after?.Date ?? removedOn,
            subject.Genes,
            [.. (before?.Locations ?? []).Union(after?.Locations ?? [], StringComparer.Ordinal)],
            [.. (before?.Hgvs ?? []).Union(after?.Hgvs ?? [], StringComparer.Ordinal)]);
    }
}
