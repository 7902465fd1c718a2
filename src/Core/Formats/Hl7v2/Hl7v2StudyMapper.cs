using System.Globalization;
using PrecisionMed.Core.LabReports;
using static PrecisionMed.Core.Formats.Hl7v2.Hl7v2GenomicCodes;

namespace PrecisionMed.Core.Formats.Hl7v2;

/// <summary>Overall-study items to the report's fields (conclusion, genes and regions studied, build), and phase rows to PhaseRelationships.</summary>
internal static class Hl7v2StudyMapper
{
    internal static void MapOverall(Hl7v2ReportAccumulator acc, List<ObxGroup> overall)
    {
        if (overall.Count == 0) return;
        var refSeqs = overall.ToDictionary(g => g.Key, g => g.Of(GenomicRefSeq).FirstOrDefault(), StringComparer.Ordinal);
        foreach (var group in overall)
        {
            foreach (var row in group.Rows.Where(r => r.Code != GenomicRefSeq))
            {
                var parent = group.Key.LastIndexOf('.') is var dot and > 0 ? group.Key[..dot] : null;
                var refSeq = refSeqs[group.Key] ?? (parent is not null && refSeqs.TryGetValue(parent, out var p) ? p : null);
                if (MapOverallRow(acc, row, refSeq) && row.Code == RegionRange && refSeq is not null) acc.Mapped(refSeq);
            }
        }

        // A reference sequence no range used is itself the region studied.
        foreach (var row in overall.SelectMany(g => g.Of(GenomicRefSeq)).Where(r => !acc.MappedRows.Contains(r.Occurrence)))
        {
            if (row.FirstValue is { } value)
            {
                acc.Regions.Add(Hl7v2GroupValues.TextOf(value));
                acc.Mapped(row);
            }
        }
    }

    /// <summary>Maps an overall-study item to its report field; false when the report has no field for it.</summary>
    internal static bool MapOverallRow(Hl7v2ReportAccumulator acc, ObxRow row, ObxRow? refSeq)
    {
        switch (row.Code)
        {
            case Conclusion when row.Values.Count > 0:
                acc.Conclusion.Add(string.Join("\n", row.Values.Select(Hl7v2GroupValues.TextOf)));
                break;
            case ConclusionCode when acc.ConclusionCode is null && row.Shaped is CodedValue code:
                acc.ConclusionCode = code;
                break;
            case Hl7v2GenomicCodes.GenomeBuild when acc.GenomeBuild is null && row.Shaped is CodedValue build:
                acc.GenomeBuild = build;
                break;
            case Gene when row.Values.Count > 0:
                foreach (var value in row.Values.Select(v => Shape(Gene, v)))
                {
                    if (IsNoGenePlaceholder(value)) continue;
                    if (value is CodedValue gene) acc.Genes.Add(gene);
                }

                break;
            case RegionRange when row.FirstValue is RangeValue range:
                var prefix = refSeq?.FirstValue is { } seq ? Hl7v2GroupValues.TextOf(seq) + ":" : string.Empty;
                acc.Regions.Add(string.Create(CultureInfo.InvariantCulture, $"{prefix}{range.Low}-{range.High}"));
                break;
            case RegionText when row.Values.Count > 0:
                acc.Regions.AddRange(row.Values.Select(Hl7v2GroupValues.TextOf));
                break;
            default:
                return false;
        }

        acc.Mapped(row);
        return true;
    }

    internal static void MapPhaseRelationships(Hl7v2ReportAccumulator acc)
    {
        if (acc.PhaseRows.Count == 0) return;
        foreach (var set in acc.PhaseRows.GroupBy(p => (p.Answer, p.Relationship)))
        {
            var variants = set.Select(p => p.VariantKey).Distinct(StringComparer.Ordinal).ToList();
            if (variants.Count < 2)
            {
                foreach (var (_, _, _, row) in set)
                    acc.Skip(row, row.Segment.Field(5), "82120-7 (allelic phase) names no other variant in the same phase set: there is no relationship to record");
                continue;
            }

            acc.Phases.Add(new PhaseRelationshipFinding("phase:" + string.Join('+', variants), set.Key.Relationship, variants));
            acc.Mapped(set.Select(p => p.Row));
        }
    }

    /// <summary>A finding has one gene: the group's first; any further genes are kept as genes the report studied.</summary>
    internal static void MapExtraGenes(Hl7v2ReportAccumulator acc, ObxGroup group)
    {
        foreach (var row in group.Of(Gene).Skip(1))
        {
            foreach (var value in row.Values.Select(v => Shape(Gene, v)).OfType<CodedValue>())
            {
                if (!IsNoGenePlaceholder(value) && !acc.Genes.Any(g => Hl7v2GroupValues.SameGene(g, value))) acc.Genes.Add(value);
            }
        }

        acc.Mapped(group.Of(Gene));
    }
}
