using System.Globalization;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Formats.Vcf;

/// <summary>
/// One sample column of a VCF to the canonical <see cref="LabReport"/>: streams the records once, applies the
/// reportable-variant policy, and turns each reported ALT allele the sample carries into a
/// <see cref="VariantFinding"/> (split multi-allelic, normalised, with g.HGVS, allelic state, depth, frequency,
/// annotations), plus Cis/Trans relationships for phased calls, and the genotypes at pharmacogene positions and the
/// lab's own diplotypes as they stand (enrichment calls star alleles from them). Every record is counted under one outcome.
/// </summary>
public sealed partial class VcfReportMapper
{
    private readonly VcfOptions _options;
    private readonly IVariantKnowledge _knowledge;

    public VcfReportMapper(VcfOptions options, IVariantKnowledge knowledge)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(knowledge);
        _options = options;
        _knowledge = knowledge;
    }

    /// <summary>Positioned problems listed per unit; the per-outcome counts stay exact beyond it.</summary>
    public const int MaxListedProblems = LabReport.MaxListedProblems;

    public async Task<LabReport> MapAsync(VcfReader reader, ReportProvenance provenance, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(provenance);
        var header = reader.Header;
        var sample = provenance.UnitIndex;
        if (sample >= header.Samples.Count)
        {
            throw new LabFileRejectedException(SourcePosition.None, string.Create(CultureInfo.InvariantCulture,
                $"the file now has {header.Samples.Count} sample column(s) but sample {sample + 1} was planned"));
        }

        // What the file states wins; the lab's profile says what its files usually leave out; the options are the last resort.
        var profile = await _knowledge.LabProfileAsync(provenance.LabId, cancellationToken);
        var identity = Identify(header, sample, provenance, profile);
        var build = VcfHeaderBuild.Of(header) ?? GenomeBuild.FromName(profile?.GenomeBuild) ?? GenomeBuild.FromName(_options.GenomeBuild);
        var sourceClass = string.IsNullOrWhiteSpace(profile?.SourceClass) ? _options.GenomicSourceClass : profile.SourceClass;
        var regions = string.IsNullOrWhiteSpace(_options.RegionsBed) ? null : BedRegions.Load(_options.RegionsBed);
        var pharmacogenes = new PharmacogeneGenotypes(build is null ? [] : await _knowledge.PharmacogenePositionsAsync(build.Name, cancellationToken), _options.SampleSex == SampleSex.Male);
        var unit = new SampleUnit(this, header, sample, build, new VcfReportablePolicy(_options, regions, sourceClass), pharmacogenes);
        if (build is null)
        {
            unit.Problem(new LabFileProblem(SourcePosition.None,
                "the header names no genome build GRCh37/GRCh38 (##reference, ##contig assembly or length), the lab's profile names none "
                + "and option Vcf:GenomeBuild (pmed ingest --genome-build) is not set: variants carry no RefSeq chromosome accession nor g.HGVS"));
        }

        unit.ReadHeaderDiplotypes();
        while (await reader.ReadAsync(cancellationToken))
        {
            var record = reader.Current;
            unit.CollectPharmacogenes(record);
            var pending = unit.Select(record);
            if (pending is null) continue;
            await unit.AcceptAsync(pending, cancellationToken);
        }

        unit.Count(VcfRecordOutcome.MalformedLine, reader.MalformedCount);
        foreach (var diagnostic in reader.Diagnostics.Take(MaxListedProblems)) unit.Problem(diagnostic);
        return unit.ToReport(provenance, identity, regions);
    }
}
