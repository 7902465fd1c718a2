using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PrecisionMed.Adapters;
using PrecisionMed.Core.Formats;
using PrecisionMed.Core.LabReports;
using PrecisionMed.Core.Pipeline;
using PrecisionMed.Core.Pipeline.Arrival;
using PrecisionMed.Core.Pipeline.Ledger;
using PrecisionMed.Core.Pipeline.Notifications;
using PrecisionMed.Core.Pipeline.Replay;
using PrecisionMed.Core.Pipeline.Review;
using PrecisionMed.Core.Pipeline.Work;
using PrecisionMed.Core.Tests.Fakes;
using PrecisionMed.Testing.Vcf;

namespace PrecisionMed.Core.Tests.Pipeline;

/// <summary>The pipeline as the Functions host wires it, with fakes at every port.</summary>
internal sealed class PipelineHarness : IDisposable
{
    public const string LabId = "lab-a";
    public const string CorrelationId = "corr-1";
    public const string PipelineVersion = "9.9.9-test";

    /// <summary>Labs put patient names in file names: nothing may log this.</summary>
    public const string BlobName = "2026/03/DOE-JANE_run-7.json";

    private readonly ServiceProvider _services;

    /// <param name="configure">Changes to the pipeline's options.</param>
    /// <param name="limits">Changes to the hostile-input limits.</param>
    /// <param name="logLevel">The least severe level recorded (fuzzing many files keeps only warnings).</param>
    /// <param name="knowledge">The knowledge store enrichment reads (the embedded seed when null).</param>
    public PipelineHarness(
        Action<PipelineOptions>? configure = null, Action<LimitsOptions>? limits = null, LogLevel logLevel = LogLevel.Trace, PrecisionMed.Core.Knowledge.IKnowledgeStore? knowledge = null)
    {
        var services = new ServiceCollection();
        if (knowledge is not null) services.AddSingleton(knowledge);
        services
            .AddLogging(logging => logging.AddProvider(Logs).SetMinimumLevel(logLevel))
            .AddSingleton<TimeProvider>(Clock)
            .AddSingleton<ILabFileStore>(Store)
            .AddSingleton<ILabFileLedger>(Ledger)
            .AddSingleton<IWorkItemQueue>(Queue)
            .AddSingleton<IFhirWriter>(Writer)
            .AddSingleton<IResultNotifier>(Notifier)
            .AddPrecisionMed(new ConfigurationBuilder().Build(), AppConnections.None);
        services.Configure<PipelineOptions>(options =>
        {
            options.PipelineVersion = PipelineVersion;
            configure?.Invoke(options);
        });
        if (limits is not null) services.Configure(limits);
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public InMemoryLabFileStore Store { get; } = new();

    public InMemoryLabFileLedger Ledger { get; } = new();

    public RecordingWorkItemQueue Queue { get; } = new();

    public RecordingFhirWriter Writer { get; } = new();

    public RecordingResultNotifier Notifier { get; } = new();

    public FixedTimeProvider Clock { get; } = new();

    public RecordingLoggerProvider Logs { get; } = new();

    public LabFileArrivalHandler Arrival => _services.GetRequiredService<LabFileArrivalHandler>();

    public ReportWorkHandler Work => _services.GetRequiredService<ReportWorkHandler>();

    public PoisonWorkHandler Poison => _services.GetRequiredService<PoisonWorkHandler>();

    public ArrivalPoisonHandler ArrivalPoison => _services.GetRequiredService<ArrivalPoisonHandler>();

    public LabFileFinisher Finisher => _services.GetRequiredService<LabFileFinisher>();

    public PrecisionMed.Core.Genomics.Index.IGenomicIndex Index => _services.GetRequiredService<PrecisionMed.Core.Genomics.Index.IGenomicIndex>();

    public T Get<T>()
        where T : notnull => _services.GetRequiredService<T>();

    public LabFileStatusReader StatusReader => _services.GetRequiredService<LabFileStatusReader>();

    public LabFileReplayer Replayer => _services.GetRequiredService<LabFileReplayer>();
    public ReportReview Review => _services.GetRequiredService<ReportReview>();

    public static LabFileLocation Incoming(string name = BlobName) => new(LabFileAreas.Incoming, $"{LabId}/{name}");

    /// <summary>Where a completed file is archived: under its content hash.</summary>
    public static LabFileLocation Archive(byte[] content, string name = BlobName) => LabFileOriginals.Archived(LabId, HashOf(content), name);

    /// <summary>Where files were archived before the content hash was part of the path.</summary>
    public static LabFileLocation LegacyArchive(string name = BlobName) => LabFileOriginals.LegacyArchived(LabId, name);

    public static LabFileLocation Rejected(byte[] content, string name = BlobName) => LabFileOriginals.Rejected(LabId, HashOf(content), name);

    /// <summary>A rejected file's error report, beside it.</summary>
    public static LabFileLocation ErrorReportOf(byte[] content, string name = BlobName) =>
        Rejected(content, name) with { Path = Rejected(content, name).Path + ".error.json" };

    public static LabFileLocation UnitErrorReportOf(byte[] content, int unitIndex, string name = BlobName) =>
        LabFileOriginals.UnitErrorReport(LabId, HashOf(content), name, unitIndex);

    public static LabFileLocation ReviewCopy(byte[] content, string name = BlobName) => ReviewArea.CopyOf(LabId, HashOf(content), name);

    public static LabFileLocation HeldReportOf(byte[] content, string name, int unitIndex) => ReviewArea.HeldReportOf(LabId, HashOf(content), name, unitIndex);

    public static string FileIdOf(byte[] content) => LabFileIds.For(LabId, HashOf(content));

    public static string HashOf(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>
    /// Puts a file in incoming/ and fires the arrival trigger for it. A VCF gets its manifest beside it first (a patient per
    /// column, <see cref="TestVcfManifests"/>, and the lab's accession <paramref name="accessionPrefix"/> + column when given),
    /// as a lab drops it, unless <paramref name="withManifest"/> is false.
    /// </summary>
    public Task<ArrivalOutcome> DropAsync(byte[] content, string name = BlobName, bool withManifest = true, string? accessionPrefix = null)
    {
        if (withManifest && (name.EndsWith(".vcf", StringComparison.Ordinal) || name.EndsWith(".vcf.gz", StringComparison.Ordinal)))
            Store.Put(Incoming(VcfManifest.NameFor(name)), TestVcfManifests.Json(name[(name.LastIndexOf('/') + 1)..], content, accessionPrefix: accessionPrefix));
        Store.Put(Incoming(name), content);
        return Arrival.HandleAsync(LabId, name, CorrelationId, content: null, TestContext.Current.CancellationToken);
    }

    public async Task<LedgerFile> FileAsync(byte[] content) =>
        await Ledger.FindFileAsync(FileIdOf(content), TestContext.Current.CancellationToken) ?? throw new InvalidOperationException("No ledger file.");

    public async Task<LedgerUnit> UnitAsync(byte[] content, int unitIndex = 0) =>
        await Ledger.FindUnitAsync(FileIdOf(content), unitIndex, TestContext.Current.CancellationToken) ?? throw new InvalidOperationException("No ledger unit.");

    public LabFileErrorReport ErrorReport(LabFileLocation location)
    {
        var json = Store.Get(location) ?? throw new InvalidOperationException($"No error report at {location}.");
        Assert.Equal("application/json", Store.ContentTypeOf(location));
        return LabFileErrorReport.Parse(json) ?? throw new InvalidOperationException("The error report is JSON null.");
    }

    public void Dispose() => _services.Dispose();
}
