using System.Text.Json;
using PrecisionMed.Core.Pipeline.Arrival;
using PrecisionMed.Core.Pipeline.Ledger;
using PrecisionMed.Core.Pipeline.Replay;
using PrecisionMed.Core.Pipeline.Work;

namespace PrecisionMed.Core.Tests.Pipeline;

/// <summary>
/// A file whose arrival failed on every attempt (the host's blob-trigger poison queue) is not lost: it is recorded as
/// Failed, stays in incoming/, and a replay runs its arrival again.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class ArrivalPoisonTests
{
    private static readonly byte[] Bundle = TestFiles.Read("fhir/ig-examples/Bundle-bundle-cgexample.json");
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private static readonly ReplayRequest ByOperator = new("operator via HTTP", "queue restored", "corr-replay");

    [Fact]
    public async Task PoisonedArrival_QueueWasDown_RecordedFailedThenReplayedToCompleted()
    {
        var ct = TestContext.Current.CancellationToken;
        using var harness = new PipelineHarness();
        harness.Queue.OnEnqueued = (_, _) => throw new IOException("queue down");
        await Assert.ThrowsAsync<IOException>(() => harness.DropAsync(Bundle));
        Assert.Equal(FileState.Received, (await harness.FileAsync(Bundle)).State);

        Assert.True(await harness.ArrivalPoison.HandleAsync(PoisonMessage(PipelineHarness.BlobName), ct));

        var failed = await harness.FileAsync(Bundle);
        Assert.Equal(FileState.Failed, failed.State);
        Assert.Equal(ArrivalPoisonHandler.Reason, failed.Problem!.Reason);
        Assert.True(harness.Store.Exists(PipelineHarness.Incoming()));
        Assert.Contains(failed.FileId, (await harness.Ledger.ListFilesAsync(FileState.Failed, 10, null, ct)).Files.Select(f => f.FileId));

        harness.Queue.OnEnqueued = null;
        var replay = await harness.Replayer.ReplayAsync(failed.FileId, ByOperator, ct);

        Assert.Equal(ReplayOutcome.Replayed, replay.Outcome);
        Assert.Equal(WorkOutcome.Completed, await harness.Work.HandleAsync(harness.Queue.Messages[^1], ct));
        var completed = await harness.FileAsync(Bundle);
        Assert.Equal(FileState.Completed, completed.State);
        Assert.Contains(completed.History, e => e.What.StartsWith("Arrival replayed (1 of 3) by operator via HTTP", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PoisonedArrival_ReplayFailsAgain_BackToFailed()
    {
        var ct = TestContext.Current.CancellationToken;
        using var harness = new PipelineHarness();
        harness.Queue.OnEnqueued = (_, _) => throw new IOException("queue down");
        await Assert.ThrowsAsync<IOException>(() => harness.DropAsync(Bundle));
        await harness.ArrivalPoison.HandleAsync(PoisonMessage(PipelineHarness.BlobName), ct);
        var fileId = (await harness.FileAsync(Bundle)).FileId;

        await Assert.ThrowsAsync<IOException>(() => harness.Replayer.ReplayAsync(fileId, ByOperator, ct));

        Assert.Equal(FileState.Failed, (await harness.FileAsync(Bundle)).State);
    }

    [Fact]
    public async Task PoisonedArrival_FileAlreadySplit_NothingChanged()
    {
        var ct = TestContext.Current.CancellationToken;
        using var harness = new PipelineHarness();
        await harness.DropAsync(Bundle);

        Assert.False(await harness.ArrivalPoison.HandleAsync(PoisonMessage(PipelineHarness.BlobName), ct));
        Assert.Equal(FileState.Split, (await harness.FileAsync(Bundle)).State);
    }

    /// <summary>
    /// The blob extension queues its poison message Base64-encoded; host.json's <c>messageEncoding: none</c> hands the
    /// function that text as stored.
    /// </summary>
    [Fact]
    public async Task PoisonedArrival_Base64AsTheExtensionStoresIt_RecordedFailed()
    {
        var ct = TestContext.Current.CancellationToken;
        using var harness = new PipelineHarness();
        harness.Queue.OnEnqueued = (_, _) => throw new IOException("queue down");
        await Assert.ThrowsAsync<IOException>(() => harness.DropAsync(Bundle));

        var stored = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(PoisonMessage(PipelineHarness.BlobName)));
        Assert.True(await harness.ArrivalPoison.HandleAsync(stored, ct));

        Assert.Equal(FileState.Failed, (await harness.FileAsync(Bundle)).State);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("bm90IGpzb24=")] // "not json", Base64-encoded
    [InlineData("")]
    [InlineData("""{"ContainerName":"archive","BlobName":"lab-a/x.json"}""")]
    [InlineData("""{"ContainerName":"incoming","BlobName":"no-lab-folder"}""")]
    [InlineData("""{"ContainerName":"incoming","BlobName":"lab-a/gone.json"}""")]
    public async Task HandleAsync_NotAnIncomingBlobOrGone_NothingRecorded(string message)
    {
        using var harness = new PipelineHarness();

        Assert.False(await harness.ArrivalPoison.HandleAsync(message, TestContext.Current.CancellationToken));
        Assert.Empty(harness.Ledger.Files);
    }

    /// <summary>The Functions host's poison message for a blob in incoming/ (indented, as the extension serialises it), decoded.</summary>
    private static string PoisonMessage(string blobName) => JsonSerializer.Serialize(new
    {
        Type = "BlobTrigger",
        FunctionId = "Host.Functions.LabFileArrivedFunction",
        BlobType = "BlockBlob",
        ContainerName = "incoming",
        BlobName = $"{PipelineHarness.LabId}/{blobName}",
        ETag = "\"0x8DE0000000000000\"",
    }, Indented);
}
