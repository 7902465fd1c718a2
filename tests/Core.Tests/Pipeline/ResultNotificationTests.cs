using System.Text;
using PrecisionMed.Core.Pipeline.Ledger;
using PrecisionMed.Core.Pipeline.Notifications;
using PrecisionMed.Core.Pipeline.Work;

namespace PrecisionMed.Core.Tests.Pipeline;

/// <summary>GenomicResultAvailable after each written report: its content, its id, and that it is never lost.</summary>
[Trait("Tier", "Fast")]
public sealed class ResultNotificationTests
{
    private static readonly byte[] Germline = TestFiles.Read("hl7v2/authored/germline_from_cgexample.hl7");

    [Fact]
    public async Task Completed_PublishesReferencesStatusAndIdsOnly()
    {
        using var harness = new PipelineHarness();
        await harness.DropAsync(Germline);

        await harness.Work.HandleAsync(harness.Queue.Messages[0], TestContext.Current.CancellationToken);

        var unit = await harness.UnitAsync(Germline);
        var published = Assert.Single(harness.Notifier.Published);
        Assert.Equal(unit.ReportReference, published.ReportReference);
        Assert.Equal("Patient/server-assigned-1", published.PatientReference);
        Assert.Equal(PipelineHarness.LabId, published.LabId);
        Assert.Equal(unit.Accession, published.Accession);
        Assert.Equal("final", published.Status);
        Assert.Equal(PipelineHarness.FileIdOf(Germline), published.FileId);
        Assert.Equal(PipelineHarness.CorrelationId, published.CorrelationId);
        Assert.Equal(GenomicResultAvailable.MessageIdFor(published.FileId, 0), published.MessageId);
        Assert.Empty(published.Withdrawn);
        Assert.False(string.IsNullOrEmpty(published.KnowledgeVersion), "the embedded knowledge seed enriched the report");

        // No PHI: nothing of the patient's name, birth date or identifier, nor a variant, is in the message.
        var json = published.ToJson();
        foreach (var phi in (string[])["TESTPATIENT", "BRAVO", "SL100002", "19800202", "NM_014049.4", "c.1249C>T", PipelineHarness.BlobName])
            Assert.DoesNotContain(phi, json, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(published with { Withdrawn = [] }, GenomicResultAvailable.FromJson(json)! with { Withdrawn = [] });
    }

    [Fact]
    public async Task PublishFails_UnitNotCompletedAndTheRetryPublishesTheSameMessageId()
    {
        using var harness = new PipelineHarness();
        await harness.DropAsync(Germline);
        harness.Notifier.FailWith = new InvalidOperationException("topic unavailable");

        await Assert.ThrowsAsync<InvalidOperationException>(() => harness.Work.HandleAsync(harness.Queue.Messages[0], TestContext.Current.CancellationToken));
        Assert.NotEqual(UnitState.Completed, (await harness.UnitAsync(Germline)).State);

        harness.Notifier.FailWith = null;
        Assert.Equal(WorkOutcome.Completed, await harness.Work.HandleAsync(harness.Queue.Messages[0], TestContext.Current.CancellationToken));
        Assert.Equal(WorkOutcome.AlreadyCompleted, await harness.Work.HandleAsync(harness.Queue.Messages[0], TestContext.Current.CancellationToken));

        var published = Assert.Single(harness.Notifier.Published);
        Assert.Equal(GenomicResultAvailable.MessageIdFor(PipelineHarness.FileIdOf(Germline), 0), published.MessageId);
    }

    [Fact]
    public async Task Correction_PublishesCorrectedStatusAndWhatWasWithdrawn()
    {
        using var harness = new PipelineHarness();
        await harness.DropAsync(Germline, "germline.hl7");
        await harness.Work.HandleAsync(harness.Queue.Messages[^1], TestContext.Current.CancellationToken);
        var corrected = TestFiles.Read("hl7v2/authored/corrected_germline.hl7");
        await harness.DropAsync(corrected, "germline-corrected.hl7");

        await harness.Work.HandleAsync(harness.Queue.Messages[^1], TestContext.Current.CancellationToken);

        var first = harness.Notifier.Published[0];
        var second = harness.Notifier.Published[1];
        Assert.Equal(first.ReportReference, second.ReportReference);
        Assert.NotEqual(first.MessageId, second.MessageId);
        Assert.Equal("corrected", second.Status);
        Assert.Equal((await harness.UnitAsync(corrected)).WithdrawnReferences, second.Withdrawn);
    }

    [Fact]
    public async Task RejectedUnit_PublishesNothing()
    {
        using var harness = new PipelineHarness();
        var notHl7 = Encoding.UTF8.GetBytes("MSH|^~\\&|LAB|X|EHR|Y|20260101||ORU^R01|1|P|2.5.1\rOBX|1|ST|x^y^LN||v\r");
        await harness.DropAsync(notHl7);
        if (harness.Queue.Messages.Count > 0) await harness.Work.HandleAsync(harness.Queue.Messages[0], TestContext.Current.CancellationToken);

        Assert.Empty(harness.Notifier.Published);
    }
}
