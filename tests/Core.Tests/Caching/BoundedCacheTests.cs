using PrecisionMed.Core.Caching;

namespace PrecisionMed.Core.Tests.Caching;

[Trait("Tier", "Fast")]
public sealed class BoundedCacheTests
{
    [Fact]
    public void GetOrAdd_SameCharacters_WorksTheValueOutOnce()
    {
        var cache = new BoundedCache<string>(10);
        var made = 0;
        string Make(string s)
        {
            made++;
            return s.ToUpperInvariant();
        }

        Span<char> composed = stackalloc char[3];
        "abc".CopyTo(composed);

        Assert.Equal("ABC", cache.GetOrAdd("abc", "abc", Make));
        Assert.Equal("ABC", cache.GetOrAdd(composed, "abc", Make));
        Assert.Equal(1, made);
    }

    [Fact]
    public void GetOrAdd_OnceFull_KeepsNoMoreButStillAnswers()
    {
        var cache = new BoundedCache<int>(2);
        var made = 0;
        int Make(int n)
        {
            made++;
            return n * 10;
        }

        Assert.Equal(10, cache.GetOrAdd("1", 1, Make));
        Assert.Equal(20, cache.GetOrAdd("2", 2, Make));
        Assert.Equal(30, cache.GetOrAdd("3", 3, Make));
        Assert.Equal(30, cache.GetOrAdd("3", 3, Make));
        Assert.Equal(10, cache.GetOrAdd("1", 1, Make));
        Assert.Equal(4, made); // "3" is worked out each time; "1" and "2" were kept
    }

    [Fact]
    public void GetOrAdd_NullValues_AreKeptToo()
    {
        var cache = new BoundedCache<string?>(4);
        var made = 0;

        Assert.Null(cache.GetOrAdd("not a url", 0, _ => { made++; return null; }));
        Assert.Null(cache.GetOrAdd("not a url", 0, _ => { made++; return null; }));
        Assert.Equal(1, made);
    }

    [Fact]
    public async Task GetOrAdd_ManyThreads_NeverExceedsTheBound()
    {
        var cache = new BoundedCache<string>(100);
        var made = 0;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < 1_000; i++)
            {
                var key = (i % 300).ToString(System.Globalization.CultureInfo.InvariantCulture);
                Assert.Equal("v" + key, cache.GetOrAdd(key, key, k => { Interlocked.Increment(ref made); return "v" + k; }));
            }
        })));

        // Once full every later key is worked out again: kept ones are the first 100 or so distinct keys at most.
        var kept = Enumerable.Range(0, 300).Count(i =>
        {
            var worked = false;
            cache.GetOrAdd(i.ToString(System.Globalization.CultureInfo.InvariantCulture), 0, _ => { worked = true; return string.Empty; });
            return !worked;
        });
        Assert.InRange(kept, 1, 100);
    }
}
