using Microsoft.Extensions.Options;
using PrecisionMed.Core.Knowledge;
using PrecisionMed.Core.Tests.Fakes;

namespace PrecisionMed.Core.Tests.Knowledge;

[Trait("Tier", "Fast")]
public sealed class KnowledgeLookupTests
{
    private static GeneDocument Gene(string id, string symbol) => new(id, symbol, symbol, null, null, [], [], null, null, []);

    [Fact]
    public async Task Find_MoreDocumentsThanTheCacheHolds_LeastRecentlyUsedAreEvicted()
    {
        var store = new InMemoryKnowledgeStore();
        var ct = TestContext.Current.CancellationToken;
        foreach (var i in Enumerable.Range(1, 5)) await store.UpsertAsync(Gene($"HGNC:{i}", $"G{i}"), ct);
        using var lookup = new KnowledgeLookup(store, Options.Create(new KnowledgeOptions { CacheEntries = 3 }), TimeProvider.System);

        foreach (var i in Enumerable.Range(1, 5)) await lookup.FindGeneAsync($"HGNC:{i}", ct);
        await lookup.FindGeneAsync("HGNC:5", ct);
        var reads = lookup.StoreReads;
        await lookup.FindGeneAsync("HGNC:1", ct);

        Assert.Equal(3, lookup.CachedEntries);
        Assert.Equal(5, reads);
        Assert.Equal(6, lookup.StoreReads);
    }

    [Fact]
    public async Task Version_ChangesAfterRefresh_CacheIsEmptied()
    {
        var store = new InMemoryKnowledgeStore();
        var clock = new FixedTimeProvider(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));
        var ct = TestContext.Current.CancellationToken;
        await store.UpsertAsync(new KnowledgeVersionDocument("kv-1", []), ct);
        await store.UpsertAsync(Gene("HGNC:1", "OLD"), ct);
        using var lookup = new KnowledgeLookup(store, Options.Create(new KnowledgeOptions { VersionRefresh = TimeSpan.FromMinutes(1) }), clock);

        Assert.Equal("kv-1", await lookup.VersionAsync(ct));
        Assert.Equal("OLD", (await lookup.FindGeneAsync("1", ct))?.Symbol);
        await store.UpsertAsync(new KnowledgeVersionDocument("kv-2", []), ct);
        await store.UpsertAsync(Gene("HGNC:1", "NEW"), ct);
        Assert.Equal("kv-1", await lookup.VersionAsync(ct)); // trusted until the refresh interval passes
        clock.Advance(TimeSpan.FromMinutes(2));

        Assert.Equal("kv-2", await lookup.VersionAsync(ct));
        Assert.Equal("NEW", (await lookup.FindGeneAsync("1", ct))?.Symbol);
    }
}
