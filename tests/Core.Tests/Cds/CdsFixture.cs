using System.Text.Json.Nodes;
using PrecisionMed.Core.Cds;
using PrecisionMed.Core.Cds.Governance;
using PrecisionMed.Core.Cds.Pgx;
using PrecisionMed.Core.Genomics.Index;
using PrecisionMed.Core.Knowledge;

namespace PrecisionMed.Core.Tests.Cds;

/// <summary>The CDS services over the embedded knowledge seed and an in-memory genomic index that counts its reads.</summary>
internal sealed class CdsFixture : IDisposable
{
    /// <param name="knowledge">The knowledge store; the embedded seed when null.</param>
    public CdsFixture(CdsOptions? options = null, ICdsFhirReader? fhir = null, IKnowledgeStore? knowledge = null)
    {
        Options = options ?? new CdsOptions();
        Knowledge = new KnowledgeLookup(knowledge ?? EmbeddedKnowledgeSeed.Instance, Microsoft.Extensions.Options.Options.Create(new KnowledgeOptions()), TimeProvider.System);
        Pgx = new PgxPrescribingService(Knowledge, Index, fhir ?? Fhir, Microsoft.Extensions.Options.Options.Create(Options));
        Governance = new GeneticTestGovernanceService(Knowledge, Index, Microsoft.Extensions.Options.Options.Create(Options), TimeProvider.System);
    }

    public CdsOptions Options { get; }

    public KnowledgeLookup Knowledge { get; }

    public CountingIndex Index { get; } = new();

    public RecordingFhir Fhir { get; } = new();

    public PgxPrescribingService Pgx { get; }

    public GeneticTestGovernanceService Governance { get; }

    public Task AddGenotypesAsync(string patient, string report, string date, params string[] genotypes) =>
        Index.WriteAsync(new IndexedReport
        {
            Report = report,
            Patient = $"Patient/{patient}",
            Status = "final",
            TestDate = date,
            Lab = "Example PGx lab",
            TestIds = ["ACC-1"],
            Codes = ["http://loinc.org|51969-4", "urn:precisionmed:lab:example-lab|SL-CGPANEL"],
            Haplotypes = [.. genotypes.Select((g, i) => new IndexedHaplotype($"Observation/{report.Split('/')[1]}-g{i}", "genotype", [new IndexedGene(null, g.Split(' ')[0])], g, []))],
        }, CancellationToken.None);

    public void Dispose() => Knowledge.Dispose();

    internal sealed class CountingIndex : IGenomicIndex
    {
        private readonly InMemoryGenomicIndex _inner = new();
        private int _subjectReads;

        public int SubjectReads => _subjectReads;

        public Task<IReadOnlyList<IndexedReport>> ReadSubjectAsync(string patient, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _subjectReads);
            return _inner.ReadSubjectAsync(patient, cancellationToken);
        }

        public Task<IReadOnlyList<IndexedReport>> ReadPopulationAsync(PopulationKey key, CancellationToken cancellationToken) => throw new InvalidOperationException("CDS reads no population");

        public Task<long> CountSubjectsAsync(CancellationToken cancellationToken) => throw new InvalidOperationException("CDS counts no population");

        public Task WriteAsync(IndexedReport report, CancellationToken cancellationToken) => _inner.WriteAsync(report, cancellationToken);

        public Task RemoveAsync(string patient, string report, CancellationToken cancellationToken) => _inner.RemoveAsync(patient, report, cancellationToken);
    }

    /// <summary>A FHIR server holding the resources given to it; none reachable when <see cref="Down"/>.</summary>
    internal sealed class RecordingFhir : ICdsFhirReader
    {
        public Dictionary<string, JsonObject> Resources { get; } = new(StringComparer.Ordinal);

        public bool Down { get; set; } = true;

        public List<(string Reference, string? Token)> Reads { get; } = [];

        public Task<JsonObject?> ReadAsync(CdsHookRequest request, string reference, CancellationToken cancellationToken)
        {
            Reads.Add((reference, request.FhirAuthorization?.AccessToken));
            if (Down) throw new CdsFetchException("no FHIR server in this test");
            return Task.FromResult(Resources.GetValueOrDefault(reference));
        }

        /// <summary>Searches asked, with the token they carried.</summary>
        public List<(string Query, string? Token)> Searches { get; } = [];

        /// <summary>Searches answer from <see cref="Resources"/> by resource type; with the server <see cref="Down"/>, there is none to ask.</summary>
        public Task<IReadOnlyList<JsonObject>?> SearchAsync(CdsHookRequest request, string query, CancellationToken cancellationToken)
        {
            Searches.Add((query, request.FhirAuthorization?.AccessToken));
            if (Down) return Task.FromResult<IReadOnlyList<JsonObject>?>(null);
            var type = query.Split('?')[0];
            return Task.FromResult<IReadOnlyList<JsonObject>?>([.. Resources.Values.Where(r => (string?)r["resourceType"] == type)]);
        }
    }
}
