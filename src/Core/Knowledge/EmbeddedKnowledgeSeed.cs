using System.IO.Compression;
using PrecisionMed.Core.Knowledge.Import;

namespace PrecisionMed.Core.Knowledge;

/// <summary>
/// The knowledge store embedded in the assembly (Knowledge/Seed; see its README), imported by the same importers as
/// <c>pmed knowledge import</c>, into memory, once per process. It lets <c>pmed ingest</c> enrich with no Cosmos DB at
/// all: the complete pharmacogenomic sources (PharmCAT's phenotype files, allele definitions and CPIC/DPWG guideline
/// packages, CPIC's drug table and alert language; embedded as one zip, <c>pgx/…</c> here), real-format slices of HGNC
/// and ClinVar, and an example lab profile.
/// </summary>
public sealed class EmbeddedKnowledgeSeed : IKnowledgeStore
{
    private const string ResourcePrefix = "PrecisionMed.Core.Knowledge.Seed.";

    /// <summary>The folder of the zip's files: <c>pgx/phenotype/CYP2C19.json</c> is the zip's <c>phenotype/CYP2C19.json</c>.</summary>
    public const string PgxFolder = "pgx/";

    private static readonly Lazy<IReadOnlyList<(KnowledgeSource Source, string File)>> SeedFiles = new(ListFiles);

    /// <summary>
    /// The seed files and their sources, in import order. A name ending in '/' is a folder of the zip, imported as a
    /// set (<see cref="KnowledgeSources.IsSet"/>).
    /// </summary>
    public static IReadOnlyList<(KnowledgeSource Source, string File)> Files => SeedFiles.Value;

    private static readonly Lazy<Task<CompactSeedStore>> Shared = new(() => LoadCompactAsync(CancellationToken.None));

    /// <summary>One seed per process: it is immutable once loaded.</summary>
    public static EmbeddedKnowledgeSeed Instance { get; } = new();

    public async Task<KnowledgeDocument?> ReadAsync(string id, CancellationToken cancellationToken) =>
        await (await Shared.Value.WaitAsync(cancellationToken)).ReadAsync(id, cancellationToken);

    /// <summary>Loads the seed now, with the process's other start-up, rather than at the first report's first read.</summary>
    public static Task WarmAsync(CancellationToken cancellationToken) => Shared.Value.WaitAsync(cancellationToken);

    /// <summary>A seed file's bytes, as embedded (a file of the zip decompressed, byte for byte the source's).</summary>
    public static Stream Open(string file)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (!file.StartsWith(PgxFolder, StringComparison.Ordinal)) return Resource(file);
        using var zip = new ZipArchive(Resource("pgx.zip"), ZipArchiveMode.Read);
        var entry = zip.GetEntry(file[PgxFolder.Length..]) ?? throw new FileNotFoundException($"The knowledge seed file {file} is not embedded in the assembly.");
        var copy = new MemoryStream(checked((int)entry.Length));
        using (var content = entry.Open()) content.CopyTo(copy);
        copy.Position = 0;
        return copy;
    }

    /// <summary>The files of a seed folder (<c>pgx/guidelines/</c>), named relative to it, as a set source reads them.</summary>
    public static IReadOnlyList<KnowledgeSourceFile> Folder(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        using var zip = Resource("pgx.zip");
        return KnowledgeSourceFile.FromZip(zip, folder[PgxFolder.Length..]);
    }

    /// <summary>Imports one entry of <see cref="Files"/>: a file, or a folder as a set.</summary>
    public static async Task<ImportResult> ImportAsync(
        KnowledgeImporter importer, KnowledgeSource source, string file, int maxConcurrency = 16, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(importer);
        if (KnowledgeSources.IsSet(source))
            return await importer.ImportSetAsync(source, Folder(file), file, maxConcurrency, cancellationToken: cancellationToken);
        await using var content = Open(file);
        return await importer.ImportAsync(source, content, file, maxConcurrency, cancellationToken: cancellationToken);
    }

    /// <summary>A new store holding the seed, every document as a record (tests and benchmarks draw on them).</summary>
    public static async Task<InMemoryKnowledgeStore> LoadAsync(CancellationToken cancellationToken)
    {
        var store = new InMemoryKnowledgeStore();
        await FillAsync(store, store.Loader(), cancellationToken);
        return store;
    }

    /// <summary>The seed as the process reads it (<see cref="Instance"/>): the same documents in a fraction of the memory.</summary>
    private static async Task<CompactSeedStore> LoadCompactAsync(CancellationToken cancellationToken)
    {
        var store = new CompactSeedStore();
        await FillAsync(store, store, cancellationToken);

        // Reading the seed's files makes several times the seed's size in garbage, once per process. Without this, the
        // heap the GC grew for it stays committed as headroom for the rest of the process (tens of MB of a small
        // worker's or CLI's memory); an aggressive collection gives it back to the system.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        return store;
    }

    private static async Task FillAsync(IKnowledgeStore store, IKnowledgeWriter writer, CancellationToken cancellationToken)
    {
        // One file at a time, one document at a time: the compact store has a single writer.
        var importer = new KnowledgeImporter(store, writer) { RecordsDiffs = false };
        foreach (var (source, file) in Files)
        {
            var result = await ImportAsync(importer, source, file, maxConcurrency: 1, cancellationToken);
            if (result.Diagnostics.Count > 0)
                throw new InvalidOperationException($"The embedded knowledge seed {file} has {result.Diagnostics.Count} unreadable row(s): {result.Diagnostics.Listed.First()}");
        }
    }

    private static Stream Resource(string file) =>
        typeof(EmbeddedKnowledgeSeed).Assembly.GetManifestResourceStream(ResourcePrefix + file)
        ?? throw new FileNotFoundException($"The knowledge seed file {file} is not embedded in the assembly.");

    /// <summary>The slices, then every phenotype file and allele definition in the zip, the guideline and alert sets, the drug table.</summary>
    private static List<(KnowledgeSource, string)> ListFiles()
    {
        List<string> names;
        using (var zip = new ZipArchive(Resource("pgx.zip"), ZipArchiveMode.Read))
            names = [.. zip.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal)];

        return
        [
            (KnowledgeSource.Hgnc, "hgnc_complete_set.slice.txt"),
            (KnowledgeSource.ClinVar, "clinvar_variant_summary.slice.txt"),
            .. names.Where(n => n.StartsWith("phenotype/", StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal))
                .Select(n => (KnowledgeSource.PharmCatPhenotype, PgxFolder + n)),
            .. names.Where(n => n.StartsWith("alleles/", StringComparison.Ordinal) && n.EndsWith("_translation.json", StringComparison.Ordinal))
                .Select(n => (KnowledgeSource.PharmCatAlleles, PgxFolder + n)),
            (KnowledgeSource.PharmCatGuidelines, PgxFolder + "guidelines/"),
            (KnowledgeSource.CpicDrugs, PgxFolder + "cpic/cpic_drugs_rxnorm_2019bootstrap.tsv"),
            (KnowledgeSource.CpicAlerts, PgxFolder + "cpic/alerts/"),
            (KnowledgeSource.LabProfiles, "lab_profiles.json"),
        ];
    }
}
