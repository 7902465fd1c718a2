using System.ComponentModel.DataAnnotations;

namespace PrecisionMed.Core.Knowledge;

/// <summary>Settings of the knowledge store and its cache (section <c>Knowledge</c>).</summary>
public sealed class KnowledgeOptions
{
    public const string SectionName = "Knowledge";

    /// <summary>
    /// The key of the <see cref="IKnowledgeStore"/> that holds the knowledge diff log and the reinterpretation run log (the
    /// Cosmos DB container, whenever the app has a Cosmos DB account), for a host whose knowledge reads go elsewhere
    /// (<see cref="Store"/> <c>Embedded</c>): the embedded seed holds no logs, and reading it would report none.
    /// </summary>
    public const string LogStoreKey = "knowledge-logs";

    private const string AtLeast = "{0} must be at least {1}";

    /// <summary><c>Embedded</c> (the seed in the assembly, the default) or <c>Cosmos</c> (the adapter, with the <c>Cosmos</c> section).</summary>
    [RegularExpression("(?i)^(embedded|cosmos)$", ErrorMessage = "{0} must be Embedded or Cosmos")]
    public string Store { get; set; } = "Embedded";

    /// <summary>The most documents (and known absences) the in-process cache holds; the least recently used go first.</summary>
    [Range(0, int.MaxValue, ErrorMessage = AtLeast)]
    public int CacheEntries { get; set; } = 50_000;

    /// <summary>How long the store's version is trusted before it is read again; a new version empties the cache.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan VersionRefresh { get; set; } = TimeSpan.FromMinutes(1);

    public bool UsesCosmos => string.Equals(Store, "Cosmos", StringComparison.OrdinalIgnoreCase);
}
