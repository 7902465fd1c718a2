using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PrecisionMed.Core.Pipeline;
using PrecisionMed.Core.Pipeline.Ledger;
using PrecisionMed.Core.Pipeline.Work;
using PrecisionMed.Functions.Tests.Hosting;
using PrecisionMed.Testing.Stack;

namespace PrecisionMed.Functions.Tests.EndToEnd;

/// <summary>
/// One big file on the real local stack: a batch's messages each read only their own bytes (counted at the HTTP level
/// against Azurite), finished once with units completing in parallel; and a file overwritten after it arrived, whose
/// new content must never be written under the old hash.
/// </summary>
[Trait("Tier", "Stack")]
public sealed class BigFileEndToEndTests(LocalStackFixture stack)
{
    private const string LabId = "lab-bigfile";

    [Fact]
    public async Task BatchOfManyMessages_UnitsInParallel_EachReadsOnlyItsMessageAndTheFileFinishesOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        var reads = new BlobReadCounter();
        await using var host = new PipelineHost(stack.Stack, configureServices: (services, _) => services.Replace(ServiceDescriptor.Singleton(_ =>
        {
            var options = new BlobClientOptions();
            options.AddPolicy(reads, HttpPipelinePosition.PerRetry);
            return new BlobServiceClient(stack.Stack.AzuriteConnectionString, options);
        })));
        const int messages = 100;
        var (reports, files) = ReportBatches.Generate("BIG", messages, messages);
        var batch = files[0];
        const string name = "2026/big-batch.hl7";
        await host.UploadAsync(LabId, name, batch, ct);
        await host.ArriveAsync(LabId, name, ct);
        reads.Reset();

