using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using PrecisionMed.Cli.Ledger;
using PrecisionMed.Core.Pipeline;
using PrecisionMed.Core.Pipeline.Arrival;
using PrecisionMed.Core.Pipeline.Ledger;
using PrecisionMed.Functions.Tests.Hosting;
using PrecisionMed.Functions.Triggers;
using PrecisionMed.Testing.Stack;

namespace PrecisionMed.Functions.Tests.EndToEnd;

/// <summary>
/// A unit fails for good while the FHIR service is unreachable (queue retries, then the poison path), shows up in the
/// ledger listing, and a replay through the HTTP function or <c>pmed replay</c> completes it once the service is back.
/// </summary>
[Trait("Tier", "Stack")]
public sealed class ReplayEndToEndTests(LocalStackFixture stack)
{
    private static readonly string SampleBundle = Path.Combine(AppContext.BaseDirectory, "TestData", "fhir", "ig-examples", "Bundle-bundle-pgxexample.json");

    [Fact]
    public async Task FailedUnit_ListedAsFailed_ReplayedThroughHttpFunction_Completes()
    {
        var ct = TestContext.Current.CancellationToken;
        const string lab = "lab-replay-http";
        await using var broken = BrokenHost();
        var (fileId, name) = await FailOneFileAsync(broken, lab, ct);

        var listed = (TestHttpResponse)await HttpApiFunctions.FileListAsync(
            new TestHttpRequest(broken.Context("FileListFunction", ct), "GET", new Uri("http://localhost/api/files?state=Failed")));
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        var files = JsonNode.Parse(listed.ReadBody())!["files"]!.AsArray();
        var failed = Assert.Single(files, f => (string?)f!["fileId"] == fileId)!;
        Assert.Equal("Failed", (string?)failed["state"]);
        Assert.Equal(lab, (string?)failed["labId"]);
        Assert.Equal(1, (int?)failed["units"]!["Failed"]);
        Assert.Contains("longer than the retry budget", (string?)failed["lastProblem"]!["reason"], StringComparison.Ordinal);
        Assert.DoesNotContain(name, listed.ReadBody(), StringComparison.Ordinal);

        await using var healthy = new PipelineHost(stack.Stack, sharedWith: broken);
        var context = healthy.Context("FileReplayFunction", ct);
        var response = (TestHttpResponse)await HttpApiFunctions.FileReplayAsync(
            new TestHttpRequest(context, "POST", new Uri($"http://localhost/api/files/{fileId}/replay?reason=FHIR%20service%20restored")), fileId);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("Replayed", (string?)JsonNode.Parse(response.ReadBody())!["outcome"]);
        Assert.Single(await healthy.DrainWorkQueueAsync(ct));
        await AssertCompletedAsync(healthy, fileId, lab, name, "requested by API (FHIR service restored)", ct);

        var again = (TestHttpResponse)await HttpApiFunctions.FileReplayAsync(new TestHttpRequest(context, "POST", new Uri($"http://localhost/api/files/{fileId}/replay")), fileId);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("nothing to replay", again.ReadBody(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailedUnit_ReplayedWithPmed_Completes()
    {
        var ct = TestContext.Current.CancellationToken;
        const string lab = "lab-replay-cli";
        await using var broken = BrokenHost();
        var (fileId, name) = await FailOneFileAsync(broken, lab, ct);
        var connection = new LedgerConnection(stack.Stack.CosmosEndpoint, stack.Stack.CosmosKey, broken.CosmosDatabase, stack.Stack.AzuriteConnectionString, broken.WorkQueueName);

        var (statusExit, statusOut) = await RunAsync((o, e) => new StatusRunner(new StatusOptions(connection, null, FileState.Failed, 50, null, All: true, Json: false), o, e).RunAsync(ct));
        Assert.Equal(StatusRunner.ExitOk, statusExit);
        Assert.Contains(fileId, statusOut, StringComparison.Ordinal);
        Assert.Contains("1 Failed", statusOut, StringComparison.Ordinal);

        var (exit, stdout) = await RunAsync((o, e) => new ReplayRunner(new ReplayOptions(connection, null, Failed: true, "ticket OPS-7", Json: false), o, e).RunAsync(ct));
        Assert.Equal(ReplayRunner.ExitOk, exit);
        Assert.Contains("1 unit(s) of 1 file(s) queued again", stdout, StringComparison.Ordinal);

        await using var healthy = new PipelineHost(stack.Stack, sharedWith: broken);
        Assert.Single(await healthy.DrainWorkQueueAsync(ct));
        await AssertCompletedAsync(healthy, fileId, lab, name, "requested by operator via pmed (ticket OPS-7)", ct);

        var (fileExit, fileOut) = await RunAsync((o, e) => new StatusRunner(new StatusOptions(connection, fileId, null, 50, null, All: false, Json: true), o, e).RunAsync(ct));
        Assert.Equal(StatusRunner.ExitOk, fileExit);
        var status = JsonNode.Parse(fileOut)!;
        Assert.Equal("Completed", (string?)status["file"]!["state"]);
        Assert.Equal(1, (int?)status["units"]![0]!["replayCount"]);
        Assert.DoesNotContain(name, fileOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnitFailingAfterEveryReplay_RefusedAtMaxReplaysWith409()
    {
        var ct = TestContext.Current.CancellationToken;
        const string lab = "lab-replay-bound";
        await using var broken = BrokenHost(new Dictionary<string, string?> { ["Pipeline:MaxReplays"] = "1" });
        var (fileId, _) = await FailOneFileAsync(broken, lab, ct);
        var context = broken.Context("FileReplayFunction", ct);
        var url = new Uri($"http://localhost/api/files/{fileId}/replay");

        Assert.Equal(HttpStatusCode.Accepted, ((TestHttpResponse)await HttpApiFunctions.FileReplayAsync(new TestHttpRequest(context, "POST", url), fileId)).StatusCode);
        await FailQueuedUnitAsync(broken, ct);
        var refused = (TestHttpResponse)await HttpApiFunctions.FileReplayAsync(new TestHttpRequest(context, "POST", url), fileId);

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var body = JsonNode.Parse(refused.ReadBody())!;
        Assert.Equal("Refused", (string?)body["outcome"]);
        Assert.Contains("already replayed 1 time(s), the most Pipeline:MaxReplays (1) allows", (string?)body["message"], StringComparison.Ordinal);
        Assert.Empty(await broken.DrainWorkQueueAsync(ct));
        var unit = (await broken.Ledger.FindUnitAsync(fileId, 0, ct))!;
        Assert.Equal(UnitState.Failed, unit.State);
        Assert.Equal(1, unit.ReplayCount);
    }

    /// <summary>
    /// The app with its FHIR URL on a closed port: every write fails as transient, and with no retry budget the first
    /// such failure fails the unit (as a day of them would).
    /// </summary>
    private PipelineHost BrokenHost(IReadOnlyDictionary<string, string?>? more = null)
    {
        var overrides = new Dictionary<string, string?>
        {
            ["Fhir:BaseUrl"] = $"http://127.0.0.1:{LoopbackPorts.Closed}/",
            ["Fhir:MaxRetries"] = "1",
            ["Pipeline:TransientRetryBudget"] = "00:00:00",
        };
        foreach (var (key, value) in more ?? new Dictionary<string, string?>()) overrides[key] = value;
        return new PipelineHost(stack.Stack, overrides);
    }

    /// <summary>
    /// The host gave up on a file's arrival (the blob extension's poison message, as it writes it): ArrivalPoisonFunction
    /// records the file as Failed, and a replay through the HTTP function runs its arrival again to completion.
    /// </summary>
    [Fact]
    public async Task PoisonedArrival_RecordedFailed_ReplayedThroughHttpFunction_Completes()
    {
        var ct = TestContext.Current.CancellationToken;
        const string lab = "lab-arrival-poison";
        await using var host = new PipelineHost(stack.Stack);
        var name = "2026/" + Path.GetFileName(SampleBundle);
        var content = await File.ReadAllBytesAsync(SampleBundle, ct);
        await host.UploadAsync(lab, name, content, ct);
        var fileId = LabFileIds.For(lab, Convert.ToHexStringLower(SHA256.HashData(content)));

        await ArrivalPoisoning.PoisonAsync(stack.Stack, host, lab, name, ct);
        var poison = Assert.Single(await ArrivalPoisoning.ReceiveAsync(stack.Stack, lab, ct));
        await host.Function<ArrivalPoisonFunction>().RunAsync(poison, ct);

        var failed = (await host.Ledger.FindFileAsync(fileId, ct))!;
        Assert.Equal(FileState.Failed, failed.State);
        Assert.Equal(ArrivalPoisonHandler.Reason, failed.Problem!.Reason);
        Assert.True(await host.ExistsAsync(LabFileAreas.Incoming, $"{lab}/{name}", ct));

        var response = (TestHttpResponse)await HttpApiFunctions.FileReplayAsync(
            new TestHttpRequest(host.Context("FileReplayFunction", ct), "POST", new Uri($"http://localhost/api/files/{fileId}/replay?reason=storage%20restored")), fileId);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Single(await host.DrainWorkQueueAsync(ct));
        Assert.Equal(FileState.Completed, (await host.Ledger.FindFileAsync(fileId, ct))!.State);
        Assert.Equal(content, await host.ReadBlobAsync(LabFileAreas.Archive, Originals.Archived(lab, content, name), ct));
    }

    private static async Task<(string FileId, string Name)> FailOneFileAsync(PipelineHost host, string lab, CancellationToken ct)
    {
        var name = "2026/" + Path.GetFileName(SampleBundle);
        var content = await File.ReadAllBytesAsync(SampleBundle, ct);
        await host.UploadAsync(lab, name, content, ct);
        await host.ArriveAsync(lab, name, ct);
        await FailQueuedUnitAsync(host, ct);

        var fileId = LabFileIds.For(lab, Convert.ToHexStringLower(SHA256.HashData(content)));
        Assert.Equal(UnitState.Failed, (await host.Ledger.FindUnitAsync(fileId, 0, ct))!.State);
        Assert.Equal(FileState.Failed, (await host.Ledger.FindFileAsync(fileId, ct))!.State);
        return (fileId, name);
    }

    /// <summary>
    /// One delivery on the broken host: the FHIR service unreachable past the (zero) retry budget fails the unit
    /// there and then; the function returns, so the host deletes the message.
    /// </summary>
    private static async Task FailQueuedUnitAsync(PipelineHost host, CancellationToken ct)
    {
        var message = (await host.WorkQueue.ReceiveMessageAsync(cancellationToken: ct)).Value;
        await host.Function<ReportQueuedFunction>().RunAsync(message.MessageText, ct);
        await host.WorkQueue.DeleteMessageAsync(message.MessageId, message.PopReceipt, ct);
    }

    private static async Task AssertCompletedAsync(PipelineHost host, string fileId, string lab, string name, string requestedBy, CancellationToken ct)
    {
        var unit = (await host.Ledger.FindUnitAsync(fileId, 0, ct))!;
        Assert.Equal(UnitState.Completed, unit.State);
        Assert.Equal(1, unit.ReplayCount);
        Assert.NotNull(unit.ReportReference);
        Assert.Contains(unit.History, e => e.What.Contains(requestedBy, StringComparison.Ordinal));
        Assert.Equal(FileState.Completed, (await host.Ledger.FindFileAsync(fileId, ct))!.State);
        Assert.True(await host.ExistsAsync(LabFileAreas.Archive, LabFileOriginals.Archived(lab, (await host.Ledger.FindFileAsync(fileId, ct))!.ContentHash, name).Path, ct));
        Assert.False(await host.ExistsAsync(LabFileAreas.Incoming, $"{lab}/{name}", ct));
        var report = await host.Fhir.GetAsync(unit.ReportReference, ct);
        Assert.Equal(HttpStatusCode.OK, report.StatusCode);
    }

    private static async Task<(int Exit, string Stdout)> RunAsync(Func<TextWriter, TextWriter, Task<int>> run)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await run(stdout, stderr);
        Assert.True(exit == 0, stderr.ToString());
        return (exit, stdout.ToString());
    }
}
