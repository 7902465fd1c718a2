using Microsoft.Extensions.Options;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Formats.Vcf;

/// <summary>
/// VCF files (plain, gzip or BGZF, decompressed by intake): one report unit per sample column. Each unit streams
/// the file once, so memory stays flat however many records it has.
/// </summary>
public sealed class VcfFormat : IReportFormat
{
    private readonly IOptions<VcfOptions> _options;
    private readonly IVariantKnowledge _knowledge;
    private readonly IOptions<LimitsOptions> _limits = Options.Create(new LimitsOptions());

    /// <summary>Under the default limits.</summary>
    public VcfFormat(IOptions<VcfOptions> options, IVariantKnowledge knowledge)
    {
        _options = options;
        _knowledge = knowledge;
    }

    public VcfFormat(IOptions<VcfOptions> options, IVariantKnowledge knowledge, IOptions<LimitsOptions> limits)
        : this(options, knowledge) => _limits = limits;

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

    /// <remarks>The lab's conventions for VCF (its profile) are read through <see cref="IVariantKnowledge"/>.</remarks>
    public async Task<MappedReportUnit> MapUnitAsync(Stream content, ReportProvenance provenance, ILabConventions? conventions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(provenance);
        var reader = await VcfReader.OpenAsync(content, cancellationToken, _limits.Value.MaxLineBytes);
        return MappedReportUnit.Of(await new VcfReportMapper(_options.Value, _knowledge).MapAsync(reader, provenance, cancellationToken));
    }
}
