using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using PrecisionMed.Core.Knowledge.Diff;

namespace PrecisionMed.Core.Knowledge.Import;

/// <summary>How far an import has got: reported every <see cref="KnowledgeImporter.ProgressEvery"/> documents and at the end.</summary>
public sealed record ImportProgress(long Documents, long Written, long Unchanged);

/// <summary>What one import did. <see cref="Written"/> is 0 when the same file was imported before.</summary>
public sealed record ImportResult(
    KnowledgeSource Source,
    string File,
    long Documents,
    long Written,
    long Unchanged,
    string Version,
    bool VersionWritten,
    ImportDiagnostics Diagnostics,
    KnowledgeDiff? Diff = null);

/// <summary>
/// Imports one source file into the store: streams its documents from the source's reader, upserts them with bounded
/// concurrency (identical documents are left alone, so a second import writes nothing), then records the file in the
/// version document. The file is read once, hashed as it is read (gzip is detected and decompressed on the fly).
/// A ClinVar or guideline import also records what it changed (<see cref="KnowledgeDiff"/>) with the version it made.
/// </summary>
/// <param name="matrix">The impact of each change (<see cref="KnowledgeDiffOptions"/>); the documented defaults when null.</param>
public sealed partial class KnowledgeImporter(IKnowledgeStore store, IKnowledgeWriter writer, ImpactMatrix? matrix = null, TimeProvider? clock = null)
{
    public const int ProgressEvery = 10_000;

    public static IKnowledgeSourceReader ReaderFor(KnowledgeSource source) => source switch
    {
        KnowledgeSource.Hgnc => new HgncReader(),
        KnowledgeSource.ClinVar => new ClinVarReader(),
        KnowledgeSource.PharmCatPhenotype => new PharmCatPhenotypeReader(),
        KnowledgeSource.PharmCatAlleles => new PharmCatAlleleDefinitionReader(),
        KnowledgeSource.CpicDrugs => new CpicDrugTableReader(),
        KnowledgeSource.LabProfiles => new LabProfileReader(),
        _ => throw new ArgumentOutOfRangeException(nameof(source), source, "no single-file reader for this source: it is read as a set"),
    };

    /// <param name="fileName">The file's name, recorded in the version document (not its path: imports from two machines agree).</param>
    /// <param name="maxConcurrency">Upserts in flight at once.</param>
    public async Task<ImportResult> ImportAsync(
        KnowledgeSource source,
        Stream file,
        string fileName,
        int maxConcurrency = 16,
        IProgress<ImportProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrency, 1);

        // A set given as one stream is a zip of it.
        if (KnowledgeSources.IsSet(source))
            return await ImportSetAsync(source, KnowledgeSourceFile.FromZip(file, include: SetReaderFor(source).Reads), fileName, maxConcurrency, progress, cancellationToken);

        var diagnostics = new ImportDiagnostics(fileName);
        var fromVersion = await CurrentVersionAsync(cancellationToken);
        var recorder = RecorderFor(source);
        using var hashing = new HashingReadStream(file);
        await using var content = await DecompressedAsync(hashing, cancellationToken);
        var (documents, written) = await WriteAsync(ReaderFor(source).ReadAsync(content, diagnostics, cancellationToken), maxConcurrency, progress, recorder, cancellationToken);
        RefuseEmpty(source, fileName, documents, diagnostics);

