using PrecisionMed.Adapters.Storage;
using Xunit;

namespace PrecisionMed.Adapters.Tests.Storage;

/// <summary>The one creation that every caller of a queue or container waits for.</summary>
[Trait("Tier", "Fast")]
public sealed class CreateOnceTests
{
    [Fact]
    public async Task Wait_CallersDuringTheCreation_AllWaitForThatOneCreation()
    {
        var ct = TestContext.Current.CancellationToken;
        var created = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        var once = new CreateOnce(() =>
        {
            Interlocked.Increment(ref calls);
            return created.Task;
        });

        var first = once.WaitAsync(ct);
        var second = once.WaitAsync(ct);

        Assert.False(first.IsCompleted);
        Assert.False(second.IsCompleted);
        created.SetResult();
        await Task.WhenAll(first, second, once.WaitAsync(ct));
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task Wait_AfterACreationFailed_TriesAgain()
    {
        var ct = TestContext.Current.CancellationToken;
        var calls = 0;
        var once = new CreateOnce(() => Interlocked.Increment(ref calls) == 1
            ? Task.FromException(new TimeoutException("the storage account did not answer"))
            : Task.CompletedTask);

        await Assert.ThrowsAsync<TimeoutException>(() => once.WaitAsync(ct));
        await once.WaitAsync(ct);
        await once.WaitAsync(ct);

        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task Wait_OneCallerCancelled_TheCreationGoesOnForTheOthers()
    {
        var created = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var once = new CreateOnce(() => created.Task);
        using var gaveUp = new CancellationTokenSource();

        var cancelled = once.WaitAsync(gaveUp.Token);
        var waiting = once.WaitAsync(TestContext.Current.CancellationToken);
        await gaveUp.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.False(waiting.IsCompleted);
        created.SetResult();
        await waiting;
    }
}
