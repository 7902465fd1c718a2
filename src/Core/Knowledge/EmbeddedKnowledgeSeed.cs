using PrecisionMed.Core.Knowledge.Import;

namespace PrecisionMed.Core.Knowledge;

/// <summary>
/// The knowledge store embedded in the assembly: the seed files in Knowledge/Seed (real-format slices of HGNC, ClinVar,
/// CPIC/PharmCAT and a lab profile; see its README) imported by the same importers as <c>pmed knowledge import</c>, into
/// memory, once per process. It lets <c>pmed ingest</c> enrich with no Cosmos DB at all.
/// </summary>
public sealed class EmbeddedKnowledgeSeed : IKnowledgeStore
{
    /// <summary>The seed files and their sources, in import order.</summary>
    public static IReadOnlyList<(KnowledgeSource Source, string File)> Files { get; } =
    [
        (KnowledgeSource.Hgnc, "hgnc_complete_set.slice.txt"),
        (KnowledgeSource.ClinVar, "clinvar_variant_summary.slice.txt"),
        (KnowledgeSource.PharmCatPhenotype, "pharmcat_phenotype_CYP2C19.json"),
        (KnowledgeSource.PharmCatPhenotype, "pharmcat_phenotype_CYP3A5.json"),
        (KnowledgeSource.PharmCatPhenotype, "pharmcat_phenotype_VKORC1.json"),
        (KnowledgeSource.PharmCatPhenotype, "pharmcat_phenotype_CYP2C9.json"),
        (KnowledgeSource.PharmCatAlleles, "pharmcat_CYP2C19_translation.json"),
        (KnowledgeSource.PharmCatAlleles, "pharmcat_VKORC1_translation.json"),
        (KnowledgeSource.PharmCatAlleles, "pharmcat_CYP2C9_translation.json"),
        (KnowledgeSource.CpicRecommendations, "cpic_recommendations.slice.tsv"),
        (KnowledgeSource.LabProfiles, "lab_profiles.json"),
    ];

    private static readonly Lazy<Task<InMemoryKnowledgeStore>> Shared = new(() => LoadAsync(CancellationToken.None));

    /// <summary>One seed per process: it is immutable once loaded.</summary>
    public static EmbeddedKnowledgeSeed Instance { get; } = new();

    public async Task<KnowledgeDocument?> ReadAsync(string id, CancellationToken cancellationToken) =>
        await (await Shared.Value.WaitAsync(cancellationToken)).ReadAsync(id, cancellationToken);

    /// <summary>Loads the seed now, with the process's other start-up, rather than at the first report's first read.</summary>
    public static Task WarmAsync(CancellationToken cancellationToken) => Shared.Value.WaitAsync(cancellationToken);

    /// <summary>A seed file's bytes, as embedded.</summary>
    public static Stream Open(string file) =>
        typeof(EmbeddedKnowledgeSeed).Assembly.GetManifestResourceStream("PrecisionMed.Core.Knowledge.Seed." + file)
        ?? throw new FileNotFoundException($"The knowledge seed file {file} is not embedded in the assembly.");

    /// <summary>A new store holding the seed.</summary>
    public static async Task<InMemoryKnowledgeStore> LoadAsync(CancellationToken cancellationToken)
    {
        var store = new InMemoryKnowledgeStore();
        var importer = new KnowledgeImporter(store, store);
        foreach (var (source, file) in Files)
        {
            await using var content = Open(file);
            var result = await importer.ImportAsync(source, content, file, maxConcurrency: 1, cancellationToken: cancellationToken);
            if (result.Diagnostics.Count > 0)
                throw new InvalidOperationException($"The embedded knowledge seed {file} has {result.Diagnostics.Count} unreadable row(s): {result.Diagnostics.Listed.First()}");
        }

        return store;
    }
}