        // Whatever the reader did not need is still part of the file's identity.
        await hashing.DrainAsync(cancellationToken);
        var stamp = new KnowledgeSourceStamp(KnowledgeSources.NameOf(source), fileName, hashing.Sha256(), documents);
        var (version, versionWritten) = await StampVersionAsync(stamp, cancellationToken);
        var diff = await RecordDiffAsync(recorder, source, fileName, fromVersion, version, cancellationToken);
        return new ImportResult(source, fileName, documents, written, documents - written, version, versionWritten, diagnostics, diff);
    }

    /// <summary>
    /// Whether ClinVar and guideline imports record what they changed (default). A store filled once and never
    /// reinterpreted (the embedded seed) has no earlier release to compare with.
    /// </summary>
    public bool RecordsDiffs { get; init; } = true;

    /// <summary>
    /// A source that yielded nothing is refused before its version or diff is stored: an empty or header-only file, or
    /// another source's, would otherwise become a new version that removed everything of its kind.
    /// </summary>
    /// <exception cref="InvalidDataException">Nothing of the source's kind was read; the message names the file and why.</exception>
    private static void RefuseEmpty(KnowledgeSource source, string fileName, long documents, ImportDiagnostics diagnostics)
    {
        if (documents > 0) return;
        var problems = diagnostics.Listed.FirstOrDefault() is { } first ? $"; {diagnostics.Count} problem(s), first: {first}" : string.Empty;
        throw new InvalidDataException(
            $"{fileName}: no {RecordsOf(source)} in it (empty, a header alone, or not a {KnowledgeSources.NameOf(source)} source); nothing imported{problems}");
    }

    private static string RecordsOf(KnowledgeSource source) => source switch
    {
        KnowledgeSource.Hgnc => "HGNC gene rows",
        KnowledgeSource.ClinVar => "ClinVar classifications",
        KnowledgeSource.PharmCatPhenotype => "allele functions or diplotype phenotypes",
        KnowledgeSource.PharmCatAlleles => "star-allele definitions",
        KnowledgeSource.PharmCatGuidelines => "PharmCAT guideline packages",
        KnowledgeSource.CpicDrugs => "CPIC drug rows",
        KnowledgeSource.CpicAlerts => "CPIC alert sheets",
        KnowledgeSource.LabProfiles => "lab profiles",
        KnowledgeSource.RxNorm => "RxNorm drugs",
        _ => "records",
    };

    private KnowledgeDiffRecorder? RecorderFor(KnowledgeSource source) =>
        RecordsDiffs && source is KnowledgeSource.ClinVar or KnowledgeSource.PharmCatGuidelines ? new KnowledgeDiffRecorder(store, matrix ?? ImpactMatrix.Default) : null;

    private async Task<string?> CurrentVersionAsync(CancellationToken cancellationToken) =>
        (await store.ReadAsync(KnowledgeIds.Version, cancellationToken) as KnowledgeVersionDocument)?.Version;

    /// <summary>
    /// Stores the diff with the version the import made: its pages, its header, its log entry, then the inventory it was
    /// computed against (last: an import stopped before here computes the same diff again), then deletes the documents
    /// of removed classifications. An import that changed nothing writes nothing.
    /// </summary>
    private async Task<KnowledgeDiff?> RecordDiffAsync(
        KnowledgeDiffRecorder? recorder, KnowledgeSource source, string fileName, string? fromVersion, string version, CancellationToken cancellationToken)
    {
        if (recorder is null) return null;
        var createdAt = (clock ?? TimeProvider.System).GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var recorded = await recorder.CompleteAsync(KnowledgeSources.NameOf(source), fileName, fromVersion, createdAt, cancellationToken);
        var diff = recorded.Diff with { ToVersion = version };
        if (diff.IsEmpty) return diff;

        var pages = diff.Changes.Chunk(KnowledgeDiffDocument.PageSize).ToList();
        for (var page = 0; page < pages.Count; page++) await writer.UpsertAsync(new KnowledgeDiffPageDocument(diff.Id, page, pages[page]), cancellationToken);
        await writer.UpsertAsync(
            new KnowledgeDiffDocument(diff.Id, diff.Source, diff.File, diff.FromVersion, diff.ToVersion, diff.CreatedAt, diff.Baseline, diff.Added, diff.Changed, diff.Removed, diff.Impacts, pages.Count),
            cancellationToken);
        var log = await store.ReadAsync(KnowledgeDiffLogDocument.LogId, cancellationToken) as KnowledgeDiffLogDocument;
        await writer.UpsertAsync(
            new KnowledgeDiffLogDocument([.. (log?.Diffs ?? []).Where(d => d.DiffId != diff.Id), new KnowledgeDiffLogEntry(diff.Id, diff.Source, diff.FromVersion, diff.ToVersion, diff.CreatedAt, diff.Impacts)]),
            cancellationToken);
        foreach (var document in recorded.InventoryWrites) await writer.UpsertAsync(document, cancellationToken);
        foreach (var id in recorded.Deletes) await writer.DeleteAsync(id, cancellationToken);
        return diff;
    }

    /// <summary>Upserts the documents with bounded concurrency; identical ones are left alone.</summary>
    private async Task<(long Documents, long Written)> WriteAsync(
        IAsyncEnumerable<KnowledgeDocument> read, int maxConcurrency, IProgress<ImportProgress>? progress, KnowledgeDiffRecorder? recorder, CancellationToken cancellationToken)
    {
        long documents = 0, written = 0;
        if (maxConcurrency == 1)
        {
            // In order, on this thread: an in-process store gains nothing from the parallel loop's hand-offs.
            await foreach (var document in read.WithCancellation(cancellationToken))
            {
                if (recorder is not null) await recorder.ObserveAsync(document, cancellationToken);
                if (await writer.UpsertAsync(document, cancellationToken)) written++;
                if (++documents % ProgressEvery == 0) progress?.Report(new ImportProgress(documents, written, documents - written));
            }

            progress?.Report(new ImportProgress(documents, written, documents - written));
            return (documents, written);
        }

        await Parallel.ForEachAsync(
            read,
            new ParallelOptions { MaxDegreeOfParallelism = maxConcurrency, CancellationToken = cancellationToken },
            async (document, ct) =>
            {
                if (recorder is not null) await recorder.ObserveAsync(document, ct);
                if (await writer.UpsertAsync(document, ct)) Interlocked.Increment(ref written);
                var count = Interlocked.Increment(ref documents);
                if (count % ProgressEvery == 0) progress?.Report(new ImportProgress(count, Interlocked.Read(ref written), count - Interlocked.Read(ref written)));
            });
        progress?.Report(new ImportProgress(documents, written, documents - written));
        return (documents, written);
    }

    /// <summary>
    /// Records the file in the version document. The version is a hash of all stamps: the same files give the same
    /// version on any store, and a re-import leaves it (and the cache of every reader) as it was.
    /// </summary>
    private async Task<(string Version, bool Written)> StampVersionAsync(KnowledgeSourceStamp stamp, CancellationToken cancellationToken)
    {
        var current = await store.ReadAsync(KnowledgeIds.Version, cancellationToken) as KnowledgeVersionDocument;
        var stamps = (current?.Sources ?? [])
            .Where(s => !(s.Source == stamp.Source && s.File == stamp.File))
            .Append(stamp)
            .OrderBy(s => s.Source, StringComparer.Ordinal)
            .ThenBy(s => s.File, StringComparer.Ordinal)
            .ToList();
        var document = new KnowledgeVersionDocument(VersionOf(stamps), stamps);
        return (document.Version, await writer.UpsertAsync(document, cancellationToken));
    }

    public static string VersionOf(IEnumerable<KnowledgeSourceStamp> stamps)
    {
        var text = string.Join('\n', stamps.Select(s => $"{s.Source}|{s.File}|{s.Sha256}"));
        return "kv-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..12];
    }

    private static async Task<Stream> DecompressedAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffered = new BufferedStream(stream, 1 << 16);
        var magic = new byte[2];
        var read = await buffered.ReadAtLeastAsync(magic, 2, throwOnEndOfStream: false, cancellationToken);
        var head = new PrefixedStream(magic.AsMemory(0, read), buffered);
        return read == 2 && magic[0] == 0x1f && magic[1] == 0x8b ? new GZipStream(head, CompressionMode.Decompress) : head;
    }
}
