using PrecisionMed.Core.Genomics.Index;

namespace PrecisionMed.Core.Genomics.Operations;

/// <summary>The filters the subject operations share: the tests (by identifier and date), the specimens and the genomic
/// source class; a filter not given lets everything through.</summary>
internal static class ReportFilter
{
    public static IEnumerable<IndexedReport> Reports(OperationRequest request, IEnumerable<IndexedReport> reports) =>
        reports.Where(r => Keeps(request, r));

    public static bool Keeps(OperationRequest request, IndexedReport report) =>
        (request.TestIdentifiers.Count == 0 || report.TestIds.Any(id => request.TestIdentifiers.Contains(id, StringComparer.Ordinal))
            || request.TestIdentifiers.Contains(report.Report, StringComparer.Ordinal))
        && (request.TestDateRange is not { } range || range.Contains(report.TestDate))
        && (request.SpecimenIdentifiers.Count == 0 || report.SpecimenIds.Any(id => request.SpecimenIdentifiers.Contains(id, StringComparer.Ordinal)));

    /// <summary>The report's variants of the asked genomic source class (a variant that does not state its class is kept).</summary>
    public static IEnumerable<IndexedVariant> Variants(OperationRequest request, IndexedReport report) =>
        report.Variants.Where(v => request.GenomicSourceClass is null || v.SourceClass is null || v.SourceClass == request.GenomicSourceClass);

    /// <summary>The report's genotypes and haplotypes of the asked genomic source class (one that does not state its class is kept).</summary>
    public static IEnumerable<IndexedHaplotype> Haplotypes(OperationRequest request, IndexedReport report) =>
        report.Haplotypes.Where(h => request.GenomicSourceClass is null || h.SourceClass is null || h.SourceClass == request.GenomicSourceClass);
}
