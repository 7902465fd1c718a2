using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using PrecisionMed.Core.Pipeline;
using PrecisionMed.Core.Pipeline.Reinterpretation;

namespace PrecisionMed.Core.Tests.Pipeline.Reinterpretation;

/// <summary>
/// A reinterpretation run of 200 reports with 30% of FHIR requests failing (a read or write refused, or a write done
/// and its answer lost, as <c>tests/Testing/Faults</c>' proxy does over HTTP), the work items retried as the queue
/// redelivers them: every implication amended exactly once, no report lost, every notice published under one id.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class ReinterpretationFaultTests
{
    private const int Reports = 200;

    [Fact]
    public async Task Run_200Reports_30PercentFhirFaults_EachAmendedExactlyOnceNoneLost()
    {
        var ct = TestContext.Current.CancellationToken;
        using var scenario = new ReinterpretationScenario();
        await scenario.ImportAsync("clinvar_source.vcf.gz");
        var harness = scenario.Harness;
        await harness.DropAsync(ManySamples(Reports), "cohort.vcf");
        foreach (var message in harness.Queue.Messages.ToList()) await harness.Work.HandleAsync(message, ct);
        var diff = (await scenario.ImportAsync("clinvar_target.vcf.gz")).Diff!;
        var affected = await new AffectedReportFinder(harness.Index).FindAsync(diff.Changes, ct);
        Assert.Equal(Reports, affected.Count);

        var writesBefore = harness.Writer.Written.Count;
        var faulty = new FaultyFhirWriter(harness.Writer, share: 0.3, seed: 7);
        var reinterpreter = new ReportReinterpreter(
            faulty, harness.Index, harness.Notifier, harness.Get<KnowledgeDiffReader>(), Options.Create(new ReinterpretationOptions()),
            harness.Get<IOptions<PipelineOptions>>(), harness.Clock);
        var queue = new Queue<ReinterpretationWorkItem>(affected.Select(a => new ReinterpretationWorkItem(diff.Id, a.Patient, a.Report, "corr-run")));
        var poisoned = 0;
        var deliveries = 0;
        var clock = Stopwatch.StartNew();
        while (queue.TryDequeue(out var item))
        {
            deliveries++;
            try
            {
                await reinterpreter.ReinterpretAsync(item, ct);
            }
            catch (FhirTransientException)
            {
                // The queue redelivers (5 deliveries, then the poison queue: host.json maxDequeueCount).
                if (item.Attempt >= 5) poisoned++;
                else queue.Enqueue(item with { Attempt = item.Attempt + 1 });
            }
        }

        clock.Stop();
        Assert.Equal(0, poisoned);
        Assert.True(faulty.Faults > 100, $"{faulty.Faults} faults injected");

        // Exactly once: each implication PUT in exactly one completed transaction, none left unamended.
        var puts = harness.Writer.Written.Skip(writesBefore)
            .SelectMany(b => b["entry"]!.AsArray())
            .Select(e => (string)e!["request"]!["url"]!)
            .Where(u => u.StartsWith("Observation/", StringComparison.Ordinal))
            .GroupBy(u => u, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var implications = affected.SelectMany(a => a.Implications.Select(i => i.Observation)).ToList();
        Assert.Equal(Reports * 5, implications.Count);
        Assert.All(implications, i => Assert.Equal(1, puts.GetValueOrDefault(i)));
        foreach (var implication in implications)
            Assert.Equal("amended", (string?)(await harness.Writer.ReadAsync(implication, ct))!["status"]);

        // Every notice of the four major changes per report, under one id each (repeats are the topic's to drop).
        Assert.Equal(Reports * 4, harness.Notifier.Reinterpreted.Select(n => n.MessageId).Distinct().Count());
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{Reports} reports, {deliveries} deliveries, {faulty.Faults} faults, {faulty.Requests} FHIR requests ({(double)faulty.Requests / Reports:F1} per report), "
            + $"{Reports / clock.Elapsed.TotalMinutes:F0} reports/minute in process");
    }

    private static byte[] ManySamples(int count)
    {
        var vcf = new StringBuilder("##fileformat=VCFv4.2\n##reference=GRCh37\n##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT");
        for (var i = 1; i <= count; i++) vcf.Append("\tS").Append(i);
        vcf.Append('\n');
        foreach (var (chrom, pos, reference, alt) in ReinterpretationScenario.Release1Variants)
        {
            vcf.Append(System.Globalization.CultureInfo.InvariantCulture, $"{chrom}\t{pos}\t.\t{reference}\t{alt}\t.\tPASS\t.\tGT");
            for (var i = 1; i <= count; i++) vcf.Append("\t0/1");
            vcf.Append('\n');
        }

        return Encoding.UTF8.GetBytes(vcf.ToString());
    }

    /// <summary>
    /// The FHIR service (versioned, honouring If-Match as a server does) behind a faulty network, seen through a writer
    /// that retries each request (<c>Fhir__MaxRetries</c>) as FhirHttpWriter does: a share of HTTP attempts fail, half of
    /// the failed writes after the server did them (the answer lost, the writer sends the transaction again), as
    /// tests/Testing/Faults/FaultPlan.cs describes for the HTTP proxy.
    /// </summary>
    private sealed class FaultyFhirWriter(IFhirWriter inner, double share, int seed, int attempts = 3) : IFhirWriter
    {
        private readonly Random _random = new(seed);
        private readonly Dictionary<string, int> _versions = new(StringComparer.Ordinal);

        public int Faults { get; private set; }

        public int Requests { get; private set; }

        public async Task<FhirWriteResult> WriteTransactionAsync(ReadOnlyMemory<byte> bundle, CancellationToken cancellationToken)
        {
            for (var attempt = 1; ; attempt++)
            {
                Requests++;
                var draw = _random.NextDouble();
                if (draw < share / 2)
                {
                    Faults++;
                    if (attempt == attempts) throw new FhirTransientException("injected 503", statusCode: 503);
                    continue;
                }

                var entries = JsonNode.Parse(bundle.Span)!["entry"]!.AsArray();
                foreach (var entry in entries)
                {
                    var request = entry!["request"]!;
                    if ((string?)request["ifMatch"] is { } ifMatch && ifMatch != $"W/\"{Version((string)request["url"]!)}\"")
                        throw new FhirRejectedException(412, "error|conflict|Observation", "version conflict");
                }

                var result = await inner.WriteTransactionAsync(bundle, cancellationToken);
                foreach (var entry in entries) _versions[(string)entry!["request"]!["url"]!] = Version((string)entry["request"]!["url"]!) + 1;
                if (draw < share)
                {
                    Faults++; // done by the server, the connection dropped before the answer: the writer sends it again
                    if (attempt == attempts) throw new FhirTransientException("injected dropped connection");
                    continue;
                }

                return result;
            }
        }

        public async Task<JsonObject?> ReadAsync(string reference, CancellationToken cancellationToken)
        {
            for (var attempt = 1; ; attempt++)
            {
                Requests++;
                if (_random.NextDouble() < share)
                {
                    Faults++;
                    if (attempt == attempts) throw new FhirTransientException("injected 429", statusCode: 429);
                    continue;
                }

                var resource = await inner.ReadAsync(reference, cancellationToken);
                if (resource is not null)
                {
                    if (resource["meta"] is not JsonObject meta) resource["meta"] = meta = [];
                    meta["versionId"] = Version(reference).ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                return resource;
            }
        }

        public Task<IReadOnlyList<JsonObject>> FindPatientsAsync(string system, string value, CancellationToken cancellationToken) =>
            inner.FindPatientsAsync(system, value, cancellationToken);

        private int Version(string reference) => _versions.GetValueOrDefault(reference, 1);
    }
}
