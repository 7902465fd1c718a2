namespace PrecisionMed.Core.Knowledge;

/// <summary>Settings of the knowledge store and its cache (section <c>Knowledge</c>).</summary>
public sealed class KnowledgeOptions
{
    public const string SectionName = "Knowledge";

    /// <summary><c>Embedded</c> (the seed in the assembly, the default) or <c>Cosmos</c> (the adapter, with the <c>Cosmos</c> section).</summary>
    public string Store { get; set; } = "Embedded";

    /// <summary>The most documents (and known absences) the in-process cache holds; the least recently used go first.</summary>
    public int CacheEntries { get; set; } = 50_000;

    /// <summary>How long the store's version is trusted before it is read again; a new version empties the cache.</summary>
    public TimeSpan VersionRefresh { get; set; } = TimeSpan.FromMinutes(1);

    public bool UsesCosmos => string.Equals(Store, "Cosmos", StringComparison.OrdinalIgnoreCase);
}
