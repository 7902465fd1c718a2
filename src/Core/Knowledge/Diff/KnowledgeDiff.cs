namespace PrecisionMed.Core.Knowledge.Diff;

/// <summary>
/// What one import changed in the store (or, for <c>pmed knowledge diff</c>, would change): new, changed and removed
/// classifications and recommendations with their impact. <see cref="Baseline"/>: the store held no inventory of this
/// source's series before, so nothing could be compared (the added classifications are counted, not listed).
/// </summary>
public sealed record KnowledgeDiff(
    string Id,
    string Source,
    string File,
    string? FromVersion,
    string ToVersion,
    string CreatedAt,
    bool Baseline,
    long Added,
    long Changed,
    long Removed,
    ImpactCounts Impacts,
    IReadOnlyList<KnowledgeChange> Changes)
{
    public bool IsEmpty => Added + Changed + Removed == 0;
}

/// <summary>A stored diff's header, with the knowledge version it brought; its changes are in <see cref="Pages"/> page documents.</summary>
public sealed record KnowledgeDiffDocument(
    string DiffId,
    string Source,
    string File,
    string? FromVersion,
    string ToVersion,
    string CreatedAt,
    bool Baseline,
    long Added,
    long Changed,
    long Removed,
    ImpactCounts Impacts,
    int Pages) : KnowledgeDocument
{
    /// <summary>Changes per page document: a page stays far under Cosmos DB's 2 MB whatever the release.</summary>
    public const int PageSize = 500;

    public override string Id => IdOf(DiffId);

    public static string IdOf(string diffId) => "diff:" + diffId;

    public static string PageId(string diffId, int page) => $"diff:{diffId}:{page}";
}

public sealed record KnowledgeDiffPageDocument(string DiffId, int Page, IReadOnlyList<KnowledgeChange> Changes) : KnowledgeDocument
{
    public override string Id => KnowledgeDiffDocument.PageId(DiffId, Page);
}

/// <summary>Every stored diff in the order the imports made them: what <c>pmed knowledge reinterpret --since VERSION</c> walks.</summary>
public sealed record KnowledgeDiffLogDocument(IReadOnlyList<KnowledgeDiffLogEntry> Diffs) : KnowledgeDocument
{
    public const string LogId = "diff-log";

    public override string Id => LogId;
}

public sealed record KnowledgeDiffLogEntry(string DiffId, string Source, string? FromVersion, string ToVersion, string CreatedAt, ImpactCounts Impacts);

/// <summary>The last reinterpretation runs (<c>pmed knowledge reinterpret</c>), newest last: what the status API answers.</summary>
public sealed record ReinterpretationRunLogDocument(IReadOnlyList<ReinterpretationRun> Runs) : KnowledgeDocument
{
    public const string LogId = "reinterpretation-runs";

    /// <summary>Runs kept: the log is one point read.</summary>
    public const int Kept = 100;

    public override string Id => LogId;
}

/// <summary>One run: the diffs it covered and what it queued (the queue's work then amends; its poison queue keeps failures).</summary>
public sealed record ReinterpretationRun(
    string RunId, string CreatedAt, string? Since, IReadOnlyList<string> DiffIds, int Affected, int Queued, int Deferred, int ReportsPerMinute);
