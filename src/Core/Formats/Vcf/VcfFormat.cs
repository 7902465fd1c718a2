using Microsoft.Extensions.Options;
using PrecisionMed.Core.Fhir;
using PrecisionMed.Core.Fhir.Genomics;
using PrecisionMed.Core.Knowledge;
using PrecisionMed.Core.Knowledge.Enrichment;
using PrecisionMed.Core.LabReports;
using PrecisionMed.Core.Pipeline;

namespace PrecisionMed.Core.Formats.Vcf;

/// <summary>
/// VCF files (plain, gzip or BGZF, decompressed by intake): one report unit per sample column. Each unit streams
/// the file once, so memory stays flat however many records it has. The reported variants are enriched from the
/// knowledge store when an enricher is given (as the pipeline's DI does), like HL7 v2 reports.
/// </summary>
public sealed class VcfFormat : IReportFormat
{
    private readonly IOptions<VcfOptions> _options;
    private readonly IVariantKnowledge _knowledge;
    private readonly ReportEnricher? _enricher;
    private readonly IOptions<LimitsOptions> _limits = Options.Create(new LimitsOptions());

    /// <summary>Maps without enrichment: the lab's content only, under the default limits.</summary>
    public VcfFormat(IOptions<VcfOptions> options, IVariantKnowledge knowledge)
    {
        _options = options;
        _knowledge = knowledge;
    }

    public VcfFormat(IOptions<VcfOptions> options, IVariantKnowledge knowledge, ReportEnricher enricher)
        : this(options, knowledge) => _enricher = enricher;

    public VcfFormat(IOptions<VcfOptions> options, IVariantKnowledge knowledge, ReportEnricher enricher, IOptions<LimitsOptions> limits)
        : this(options, knowledge, enricher) => _limits = limits;

    public LabFileFormat Format => LabFileFormat.Vcf;

    public async Task<int> CountUnitsAsync(Stream content, CancellationToken cancellationToken)
    {
        var reader = await VcfReader.OpenAsync(content, cancellationToken, _limits.Value.MaxLineBytes);
        if (reader.Header.Samples.Count == 0)
        {
            throw new LabFileRejectedException(new SourcePosition { Line = reader.Header.HeaderLineCount },
                "the VCF has no sample columns (a sites-only file): there is no one to report on");
        }

        return reader.Header.Samples.Count;
    }

    public async Task<ReportTransaction> BuildUnitAsync(Stream content, ReportProvenance provenance, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(provenance);
        provenance = provenance.OfFormat(Format);
        var reader = await VcfReader.OpenAsync(content, cancellationToken, _limits.Value.MaxLineBytes);
        var report = await new VcfReportMapper(_options.Value, _knowledge).MapAsync(reader, provenance, cancellationToken);
        if (_enricher is not null) report = await _enricher.EnrichAsync(report, provenance.LabId, cancellationToken);
        return GenomicReportBuilder.Build(report, provenance);
    }
}
