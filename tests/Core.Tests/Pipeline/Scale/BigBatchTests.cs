using System.Globalization;
using System.IO.Compression;
using PrecisionMed.Core.Pipeline.Arrival;
using PrecisionMed.Core.Pipeline.Ledger;
using PrecisionMed.Core.Pipeline.Work;

namespace PrecisionMed.Core.Tests.Pipeline.Scale;

/// <summary>
/// A batch of many HL7 v2 messages is read about once in all, not once per message, and finishing it costs ledger
/// requests in proportion to its messages, not to their square. The counts come from the fakes' request counters,
/// which count as Blob Storage and Cosmos DB would (an open or a version look-up is a request; a query is a request).
/// </summary>
[Trait("Tier", "Fast")]
public sealed class BigBatchTests
{
    /// <summary>200 keeps the unit tier quick; <c>PMED_BIG_BATCH_MESSAGES=1000</c> gives the README's figures.</summary>
    private static readonly int Messages =
        int.TryParse(Environment.GetEnvironmentVariable("PMED_BIG_BATCH_MESSAGES"), CultureInfo.InvariantCulture, out var messages) ? messages : 200;

    [Fact]
    public async Task ManyMessageBatch_EachUnitReadsOnlyItsMessage_FileFinishesInLinearLedgerRequests()
    {
        using var harness = new PipelineHarness();
        var ct = TestContext.Current.CancellationToken;
        var batch = Hl7Batches.Of(Messages);
        harness.Store.ResetReadCounts();
        harness.Ledger.ResetRequestCounts();

        Assert.Equal(ArrivalOutcome.Queued, await harness.DropAsync(batch, "2026/batch.hl7"));
        var arrival = (Reads: harness.Store.ReadRequests, Bytes: harness.Store.BytesRead, Ledger: harness.Ledger.Requests);
        harness.Store.ResetReadCounts();
        harness.Ledger.ResetRequestCounts();

        foreach (var message in harness.Queue.Messages)
            Assert.Equal(WorkOutcome.Completed, await harness.Work.HandleAsync(message, ct));

        Assert.Equal(FileState.Completed, (await harness.FileAsync(batch)).State);
        var work = (Reads: harness.Store.ReadRequests, Bytes: harness.Store.BytesRead, Ledger: harness.Ledger.Requests, Listed: harness.Ledger.UnitRecordsQueried);
        TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Messages}-message batch of {batch.Length} bytes: arrival {arrival.Reads} blob reads, {arrival.Bytes} bytes, {arrival.Ledger} ledger requests; "
            + $"work {work.Reads} blob reads, {work.Bytes} bytes, {work.Ledger} ledger requests, {work.Listed} unit records queried"));

        // Each unit: one version look-up and one ranged read of its own message; in all, the file's bytes once. The
        // finisher looks the version up once more before it archives (an overwritten file is not archived).
        Assert.Equal((2 * Messages) + 1, work.Reads);
        Assert.True(work.Bytes <= batch.Length, $"{work.Bytes} bytes read for a file of {batch.Length}");
        // Per unit: file record, unit record, claim, completion, and the finisher's file record and one-record query;
        // the last unit lists the file's units once.
        Assert.True(work.Ledger <= 7 * Messages, $"{work.Ledger} ledger requests");
        Assert.True(work.Listed <= 2 * Messages, $"{work.Listed} unit records queried");
    }

    [Fact]
    public async Task CompressedBatch_UnitsReadTheWholeFile_AndStillComplete()
    {
        using var harness = new PipelineHarness();
        var ct = TestContext.Current.CancellationToken;
        var plain = Hl7Batches.Of(3);
        using var compressed = new MemoryStream();
        await using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true)) await gzip.WriteAsync(plain, ct);
        var batch = compressed.ToArray();

        await harness.DropAsync(batch, "2026/batch.hl7.gz");

        // A range of compressed bytes is no message: no ranges are recorded, and each unit reads the file whole.
        for (var unit = 0; unit < 3; unit++) Assert.Null((await harness.UnitAsync(batch, unit)).Range);
        foreach (var message in harness.Queue.Messages)
            Assert.Equal(WorkOutcome.Completed, await harness.Work.HandleAsync(message, ct));
        Assert.Equal(FileState.Completed, (await harness.FileAsync(batch)).State);
    }

    [Fact]
    public async Task MessageWithoutRecordedRange_ReadsTheWholeFileAndBuildsTheSameReport()
    {
        using var harness = new PipelineHarness();
        var ct = TestContext.Current.CancellationToken;
        var batch = Hl7Batches.Of(3);
        await harness.DropAsync(batch, "2026/batch.hl7");
        await harness.Work.HandleAsync(harness.Queue.Messages[0], ct);
        var ranged = harness.Writer.Written[^1].ToJsonString();

        // A unit recorded before ranges were kept (or by a file recorded without a version) is split from the whole file.
        var unit = await harness.UnitAsync(batch, 1);
        await harness.Ledger.SaveUnitAsync(unit with { Range = null }, ct);
        harness.Store.ResetReadCounts();
        Assert.Equal(WorkOutcome.Completed, await harness.Work.HandleAsync(harness.Queue.Messages[1], ct));

        Assert.True(harness.Store.BytesRead >= batch.Length);
        Assert.Equal(ranged.Replace("SL-BIG-00000", "SL-BIG-00001", StringComparison.Ordinal).Length, harness.Writer.Written[^1].ToJsonString().Length);
    }

    [Fact]
    public async Task RangedUnit_ParseProblem_NamesTheLineInTheWholeFile()
    {
        using var harness = new PipelineHarness();
        var ct = TestContext.Current.CancellationToken;
        var text = System.Text.Encoding.UTF8.GetString(Hl7Batches.Of(2));
        // The second message's PID loses its segment name: the problem must point at its line in the file, not in the message.
        var second = text.IndexOf("MSH|", text.IndexOf("MSH|", StringComparison.Ordinal) + 1, StringComparison.Ordinal);
        var pid = text.IndexOf("\rPID|", second, StringComparison.Ordinal) + 1;
        var broken = System.Text.Encoding.UTF8.GetBytes(text[..pid] + "P1D" + text[(pid + 3)..]);
        await harness.DropAsync(broken, "2026/batch.hl7");

        Assert.Equal(WorkOutcome.Rejected, await harness.Work.HandleAsync(harness.Queue.Messages[1], ct));
        var fromRange = (await harness.UnitAsync(broken, 1)).Problem!;

        // The same unit split from the whole file, as before ranges were kept, names the same place.
        var unit = await harness.UnitAsync(broken, 1);
        await harness.Ledger.SaveUnitAsync(unit with { State = UnitState.Pending, Range = null, Problem = null }, ct);
        Assert.Equal(WorkOutcome.Rejected, await harness.Work.HandleAsync(harness.Queue.Messages[1], ct));
        var fromFile = (await harness.UnitAsync(broken, 1)).Problem!;

        Assert.True(fromRange.Position.Line > text[..second].Count(c => c == '\r'), $"line {fromRange.Position.Line}");
        Assert.Equal(fromFile, fromRange);
    }
}
