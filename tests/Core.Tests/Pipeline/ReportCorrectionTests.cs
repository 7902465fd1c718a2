using System.Text.Json.Nodes;
using PrecisionMed.Core.Pipeline.Arrival;
using PrecisionMed.Core.Pipeline.Ledger;
using PrecisionMed.Core.Pipeline.Work;

namespace PrecisionMed.Core.Tests.Pipeline;

/// <summary>
/// Amendments (docs/design.md, "Contracts") on the authored pair germline_from_cgexample.hl7 and its correction
/// corrected_germline.hl7 (same accession, OBR-25 C, the complex-variant groups 5a, 5a.1, 5a.2 dropped).
/// </summary>
[Trait("Tier", "Fast")]
public sealed class ReportCorrectionTests
{
    private static readonly byte[] Original = TestFiles.Read("hl7v2/authored/germline_from_cgexample.hl7");
    private static readonly byte[] Corrected = TestFiles.Read("hl7v2/authored/corrected_germline.hl7");

    [Fact]
    public async Task Corrected_ResultsNoLongerSent_EnteredInErrorAndRecorded()
    {
        using var harness = new PipelineHarness();
        var firstUnit = await IngestAsync(harness, Original, "germline.hl7");
        Assert.Empty(firstUnit.WithdrawnReferences);
        var before = harness.Writer.Written.Count;

        var unit = await IngestAsync(harness, Corrected, "germline-corrected.hl7");

        var withdrawn = unit.WithdrawnReferences;
        Assert.NotEmpty(withdrawn);
        Assert.Equal(firstUnit.ResourceReferences.Except(unit.ResourceReferences).Order(), withdrawn.Order());
        Assert.All(withdrawn, r => Assert.DoesNotContain(r, unit.ResourceReferences));

        // The withdrawal bundle comes before the corrected report, and sets only the status.
        var withdrawal = harness.Writer.Written[before];
        var entries = withdrawal["entry"]!.AsArray().Select(e => e!.AsObject()).ToList();
        Assert.Equal(withdrawn.Order(), entries.Select(e => e["request"]!["url"]!.GetValue<string>()).Order());
        Assert.All(entries, e => Assert.Equal("entered-in-error", e["resource"]!["status"]!.GetValue<string>()));
        Assert.All(entries, e => Assert.Equal("PUT", e["request"]!["method"]!.GetValue<string>()));

        // The complex variant's Genotype and its implication are among them; the report itself is corrected.
        var resources = await Task.WhenAll(withdrawn.Select(r => harness.Writer.ReadAsync(r, TestContext.Current.CancellationToken)));
        Assert.Contains(resources, r => Code(r!) == "84413-4"); // Genotype display name (the complex variant)
        Assert.Contains(resources, r => Code(r!) == "diagnostic-implication"); // its implication
        var report = await harness.Writer.ReadAsync(unit.ReportReference!, TestContext.Current.CancellationToken);
        Assert.Equal("corrected", report!["status"]!.GetValue<string>());
        var results = report["result"]!.AsArray().Select(r => r!["reference"]!.GetValue<string>()).ToList();
        Assert.DoesNotContain(results, withdrawn.Contains);
    }

    [Fact]
    public async Task Corrected_SentTwice_SecondTimeWithdrawsNothing()
    {
        using var harness = new PipelineHarness();
        await IngestAsync(harness, Original, "germline.hl7");
        await IngestAsync(harness, Corrected, "germline-corrected.hl7");

        // The same correction sent again: other bytes (so another file for the ledger), the same report.
        var again = await IngestAsync(harness, Resent(Corrected), "germline-corrected-again.hl7");

        Assert.Empty(again.WithdrawnReferences);
    }

    [Fact]
    public async Task SameReportAgain_NothingWithdrawn()
    {
        using var harness = new PipelineHarness();
        await IngestAsync(harness, Original, "germline.hl7");
        var before = harness.Writer.Written.Count;

        var unit = await IngestAsync(harness, Resent(Original), "germline-resent.hl7");

        Assert.Empty(unit.WithdrawnReferences);
        Assert.DoesNotContain(harness.Writer.Written.Skip(before),
            b => b["entry"]!.AsArray().Any(e => e!["resource"]?["status"]?.GetValue<string>() == "entered-in-error"));
    }

    private static async Task<LedgerUnit> IngestAsync(PipelineHarness harness, byte[] content, string name)
    {
        var outcome = await harness.DropAsync(content, name);
        Assert.Equal(ArrivalOutcome.Queued, outcome);
        var outcomeOfWork = await harness.Work.HandleAsync(harness.Queue.Messages[^1], TestContext.Current.CancellationToken);
        Assert.Equal(WorkOutcome.Completed, outcomeOfWork);
        return await harness.UnitAsync(content);
    }

    /// <summary>The message again with one more segment terminator: other bytes (a new file, not a duplicate), the same report.</summary>
    private static byte[] Resent(byte[] content) => [.. content, (byte)'\r'];

    private static string? Code(JsonObject resource) => resource["code"]?["coding"]?[0]?["code"]?.GetValue<string>();
}
