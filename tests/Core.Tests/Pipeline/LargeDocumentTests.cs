using System.Security.Cryptography;
using System.Text.Json.Nodes;
using PrecisionMed.Core.Pipeline;
using PrecisionMed.Core.Pipeline.Arrival;
using PrecisionMed.Core.Pipeline.Documents;
using PrecisionMed.Core.Pipeline.Work;

namespace PrecisionMed.Core.Tests.Pipeline;

/// <summary>
/// An OBX ED document is carried inline up to Pipeline:MaxInlineDocumentBytes, a larger one is stored in the
/// documents/ area and its DocumentReference and the report's presentedForm point to it, with size and hash. Input: the
/// authored germline message, whose ED is a short text/plain report (63 bytes decoded).
/// </summary>
[Trait("Tier", "Fast")]
public sealed class LargeDocumentTests
{
    private static readonly byte[] Germline = TestFiles.Read("hl7v2/authored/germline_from_cgexample.hl7");
    private static readonly byte[] ReportText = Convert.FromBase64String("UHV0IHRoZSByZXBvcnQgdGV4dCBoZXJlIC0gbWltZS1lbmNvZGVk");

    [Fact]
    public async Task DocumentOverTheLimit_StoredAsideAndReferencedByUrlWithSizeAndHash()
    {
        using var harness = new PipelineHarness(o => o.MaxInlineDocumentBytes = 16);

        var (document, report) = await IngestAsync(harness);

        var attachment = document["content"]![0]!["attachment"]!.AsObject();
        Assert.Null(attachment["data"]);
        var url = attachment["url"]!.GetValue<string>();
        Assert.StartsWith("urn:precisionmed:blob:documents/lab-a/", url, StringComparison.Ordinal);
        Assert.Equal(ReportText.Length, attachment["size"]!.GetValue<long>());
#pragma warning disable CA5350 // FHIR R4 Attachment.hash is SHA-1
        Assert.Equal(Convert.ToBase64String(SHA1.HashData(ReportText)), attachment["hash"]!.GetValue<string>());
#pragma warning restore CA5350
        Assert.Equal(url, report["presentedForm"]![0]!["url"]!.GetValue<string>());

        var stored = Assert.Single(await harness.Store.ListAsync(LabFileAreas.Documents, "lab-a/", TestContext.Current.CancellationToken));
        Assert.EndsWith(document["id"]!.GetValue<string>() + ".txt", stored.Path, StringComparison.Ordinal);
        Assert.Equal(ReportText, harness.Store.Get(stored));
        Assert.Equal("text/plain", harness.Store.ContentTypeOf(stored));
    }

    [Fact]
    public async Task DocumentWithinTheLimit_Inline()
    {
        using var harness = new PipelineHarness();

        var (document, _) = await IngestAsync(harness);

        Assert.Equal(ReportText, Convert.FromBase64String(document["content"]![0]!["attachment"]!["data"]!.GetValue<string>()));
        Assert.Empty(await harness.Store.ListAsync(LabFileAreas.Documents, string.Empty, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task OffloadAsync_WithoutAStore_LeavesEveryDocumentInline()
    {
        var offloader = new ReportDocumentOffloader(Microsoft.Extensions.Options.Options.Create(new PipelineOptions { MaxInlineDocumentBytes = 1 }));
        var report = new Core.LabReports.LabReport
        {
            Accession = "A1",
            Patient = new Core.LabReports.PatientDetails([]),
            Documents = [new Core.LabReports.ReportDocument("d1", "application/pdf", [1, 2, 3], null, "Report")],
        };

        var same = await offloader.OffloadAsync(report, new Core.LabReports.ReportProvenance("lab-a", "incoming/lab-a/x", "00", "x", 0, 1, DateTimeOffset.UnixEpoch, "t"), TestContext.Current.CancellationToken);

        Assert.Same(report, same);
    }

    private static async Task<(JsonObject Document, JsonObject Report)> IngestAsync(PipelineHarness harness)
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(ArrivalOutcome.Queued, await harness.DropAsync(Germline, "germline.hl7"));
        Assert.Equal(WorkOutcome.Completed, await harness.Work.HandleAsync(harness.Queue.Messages[^1], ct));
        var unit = await harness.UnitAsync(Germline);
        // The lab's PDF, not the DocumentReference every report has to its original file.
        var original = "DocumentReference/" + Core.Fhir.DeterministicIds.ForReportResource(PipelineHarness.LabId, unit.Accession!, "DocumentReference", "source-file");
        var documentReference = unit.ResourceReferences.Single(r => r.StartsWith("DocumentReference/", StringComparison.Ordinal) && r != original);
        return ((await harness.Writer.ReadAsync(documentReference, ct))!, (await harness.Writer.ReadAsync(unit.ReportReference!, ct))!);
    }
}