        var work = new List<string>();
        while (work.Count < messages)
        {
            var received = (await host.WorkQueue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(5), ct)).Value;
            Assert.NotEmpty(received);
            work.AddRange(received.Select(m => m.MessageText));
        }

        var function = host.Function<Triggers.ReportQueuedFunction>();
        await Parallel.ForEachAsync(work, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct },
            async (text, token) => await function.RunAsync(text, token));

        var fileId = LabFileIds.For(LabId, Convert.ToHexStringLower(SHA256.HashData(batch)));
        var file = await host.Ledger.FindFileAsync(fileId, ct);
        Assert.Equal(FileState.Completed, file!.State);
        Assert.Single(file.History, e => e.What.StartsWith("Completed", StringComparison.Ordinal));
        Assert.All(await host.Ledger.ListUnitsAsync(fileId, ct), u => Assert.Equal(UnitState.Completed, u.State));
        Assert.Equal(batch, await host.ReadBlobAsync(LabFileAreas.Archive, Originals.Archived(LabId, batch, name), ct));
        Assert.Equal(reports.Select(r => r.Accession).Order(), (await host.Ledger.ListUnitsAsync(fileId, ct)).Select(u => u.Accession!).Order());

        // One ranged GET per message, the file's bytes once in all, where every unit used to read the whole file; plus the
        // finisher's copy of the whole file to archive/ (the last units to end, in parallel, may each make one).
        TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{messages}-message batch of {batch.Length} bytes: the workers made {reads.Gets} blob GETs ({reads.Bytes} bytes) and {reads.Heads} HEADs"));
        Assert.InRange(reads.Gets, messages + 1, messages + 8);
        var copies = reads.Gets - messages;
        // The ranges hold the messages without the batch envelope and segment ends: a little less than the file; at least
        // one copy reads it whole. A further GET may read nothing (a unit that looked in incoming/ just after the finisher
        // moved the file there from), so the extra GETs bound the bytes from above only.
        Assert.InRange(reads.Bytes, 1.9 * batch.Length, (copies + 1L) * batch.Length);
    }

    [Fact]
    public async Task FileOverwrittenBeforeItsUnitsRun_NothingWrittenUnderTheOldHash_NewContentArrivesAsItsOwnFile()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = new PipelineHost(stack.Stack);
        var (oldReports, oldFiles) = ReportBatches.Generate("OVWOLD", 2, 2);
        var (newReports, newFiles) = ReportBatches.Generate("OVWNEW", 1, 1);
        const string name = "2026/overwritten.hl7";
        var oldHash = Convert.ToHexStringLower(SHA256.HashData(oldFiles[0]));
        var newHash = Convert.ToHexStringLower(SHA256.HashData(newFiles[0]));

        await host.UploadAsync(LabId, name, oldFiles[0], ct);
        await host.ArriveAsync(LabId, name, ct);
        await host.UploadAsync(LabId, name, newFiles[0], ct); // the lab overwrites the file before its units run
        await host.DrainWorkQueueAsync(ct);

        var oldFile = await host.Ledger.FindFileAsync(LabFileIds.For(LabId, oldHash), ct);
        Assert.Equal(FileState.Failed, oldFile!.State);
        Assert.All(await host.Ledger.ListUnitsAsync(oldFile.FileId, ct), u =>
        {
            Assert.Equal(UnitState.Failed, u.State);
            Assert.Equal(OverwrittenFileHandler.Reason, u.Problem?.Reason);
            Assert.Empty(u.ResourceReferences);
        });
        foreach (var report in oldReports) Assert.Empty(await SearchAsync(host, "DiagnosticReport?identifier=" + Uri.EscapeDataString(report.Accession), ct));

        var newFile = await host.Ledger.FindFileAsync(LabFileIds.For(LabId, newHash), ct);
        Assert.Equal(FileState.Completed, newFile!.State);
        Assert.Equal(newFiles[0], await host.ReadBlobAsync(LabFileAreas.Archive, Originals.Archived(LabId, newFiles[0], name), ct));
        var unit = Assert.Single(await host.Ledger.ListUnitsAsync(newFile.FileId, ct));
        Assert.Equal(newReports[0].Accession, unit.Accession);
        using var response = await host.Fhir.GetAsync(unit.ResourceReferences.Single(r => r.StartsWith("Provenance/", StringComparison.Ordinal)), ct);
        var provenance = await response.Content.ReadAsStringAsync(ct);
        Assert.Contains(newHash, provenance, StringComparison.Ordinal);
        Assert.DoesNotContain(oldHash, provenance, StringComparison.Ordinal);
    }

    private static async Task<JsonArray> SearchAsync(PipelineHost host, string query, CancellationToken ct)
    {
        using var response = await host.Fhir.GetAsync(query, ct);
        Assert.True(response.IsSuccessStatusCode, $"GET {query}: HTTP {(int)response.StatusCode}");
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!["entry"] as JsonArray ?? [];
    }

    /// <summary>Counts blob reads as Azurite answers them: GETs of content with the bytes they carried, and HEADs.</summary>
    private sealed class BlobReadCounter : HttpPipelineSynchronousPolicy
    {
        private int _gets;
        private int _heads;
        private long _bytes;

        public int Gets => _gets;

        public int Heads => _heads;

        public long Bytes => Interlocked.Read(ref _bytes);

        public void Reset()
        {
            _gets = 0;
            _heads = 0;
            Interlocked.Exchange(ref _bytes, 0);
        }

        public override void OnReceivedResponse(HttpMessage message)
        {
            var request = message.Request;
            // Blob reads only: listings and container calls carry a comp or restype query.
            if (request.Uri.Query.Contains("comp=", StringComparison.Ordinal) || request.Uri.Query.Contains("restype=", StringComparison.Ordinal)) return;
            if (request.Method == RequestMethod.Head)
            {
                Interlocked.Increment(ref _heads);
            }
            else if (request.Method == RequestMethod.Get)
            {
                Interlocked.Increment(ref _gets);
                if (message.Response.Headers.ContentLength is { } length) Interlocked.Add(ref _bytes, length);
            }
        }
    }
}
