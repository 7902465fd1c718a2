using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Knowledge.Enrichment;

/// <summary>The lab conventions a format's mapping reads (<see cref="ILabConventions"/>), from the knowledge store's code maps and lab profiles.</summary>
public sealed class KnowledgeLabConventions(ReportEnricher enricher) : ILabConventions
{
    public Task<IReadOnlyDictionary<string, string>> LoincForLocalCodesAsync(string labId, IEnumerable<string> localCodes, CancellationToken cancellationToken) =>
        enricher.LabCodesAsync(labId, localCodes, cancellationToken);

    public Task<string?> PatientIdentifierSystemAsync(string labId, CancellationToken cancellationToken) =>
        enricher.LabPatientIdentifierSystemAsync(labId, cancellationToken);
}
