using System.Diagnostics.Tracing;
using PrecisionMed.Core.Formats.Hl7v2;

namespace PrecisionMed.Bench;

/// <summary>
/// Which types the HL7 v2 mapping allocates most, sampled from the runtime's allocation ticks (one per ~100 KB, so the
/// counts are proportional to bytes): `dotnet bench/bin/Release/net10.0/PrecisionMed.Bench.dll alloc-types`.
/// A profiler stand-in where dotnet-trace is not installed.
/// </summary>
internal sealed class AllocTypes : EventListener
{
    public readonly Dictionary<string, int> Counts = [];
    public bool On;
    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, EventLevel.Verbose, (EventKeywords)0x1);
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (!On || e.EventName != "GCAllocationTick_V4") return;
        var name = (string)e.Payload![e.PayloadNames!.IndexOf("TypeName")]!;
        lock (Counts) Counts[name] = Counts.GetValueOrDefault(name) + 1;
    }

    /// <summary>args: alloc-types [MESSAGE [map|build]] (default the genomic message's mapping).</summary>
    public static int Run(string[] args)
    {
        using var l = new AllocTypes();
        var name = args.Length > 1 ? args[1] : "genomic_5variants_pgx.hl7";
        var build = args.Length > 2 && args[2] == "build";
        var content = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "hl7v2", name));
        var message = Hl7v2Parser.ParseOruR01(Hl7v2MessageSplitter.Split(content).Messages[0]);
        var report = Hl7v2ReportMapper.Map(message, "bench-lab");
        var provenance = new Core.LabReports.ReportProvenance("bench-lab", "incoming/bench-lab/" + name, "00", name, 0, 1, DateTimeOffset.UnixEpoch, "bench");
        void Once()
        {
            if (build) Core.Fhir.Genomics.GenomicReportBuilder.Build(report, provenance).Dispose();
            else Hl7v2ReportMapper.Map(message, "bench-lab");
        }

        for (var i = 0; i < 100; i++) Once();
        l.On = true;
        for (var i = 0; i < 20000; i++) Once();
        l.On = false;
        Thread.Sleep(2000);
        foreach (var (k, v) in l.Counts.OrderByDescending(x => x.Value).Take(30)) Console.WriteLine($"{v}\t{k}");
        return 0;
    }
}
