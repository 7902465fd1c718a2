using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using PrecisionMed.Core.Pipeline;
using PrecisionMed.Core.Pipeline.Ledger;
using PrecisionMed.Functions.Tests.Hosting;
using PrecisionMed.Functions.Triggers;
using PrecisionMed.Testing.HostileInput;
using PrecisionMed.Testing.Stack;

namespace PrecisionMed.Functions.Tests.EndToEnd;

/// <summary>What happens to bad files, dead FHIR services and poison messages, through the real emulators.</summary>
[Trait("Tier", "Stack")]
public sealed class LabFileFailureEndToEndTests(LocalStackFixture stack)
{
    private static readonly string SampleBundle = Path.Combine(AppContext.BaseDirectory, "TestData", "fhir", "ig-examples", "Bundle-bundle-pgxexample.json");

    [Fact]
    public async Task GarbageFile_Arrives_IsRejectedWithErrorReportAndKept()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = new PipelineHost(stack.Stack);
        const string lab = "lab-garbage";
        const string name = "2026/results-garbage.txt";
        var content = Encoding.UTF8.GetBytes("this is not a lab result\n");

        await host.UploadAsync(lab, name, content, ct);
        await host.ArriveAsync(lab, name, ct);

        Assert.Empty(await host.DrainWorkQueueAsync(ct));
        Assert.False(await host.ExistsAsync(LabFileAreas.Incoming, $"{lab}/{name}", ct));
        Assert.Equal(content, await host.ReadBlobAsync(LabFileAreas.Rejected, Originals.Rejected(lab, content, name), ct));
        var report = LabFileErrorReport.Parse(await host.ReadBlobAsync(LabFileAreas.Rejected, Originals.Rejected(lab, content, name) + ".error.json", ct))!;
        Assert.Equal($"incoming/{lab}/{name}", report.File);
        Assert.Equal(1, report.Position!.Line);
        Assert.Contains("could not be recognised", report.Reason, StringComparison.Ordinal);

