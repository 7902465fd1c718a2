using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PrecisionMed.Core.LabReports;
using PrecisionMed.Core.Pipeline;
using PrecisionMed.Functions.Tests.Hosting;
using PrecisionMed.Testing.Stack;
using PrecisionMed.Testing.Vcf;

namespace PrecisionMed.Functions.Tests.EndToEnd;

/// <summary>
/// No PHI in logs, through the functions and the real emulators with every log category at Trace: what the
/// Core test cannot see, the adapters' and the HTTP clients' own logging (the FHIR patient search of the patient-safety
/// check names an identifier in its query), the Cosmos and Storage calls. Inputs: an HL7 v2 report, a second one for
/// the same patient with another birth date (held after a FHIR search), and a VCF.
/// </summary>
[Trait("Tier", "Stack")]
public sealed class NoPhiEndToEndTests(LocalStackFixture stack)
{
    private const string LabId = "lab-no-phi";

    [Fact]
    public async Task HeldReportAndVcf_ThroughTheFunctionsAtTrace_NoPhiInAnyLogLine()
    {
        var ct = TestContext.Current.CancellationToken;
        var logs = new CapturingLoggerProvider();
        await using var host = new PipelineHost(stack.Stack, configureServices: (services, _) =>
            services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(logs)));

        var corpus = await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "TestData", "hl7v2/authored/germline_from_cgexample.hl7"), ct);
        var mrn = "NP" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();
        var first = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(corpus).Replace("SL100002^", mrn + "^", StringComparison.Ordinal));
        var second = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(first).Replace("|19800202|", "|19810303|", StringComparison.Ordinal));
        var vcf = await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "TestData", "vcf/vcf2fhir/NB6TK328_filtered.vcf"), ct);

        await IngestAsync(host, "2026/report-a.hl7", first, ct);
        await IngestAsync(host, "2026/report-b.hl7", second, ct);
        await host.UploadAsync(LabId, VcfManifest.NameFor("2026/run-7.vcf"), TestVcfManifests.Json("run-7.vcf", vcf), ct);
        await IngestAsync(host, "2026/run-7.vcf", vcf, ct);

        var fileId = LabFileIds.For(LabId, Convert.ToHexStringLower(SHA256.HashData(second)));
        Assert.Equal(Core.Pipeline.Ledger.UnitState.Held, (await host.Ledger.FindUnitAsync(fileId, 0, ct))!.State);

        string[] phi = [mrn, "TESTPATIENT", "BRAVO", "19800202", "1980-02-02", "19810303", "1981-03-03", "NB6TK328",
            "NM_014049.4:c.1249C>T", "c.1249C>T", "p.Arg417Cys"];
        var lines = logs.Lines;
        Assert.True(lines.Count > 50, $"only {lines.Count} log lines at Trace: the capture is broken");
        Assert.Contains(lines, l => l.Contains("System.Net.Http.HttpClient", StringComparison.Ordinal));
        // The search the patient check made is logged, its query redacted by HttpClientFactory (.NET 9+).
        Assert.Contains(lines, l => l.Contains("Patient?*", StringComparison.Ordinal));
        var leaks = (from line in lines from value in phi where line.Contains(value, StringComparison.OrdinalIgnoreCase) select $"'{value}' in: {line}").Take(10).ToList();
        Assert.True(leaks.Count == 0, string.Join(Environment.NewLine, leaks));
    }

    private static async Task IngestAsync(PipelineHost host, string name, byte[] content, CancellationToken ct)
    {
        await host.UploadAsync(LabId, name, content, ct);
        await host.ArriveAsync(LabId, name, ct);
        await host.DrainWorkQueueAsync(ct);
    }

    /// <summary>Every log line of every category, with the category and any exception.</summary>
    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        private readonly ConcurrentQueue<string> _lines = new();

        public IReadOnlyList<string> Lines => [.. _lines];

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

        public void Dispose()
        {
        }

        private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
        }
    }
}
