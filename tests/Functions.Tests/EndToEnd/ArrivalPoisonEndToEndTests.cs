using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using PrecisionMed.Core.Pipeline;
using PrecisionMed.Core.Pipeline.Arrival;
using PrecisionMed.Core.Pipeline.Ledger;
using PrecisionMed.Functions.Tests.Hosting;
using PrecisionMed.Functions.Triggers;
using PrecisionMed.Testing.Stack;

namespace PrecisionMed.Functions.Tests.EndToEnd;

/// <summary>
/// A lab file whose arrival failed on every attempt, on the real stack, with the poison message written by the Functions
/// host's own blob extension (see <see cref="ArrivalPoisoning"/>): it lands in the trigger's account, where
/// ArrivalPoisonFunction listens, and the function reads it as host.json makes the queue trigger hand it over.
/// </summary>
[Trait("Tier", "Stack")]
public sealed class ArrivalPoisonEndToEndTests(LocalStackFixture stack)
{
    private static readonly string SampleBundle = Path.Combine(AppContext.BaseDirectory, "TestData", "fhir", "ig-examples", "Bundle-bundle-pgxexample.json");

    [Fact]
    public void Extension_WritesBase64_WhileHostJsonReadsQueuesUnencoded()
    {
        Assert.Equal(QueueMessageEncoding.Base64, BlobTriggerExtension.MessageEncoding);
        Assert.Equal(QueueMessageEncoding.None, ArrivalPoisoning.HostJsonQueueEncoding());
        Assert.Equal(ArrivalPoisoning.PoisonQueue, BlobTriggerExtension.PoisonQueueName);
    }

    [Fact]
    public async Task PoisonedEventGridArrival_AsTheExtensionWritesIt_RecordedFailedKeptAndCounted()
    {
        var ct = TestContext.Current.CancellationToken;
        var lab = "lab-poison-" + Guid.NewGuid().ToString("N")[..8];
        await using var host = new PipelineHost(stack.Stack);
        var name = "2026/" + Path.GetFileName(SampleBundle);
        var content = await File.ReadAllBytesAsync(SampleBundle, ct);
        await host.UploadAsync(lab, name, content, ct);
        var eTag = (await host.Blobs.GetBlobContainerClient(LabFileAreas.Incoming).GetBlobClient($"{lab}/{name}").GetPropertiesAsync(cancellationToken: ct)).Value.ETag.ToString();
        var fileId = LabFileIds.For(lab, Convert.ToHexStringLower(SHA256.HashData(content)));
        using var failures = new FailedFilesCount(lab);

        var deliveries = await ArrivalPoisoning.PoisonAsync(stack.Stack, host, lab, name, ct);
        var message = Assert.Single(await ArrivalPoisoning.ReceiveAsync(stack.Stack, lab, ct));

        Assert.Equal(BlobTriggerExtension.PoisonThreshold, deliveries);
        // host.json reads queues unencoded: the function is handed the Base64 text the extension stored.
        var json = JsonNode.Parse(Convert.FromBase64String(message))!.AsObject();
        Assert.Equal(["Type", "FunctionId", "BlobType", "ContainerName", "BlobName", "ETag"], json.Select(p => p.Key));
        Assert.Equal("BlobTrigger", (string?)json["Type"]);
        Assert.Equal(ArrivalPoisoning.FunctionId, (string?)json["FunctionId"]);
        Assert.Equal("BlockBlob", (string?)json["BlobType"]);
        Assert.Equal("incoming", (string?)json["ContainerName"]);
        Assert.Equal($"{lab}/{name}", (string?)json["BlobName"]);
        Assert.Equal(eTag, (string?)json["ETag"]);

        await host.Function<ArrivalPoisonFunction>().RunAsync(message, ct);

        var failed = (await host.Ledger.FindFileAsync(fileId, ct))!;
        Assert.Equal(FileState.Failed, failed.State);
        Assert.Equal(ArrivalPoisonHandler.Reason, failed.Problem!.Reason);
        Assert.True(await host.ExistsAsync(LabFileAreas.Incoming, $"{lab}/{name}", ct));
        Assert.Contains(fileId, (await host.Ledger.ListFilesAsync(FileState.Failed, 200, null, ct)).Files.Select(f => f.FileId));
        Assert.Equal(1, failures.Count);

        // Delivered again (at-least-once): the ledger already tells the truth, nothing is counted twice.
        await host.Function<ArrivalPoisonFunction>().RunAsync(message, ct);
        Assert.Equal(1, failures.Count);
    }

    /// <summary>Were host.json's messageEncoding base64, the trigger would hand over the decoded JSON: handled the same.</summary>
    [Fact]
    public async Task PoisonMessage_DecodedByTheTrigger_HandledTheSame()
    {
        var ct = TestContext.Current.CancellationToken;
        var lab = "lab-poison-" + Guid.NewGuid().ToString("N")[..8];
        await using var host = new PipelineHost(stack.Stack);
        var name = "decoded/" + Path.GetFileName(SampleBundle);
        var content = await File.ReadAllBytesAsync(SampleBundle, ct);
        await host.UploadAsync(lab, name, content, ct);

        await ArrivalPoisoning.PoisonAsync(stack.Stack, host, lab, name, ct);
        var decoded = ArrivalPoisoning.JsonOf(Assert.Single(await ArrivalPoisoning.ReceiveAsync(stack.Stack, lab, ct)));
        await host.Function<ArrivalPoisonFunction>().RunAsync(decoded, ct);

        var fileId = LabFileIds.For(lab, Convert.ToHexStringLower(SHA256.HashData(content)));
        Assert.Equal(FileState.Failed, (await host.Ledger.FindFileAsync(fileId, ct))!.State);
    }

    /// <summary>The <c>precisionmed.files</c> counter's "failed" outcomes of one lab (what the poison alert sees in metrics).</summary>
    private sealed class FailedFilesCount : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _count;

        public FailedFilesCount(string lab)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Name == "precisionmed.files") listener.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                string? labTag = null, outcome = null;
                foreach (var tag in tags)
                {
                    if (tag.Key == "precisionmed.lab") labTag = tag.Value as string;
                    if (tag.Key == "precisionmed.outcome") outcome = tag.Value as string;
                }

                if (labTag == lab && outcome == "failed") Interlocked.Add(ref _count, value);
            });
            _listener.Start();
        }

        public long Count => Interlocked.Read(ref _count);

        public void Dispose() => _listener.Dispose();
    }
}