        var file = await host.Ledger.FindFileAsync(FileIdOf(lab, content), ct);
        Assert.Equal(FileState.Rejected, file!.State);
        Assert.Equal("rejected/" + Originals.Rejected(lab, content, name), file.StoredAt);
    }

    [Fact]
    public async Task GzipBomb_Arrives_IsRejectedNamingTheLimitAndKept()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = new PipelineHost(stack.Stack);
        const string lab = "lab-bomb";
        const string name = "results.vcf.gz";
        var content = GzipBombs.OneGibibyteOfZerosAfterAVcfHeader();

        await host.UploadAsync(lab, name, content, ct);
        await host.ArriveAsync(lab, name, ct);

        Assert.Empty(await host.DrainWorkQueueAsync(ct));
        Assert.False(await host.ExistsAsync(LabFileAreas.Incoming, $"{lab}/{name}", ct));
        Assert.Equal(content, await host.ReadBlobAsync(LabFileAreas.Rejected, Originals.Rejected(lab, content, name), ct));
        var report = LabFileErrorReport.Parse(await host.ReadBlobAsync(LabFileAreas.Rejected, Originals.Rejected(lab, content, name) + ".error.json", ct))!;
        Assert.Contains("gzip bomb", report.Reason, StringComparison.Ordinal);
        Assert.Contains("Limits:MaxDecompressionRatio", report.Reason, StringComparison.Ordinal);
        Assert.Equal(FileState.Rejected, (await host.Ledger.FindFileAsync(FileIdOf(lab, content), ct))!.State);
    }

    [Fact]
    public async Task InvalidJsonBundle_Arrives_ErrorReportNamesLineAndColumn()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = new PipelineHost(stack.Stack);
        const string lab = "lab-badjson";
        const string name = "broken.json";
        var content = Encoding.UTF8.GetBytes("{\n  \"resourceType\": \"Bundle\",\n  \"type\": \"collection\",\n  \"entry\": [ { \"resource\": } ]\n}\n");

        await host.UploadAsync(lab, name, content, ct);
        await host.ArriveAsync(lab, name, ct);

        var report = LabFileErrorReport.Parse(await host.ReadBlobAsync(LabFileAreas.Rejected, Originals.Rejected(lab, content, name) + ".error.json", ct))!;
        Assert.Equal(4, report.Position!.Line);
        Assert.NotNull(report.Position.Column);
        Assert.Contains("not valid JSON", report.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FhirServiceDown_UnitWaitsItsItemQueuedAgainHiddenForTheDelayOriginalKept()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = new PipelineHost(stack.Stack, new Dictionary<string, string?>
        {
            ["Fhir:BaseUrl"] = $"http://127.0.0.1:{LoopbackPorts.Closed}/",
            ["Fhir:MaxRetries"] = "1",
        });
        const string lab = "lab-fhirdown";
        var name = Path.GetFileName(SampleBundle);
        var content = await File.ReadAllBytesAsync(SampleBundle, ct);

        await host.UploadAsync(lab, name, content, ct);
        await host.ArriveAsync(lab, name, ct);
        var message = (await host.WorkQueue.ReceiveMessageAsync(cancellationToken: ct)).Value;

        await host.Function<ReportQueuedFunction>().RunAsync(message.MessageText, ct);
        await host.WorkQueue.DeleteMessageAsync(message.MessageId, message.PopReceipt, ct); // as the host does when a function returns

        var unit = await host.Ledger.FindUnitAsync(FileIdOf(lab, content), 0, ct);
        Assert.Equal((UnitState.Waiting, 1), (unit!.State, unit.Attempt));
        Assert.Equal("the FHIR service could not be reached", unit.WaitingReason);
        Assert.InRange(unit.NextAttemptAt!.Value - unit.UpdatedAt, TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(30)); // the default first delay, jittered
        Assert.True(await host.ExistsAsync(LabFileAreas.Incoming, $"{lab}/{name}", ct));
        // The next attempt is on the queue, hidden until its time: nothing to receive now.
        Assert.Equal(1, (await host.WorkQueue.GetPropertiesAsync(ct)).Value.ApproximateMessagesCount);
        Assert.Null((await host.WorkQueue.ReceiveMessageAsync(cancellationToken: ct)).Value);
    }

    [Fact]
    public async Task PoisonMessage_MarksUnitFailedWritesErrorReportKeepsOriginal()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = new PipelineHost(stack.Stack);
        const string lab = "lab-poison";
        var name = Path.GetFileName(SampleBundle);
        var content = await File.ReadAllBytesAsync(SampleBundle, ct);
        await host.UploadAsync(lab, name, content, ct);
        await host.ArriveAsync(lab, name, ct);
        var message = (await host.WorkQueue.ReceiveMessageAsync(cancellationToken: ct)).Value;

        await host.Function<PoisonReportFunction>().RunAsync(message.MessageText, ct);

        var fileId = FileIdOf(lab, content);
        Assert.Equal(UnitState.Failed, (await host.Ledger.FindUnitAsync(fileId, 0, ct))!.State);
        Assert.Equal(FileState.Failed, (await host.Ledger.FindFileAsync(fileId, ct))!.State);
        Assert.True(await host.ExistsAsync(LabFileAreas.Incoming, $"{lab}/{name}", ct));
        var report = LabFileErrorReport.Parse(await host.ReadBlobAsync(LabFileAreas.Rejected, Originals.UnitErrorReport(lab, content, name, 0), ct))!;
        Assert.Equal(0, report.UnitIndex);
        Assert.Contains("every delivery attempt", report.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FileStatus_KnownAndUnknownFile_ReturnsLedgerOr404()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = new PipelineHost(stack.Stack);
        const string lab = "lab-status";
        var name = Path.GetFileName(SampleBundle);
        var content = await File.ReadAllBytesAsync(SampleBundle, ct);
        await host.UploadAsync(lab, name, content, ct);
        await host.ArriveAsync(lab, name, ct);
        await host.DrainWorkQueueAsync(ct);
        var fileId = FileIdOf(lab, content);
        var context = host.Context("FileStatusFunction", ct);

        var found = (TestHttpResponse)await HttpApiFunctions.FileStatusAsync(new TestHttpRequest(context, "GET", new Uri($"http://localhost/api/files/{fileId}")), fileId);
        var missing = (TestHttpResponse)await HttpApiFunctions.FileStatusAsync(new TestHttpRequest(context, "GET", new Uri("http://localhost/api/files/nope")), "nope");

        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        var body = JsonNode.Parse(found.ReadBody())!;
        Assert.Equal("Completed", body["file"]!["state"]!.GetValue<string>());
        Assert.Equal("Completed", body["units"]![0]!["state"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Health_Answers200()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = new PipelineHost(stack.Stack);
        var context = host.Context("HealthFunction", ct);

        var response = (TestHttpResponse)await HttpApiFunctions.HealthAsync(new TestHttpRequest(context, "GET", new Uri("http://localhost/api/health")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", JsonNode.Parse(response.ReadBody())!["status"]!.GetValue<string>());
    }

    private static string FileIdOf(string lab, byte[] content) => LabFileIds.For(lab, Convert.ToHexStringLower(SHA256.HashData(content)));
}
