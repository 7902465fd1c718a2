using System.Text;
using System.Text.Json.Nodes;
using PrecisionMed.Core.Pipeline.Arrival;
using PrecisionMed.Core.Pipeline.Ledger;
using PrecisionMed.Core.Pipeline.Work;

namespace PrecisionMed.Core.Tests.Pipeline;

/// <summary>
/// Amendments that are not HL7 corrections (docs/design.md, "Contracts"): a VCF sent again for the same accession and patient (both
/// stated in its manifest) after re-analysis, and an HL7 v2 cancellation (OBR-25 X) of a report already written.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class ReportAmendmentTests
{
    private const string VcfName = "runs/NB6TK328_filtered.vcf";
    private static readonly byte[] Vcf = TestFiles.Read("vcf/vcf2fhir/NB6TK328_filtered.vcf");
    private static readonly byte[] Germline = TestFiles.Read("hl7v2/authored/germline_from_cgexample.hl7");
    private static readonly byte[] Cancelled = TestFiles.Read("hl7v2/authored/cancelled_germline.hl7");

    [Fact]
    public async Task ResentVcf_SameAccessionOneVariantFewer_ReportAmendedAndTheVariantWithdrawn()
    {
        var ct = TestContext.Current.CancellationToken;
        using var harness = new PipelineHarness();
        var first = await IngestAsync(harness, Vcf, VcfName);
        Assert.Equal("final", await StatusAsync(harness, first.ReportReference!));

        var reanalysed = WithoutRecordAt(Vcf, "chr19\t38499670\t");
        var second = await IngestAsync(harness, reanalysed, VcfName);

        Assert.Equal(first.ReportReference, second.ReportReference);
        Assert.Equal(first.Accession, second.Accession);
        Assert.Equal("amended", await StatusAsync(harness, second.ReportReference!));
        // The variant no longer called goes, with what was derived from it (its implication and consequences).
        var withdrawn = (await Task.WhenAll(second.WithdrawnReferences.Select(r => harness.Writer.ReadAsync(r, ct)))).Select(r => r!).ToList();
        Assert.Equal(first.ResourceReferences.Except(second.ResourceReferences).Order(), second.WithdrawnReferences.Order());
        Assert.All(withdrawn, r => Assert.Equal("entered-in-error", r["status"]!.GetValue<string>()));
        var variant = Assert.Single(withdrawn, r => CodeOf(r) == "69548-6");
        Assert.Contains(variant["component"]!.AsArray(), c => c!.ToJsonString().Contains("38499670", StringComparison.Ordinal));
        TestContext.Current.TestOutputHelper?.WriteLine(string.Join(", ", withdrawn.Select(CodeOf)));
        Assert.Equal("amended", harness.Notifier.Published[^1].Status);
    }

    [Fact]
    public async Task ResentVcf_RedeliveredAfterTheAmendment_StaysAmendedAndWritesNothingNew()
    {
        var ct = TestContext.Current.CancellationToken;
        using var harness = new PipelineHarness();
        await IngestAsync(harness, Vcf, VcfName);
        var reanalysed = WithoutRecordAt(Vcf, "chr19\t38499670\t");
        var amended = await IngestAsync(harness, reanalysed, VcfName);

        // The queue delivers the same work item again after the unit completed: the ledger skips it.
        Assert.Equal(WorkOutcome.AlreadyCompleted, await harness.Work.HandleAsync(harness.Queue.Messages[^1], ct));
        Assert.Equal("amended", await StatusAsync(harness, amended.ReportReference!));
    }

    [Fact]
    public async Task SameVcfTwiceUnderOneName_NotAnAmendment()
    {
        using var harness = new PipelineHarness();
        var first = await IngestAsync(harness, Vcf, VcfName);

        Assert.Equal(ArrivalOutcome.Duplicate, await harness.DropAsync(Vcf, VcfName, accessionPrefix: "WES-2026-"));
        Assert.Equal("final", await StatusAsync(harness, first.ReportReference!));
    }

    [Fact]
    public async Task CancelledOru_AfterTheFinalReport_ReportCancelledAndEveryResultWithdrawn()
    {
        var ct = TestContext.Current.CancellationToken;
        using var harness = new PipelineHarness();
        var original = await IngestAsync(harness, Germline, "germline.hl7");

        var cancelled = await IngestAsync(harness, Cancelled, "germline-cancelled.hl7");

        Assert.Equal(original.ReportReference, cancelled.ReportReference);
        var report = await harness.Writer.ReadAsync(cancelled.ReportReference!, ct);
        Assert.Equal("cancelled", report!["status"]!.GetValue<string>());
        Assert.Null(report["result"]);
        // Every Observation the final report wrote is withdrawn; the order and specimen stay (the order revoked).
        var observations = original.ResourceReferences.Where(r => r.StartsWith("Observation/", StringComparison.Ordinal)).Order().ToList();
        Assert.NotEmpty(observations);
        Assert.Equal(observations, cancelled.WithdrawnReferences.Where(r => r.StartsWith("Observation/", StringComparison.Ordinal)).Order());
        foreach (var reference in cancelled.WithdrawnReferences)
            Assert.Equal("entered-in-error", (await harness.Writer.ReadAsync(reference, ct))!["status"]!.GetValue<string>());
        var order = cancelled.ResourceReferences.Single(r => r.StartsWith("ServiceRequest/", StringComparison.Ordinal));
        Assert.Equal("revoked", (await harness.Writer.ReadAsync(order, ct))!["status"]!.GetValue<string>());
        Assert.Equal("cancelled", harness.Notifier.Published[^1].Status);
    }

    private static async Task<LedgerUnit> IngestAsync(PipelineHarness harness, byte[] content, string name)
    {
        Assert.Equal(ArrivalOutcome.Queued, await harness.DropAsync(content, name, accessionPrefix: "WES-2026-"));
        Assert.Equal(WorkOutcome.Completed, await harness.Work.HandleAsync(harness.Queue.Messages[^1], TestContext.Current.CancellationToken));
        return await harness.UnitAsync(content);
    }

    private static string? CodeOf(JsonObject resource) => resource["code"]?["coding"]?[0]?["code"]?.GetValue<string>();

    private static async Task<string?> StatusAsync(PipelineHarness harness, string reference) =>
        (await harness.Writer.ReadAsync(reference, TestContext.Current.CancellationToken))?["status"]?.GetValue<string>();

    /// <summary>The VCF with the record line starting <paramref name="prefix"/> removed (a re-analysis that no longer calls it).</summary>
    private static byte[] WithoutRecordAt(byte[] vcf, string prefix)
    {
        var lines = Encoding.UTF8.GetString(vcf).Split('\n');
        Assert.Single(lines, l => l.StartsWith(prefix, StringComparison.Ordinal));
        return Encoding.UTF8.GetBytes(string.Join('\n', lines.Where(l => !l.StartsWith(prefix, StringComparison.Ordinal))));
    }
}
