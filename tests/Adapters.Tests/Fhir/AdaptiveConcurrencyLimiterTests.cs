using PrecisionMed.Adapters.Fhir;
using Xunit;

namespace PrecisionMed.Adapters.Tests.Fhir;

[Trait("Tier", "Fast")]
public sealed class AdaptiveConcurrencyLimiterTests
{
    [Fact]
    public void Throttled_HalvesOncePerRoundAndSuccessesRegainIt()
    {
        using var limiter = new AdaptiveConcurrencyLimiter(8, queueLimit: 10, TimeProvider.System);
        var sentBefore = limiter.Generation;

        limiter.Throttled(sentBefore);
        limiter.Throttled(sentBefore); // the same round of requests: no second halving
        Assert.Equal(4, limiter.CurrentLimit);

        limiter.Throttled(limiter.Generation);
        limiter.Throttled(limiter.Generation);
        limiter.Throttled(limiter.Generation);
        Assert.Equal(1, limiter.CurrentLimit); // never below one

        for (var i = 0; i < 200; i++) limiter.Succeeded();
        Assert.Equal(8, limiter.CurrentLimit); // and never above the maximum
    }

    [Fact]
    public async Task Acquire_AtTheLimit_WaitsForARelease()
    {
        using var limiter = new AdaptiveConcurrencyLimiter(1, queueLimit: 10, TimeProvider.System);
        var ct = TestContext.Current.CancellationToken;
        var first = await limiter.AcquireAsync(1, ct);

        var second = limiter.AcquireAsync(1, ct).AsTask();
        await Task.Delay(50, ct);
        Assert.False(second.IsCompleted);

        first.Dispose();
        using var lease = await second.WaitAsync(TimeSpan.FromSeconds(5), ct);
        Assert.True(lease.IsAcquired);
    }

    [Fact]
    public async Task Acquire_Halved_OnlyTheNewLimitIsLetThrough()
    {
        using var limiter = new AdaptiveConcurrencyLimiter(4, queueLimit: 10, TimeProvider.System);
        var ct = TestContext.Current.CancellationToken;
        limiter.Throttled(limiter.Generation);

        using var a = await limiter.AcquireAsync(1, ct);
        using var b = await limiter.AcquireAsync(1, ct);
        using var c = limiter.AttemptAcquire(1);

        Assert.True(a.IsAcquired && b.IsAcquired);
        Assert.False(c.IsAcquired);
    }

    [Fact]
    public async Task Acquire_QueueFull_FailsAtOnceAndCancelledWaiterLeavesTheQueue()
    {
        using var limiter = new AdaptiveConcurrencyLimiter(1, queueLimit: 1, TimeProvider.System);
        var ct = TestContext.Current.CancellationToken;
        using var held = await limiter.AcquireAsync(1, ct);
        using var cancel = new CancellationTokenSource();

        var waiting = limiter.AcquireAsync(1, cancel.Token).AsTask();
        using var refused = await limiter.AcquireAsync(1, ct);
        Assert.False(refused.IsAcquired);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.Equal(0, limiter.GetStatistics()!.CurrentQueuedCount);
    }
}
