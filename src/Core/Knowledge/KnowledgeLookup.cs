using Microsoft.Extensions.Options;

namespace PrecisionMed.Core.Knowledge;

/// <summary>
/// Typed, cached reads of the knowledge store: what enrichment (and a VCF reader asking "is this variant known?")
/// calls. Every lookup is one point read on a cache miss and none on a hit; absences are cached too. The version
/// is re-read at most every <see cref="KnowledgeOptions.VersionRefresh"/>, and a new version empties the cache, so a
/// report never mixes documents of two versions it did not record.
/// </summary>
public sealed class KnowledgeLookup : IDisposable
{
    private readonly IKnowledgeStore _store;
    private readonly TimeProvider _clock;
    private readonly KnowledgeOptions _options;
    private readonly KnowledgeCache _cache;
    private readonly SemaphoreSlim _versionLock = new(1, 1);
    private KnowledgeVersionDocument? _version;
    private DateTimeOffset _versionReadAt = DateTimeOffset.MinValue;
    private long _lookups;
    private long _storeReads;
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<AlleleDefinitionDocument, AlleleDefinitionDocument> _withExemptions = [];

    public KnowledgeLookup(IKnowledgeStore store, IOptions<KnowledgeOptions> options, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _clock = clock;
        _options = options.Value;
        _cache = new KnowledgeCache(_options.CacheEntries);
    }

    /// <summary>Lookups asked of this instance (cache hits included).</summary>
    public long Lookups => Interlocked.Read(ref _lookups);

    /// <summary>Reads that went to the store (cache misses and version refreshes).</summary>
    public long StoreReads => Interlocked.Read(ref _storeReads);

    public int CachedEntries => _cache.Count;

    /// <summary>How many entries a cache of what is derived from the knowledge may hold (<see cref="KnowledgeOptions.CacheEntries"/>).</summary>
    public int CacheCapacity => _options.CacheEntries;

    /// <summary>The store's version, or <c>unversioned</c> when it has no version document.</summary>
    public async Task<string> VersionAsync(CancellationToken cancellationToken)
    {
        if (_clock.GetUtcNow() - _versionReadAt < _options.VersionRefresh) return _version?.Version ?? Unversioned;
        await _versionLock.WaitAsync(cancellationToken);
        try
        {
            if (_clock.GetUtcNow() - _versionReadAt >= _options.VersionRefresh)
            {
                Interlocked.Increment(ref _storeReads);
                var current = await _store.ReadAsync(KnowledgeIds.Version, cancellationToken) as KnowledgeVersionDocument;
                if (current?.Version != _version?.Version) _cache.Clear();
                _version = current;
                _versionReadAt = _clock.GetUtcNow();
            }

            return _version?.Version ?? Unversioned;
        }
        finally
        {
            _versionLock.Release();
        }
    }

    public const string Unversioned = "unversioned";

    public void Dispose() => _versionLock.Dispose();

    public Task<GeneDocument?> FindGeneAsync(string hgncId, CancellationToken cancellationToken) =>
        ReadAsync<GeneDocument>(KnowledgeIds.Gene(hgncId), cancellationToken);

    public Task<GeneSymbolDocument?> FindSymbolAsync(string symbol, CancellationToken cancellationToken) =>
        ReadAsync<GeneSymbolDocument>(KnowledgeIds.Symbol(symbol), cancellationToken);

    /// <summary>What is known about the variant at build:chrom:pos:ref:alt.</summary>
    public async Task<VariantClassification?> FindVariantAsync(VariantLocation location, CancellationToken cancellationToken) =>
        (await ReadAsync<VariantDocument>(KnowledgeIds.Variant(location), cancellationToken))?.Classification;

    /// <summary>What is known about the variant named by an HGVS expression (c. or g.; see <see cref="KnowledgeIds.NormaliseHgvs"/>).</summary>
    public async Task<VariantClassification?> FindVariantByHgvsAsync(string hgvs, CancellationToken cancellationToken) =>
        (await ReadAsync<VariantHgvsDocument>(KnowledgeIds.Hgvs(hgvs), cancellationToken))?.Classification;

