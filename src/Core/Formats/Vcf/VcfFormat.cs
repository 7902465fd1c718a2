using Microsoft.Extensions.Options;
using PrecisionMed.Core.Fhir;
using PrecisionMed.Core.Fhir.Genomics;
using PrecisionMed.Core.Pipeline;

namespace PrecisionMed.Core.Formats.Vcf;

/// <summary>
/// VCF files (plain, gzip or BGZF, decompressed by intake): one report unit per sample column. Each unit streams
/// the file once, so memory stays flat however many records it has.
/// </summary>
public sealed class VcfFormat(IOptions<VcfOptions> options, IVariantKnowledge knowledge) : IReportFormat
{
    public LabFileFormat Format => LabFileFormat.Vcf;

    public async Task<int> CountUnitsAsync(Stream content, CancellationToken cancellationToken)
    {
        var reader = await VcfReader.OpenAsync(content, cancellationToken, options.Value.MaxLineBytes);
        if (reader.Header.Samples.Count == 0)
        {
            throw new LabFileRejectedException(new SourcePosition { Line = reader.Header.HeaderLineCount },
                "the VCF has no sample columns (a sites-only file): there is no one to report on");
        }

        return reader.Header.Samples.Count;
    }

    public async Task<ReportTransaction> BuildUnitAsync(Stream content, ReportProvenance provenance, CancellationToken cancellationToken)
    {
        var reader = await VcfReader.OpenAsync(content, cancellationToken, options.Value.MaxLineBytes);
        var report = await new VcfReportMapper(options.Value, knowledge).MapAsync(reader, provenance, cancellationToken);
        return GenomicReportBuilder.Build(report, provenance);
    }
}