    public Task<DiplotypePhenotypeDocument?> FindPhenotypeAsync(string gene, string diplotype, CancellationToken cancellationToken) =>
        ReadAsync<DiplotypePhenotypeDocument>(KnowledgeIds.Diplotype(gene, diplotype), cancellationToken);

    public Task<AlleleFunctionDocument?> FindAlleleFunctionAsync(string gene, string allele, CancellationToken cancellationToken) =>
        ReadAsync<AlleleFunctionDocument>(KnowledgeIds.AlleleFunction(gene, allele), cancellationToken);

    /// <summary>
    /// A gene's allele definitions with its exemptions attached (a document of their own in the store). The same
    /// stored definitions give the same instance back, so the caller's per-definition index is built once.
    /// </summary>
    public async Task<AlleleDefinitionDocument?> FindAlleleDefinitionsAsync(string gene, CancellationToken cancellationToken)
    {
        var definitions = await ReadAsync<AlleleDefinitionDocument>(KnowledgeIds.AlleleDefinition(gene), cancellationToken);
        if (definitions is null || definitions.Exemption is not null) return definitions;
        if (_withExemptions.TryGetValue(definitions, out var merged)) return merged;
        var exemption = await ReadAsync<AlleleExemptionDocument>(KnowledgeIds.AlleleExemption(gene), cancellationToken);
        return _withExemptions.GetValue(definitions, d => exemption is null ? d : d with { Exemption = exemption.Exemption });
    }

    /// <summary>Which gene sets have guideline recommendations (one document, cached like any other).</summary>
    public Task<GuidelineIndexDocument?> FindGuidelineIndexAsync(CancellationToken cancellationToken) =>
        ReadAsync<GuidelineIndexDocument>(KnowledgeIds.GuidelineIndex, cancellationToken);

    /// <summary>Every recommendation of the guidelines naming exactly these genes, for every drug.</summary>
    public Task<GuidelineSetDocument?> FindGuidelinesAsync(IEnumerable<string> genes, CancellationToken cancellationToken) =>
        ReadAsync<GuidelineSetDocument>(KnowledgeIds.GuidelineSet(genes), cancellationToken);

    /// <summary>CPIC's drug table (RxNorm, DrugBank, ATC per PharmGKB id).</summary>
    public Task<DrugTableDocument?> FindDrugTableAsync(CancellationToken cancellationToken) =>
        ReadAsync<DrugTableDocument>(KnowledgeIds.DrugTable, cancellationToken);

    /// <summary>CPIC's pre- and post-test alert language for a drug.</summary>
    public Task<CdsAlertDocument?> FindCdsAlertsAsync(string drug, CancellationToken cancellationToken) =>
        ReadAsync<CdsAlertDocument>(KnowledgeIds.CdsAlerts(drug), cancellationToken);

    /// <summary>An RxNorm drug concept and its ingredients (imported from RxNorm's RRF files); null for an ingredient or an unknown code.</summary>
    public Task<RxNormDrugDocument?> FindRxNormDrugAsync(string rxcui, CancellationToken cancellationToken) =>
        ReadAsync<RxNormDrugDocument>(KnowledgeIds.RxNormDrug(rxcui), cancellationToken);

    public Task<LabCodeDocument?> FindLabCodeAsync(string labId, string code, CancellationToken cancellationToken) =>
        ReadAsync<LabCodeDocument>(KnowledgeIds.LabCode(labId, code), cancellationToken);

    public Task<LabProfileDocument?> FindLabProfileAsync(string labId, CancellationToken cancellationToken) =>
        ReadAsync<LabProfileDocument>(KnowledgeIds.LabProfile(labId), cancellationToken);

    private async Task<T?> ReadAsync<T>(string id, CancellationToken cancellationToken)
        where T : KnowledgeDocument
    {
        Interlocked.Increment(ref _lookups);
        if (_cache.TryGet(id, out var cached)) return cached as T;
        Interlocked.Increment(ref _storeReads);
        var document = await _store.ReadAsync(id, cancellationToken);
        _cache.Set(id, document);
        return document as T;
    }
}
