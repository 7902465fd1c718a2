using PrecisionMed.Core.LabReports;
using static PrecisionMed.Core.Formats.Hl7v2.Hl7v2GenomicCodes;

namespace PrecisionMed.Core.Formats.Hl7v2;

/// <summary>A complex-variant group to a Genotype, and a haplotype-definition group to a Haplotype, both derived from their nested variants.</summary>
internal static class Hl7v2GenotypeMapper
{
    internal static void MapComplex(Hl7v2ReportAccumulator acc, ObxGroup group, List<ObxGroup> variants)
    {
        var id = group.Of(ComplexId).Select(r => r.Shaped).OfType<CodedValue>().Select(Hl7v2GroupValues.TextOf).FirstOrDefault();
        var members = variants
            .Where(v => v.IsChildOf(group) || (id is not null && v.Of(ComplexId).Any(r => r.Shaped is CodedValue c && Hl7v2GroupValues.TextOf(c) == id)))
            .ToList();
        foreach (var member in members) acc.Mapped(member.Of(ComplexId));
        acc.Mapped(group.Of(ComplexId));

        // The genotype is named by the complex id (e.g. ClinVar RCV) and its HGVS, both the same concept; the type alone otherwise.
        var idRow = group.Of(ComplexId).FirstOrDefault();
        var hgvs = group.Of(ComplexHgvs).FirstOrDefault();
        var type = group.Of(ComplexType).FirstOrDefault();
        var codings = new List<Coding>();
        string? text = null;
        foreach (var named in new[] { idRow, hgvs }.OfType<ObxRow>())
        {
            if (named.Shaped is not CodedValue coded) continue;
            codings.AddRange(coded.Codings);
            text = named == hgvs ? Hl7v2GroupValues.TextOf(coded) : text ?? coded.Text;
            acc.Mapped(named);
        }

        var value = codings.Count > 0 || text is not null ? new CodedValue(codings, text)
            : type?.Shaped as CodedValue ?? new CodedValue([], "complex variant");
        if (type is not null)
        {
            if (codings.Count == 0 && text is null) acc.Mapped(type);
            else acc.Skip(type, type.Segment.Field(5), "81263-6 (complex variant type) has no place on the Genotype beside its name; the variants it is derived from carry it");
        }

        // The members' gene when they share one; members in different genes give the genotype none (not an exception).
        var memberGenes = members.Select(Hl7v2GroupValues.GeneOf).OfType<CodedValue>().DistinctBy(Hl7v2GroupValues.TextOf).ToList();
        var gene = Hl7v2GroupValues.GeneOf(group) ?? (memberGenes.Count == 1 ? memberGenes[0] : null);
        Hl7v2StudyMapper.MapExtraGenes(acc, group);
        var derivedFrom = members.Select(m => m.Key).ToList();
        acc.Genotypes.Add(new GenotypeFinding(group.Key, value, gene is null ? [] : [gene, .. Hl7v2GroupValues.GenesOf(group).Skip(1)], derivedFrom));
        Hl7v2VariantMapper.MapDiagnosticImplication(acc, group, group.Key, [group.Key]);
    }

    internal static void MapHaplotypeDefinition(Hl7v2ReportAccumulator acc, ObxGroup group, List<ObxGroup> variants)
    {
        var gene = Hl7v2GroupValues.GeneOf(group);
        Hl7v2StudyMapper.MapExtraGenes(acc, group);
        var derivedFrom = variants.Where(v => v.IsChildOf(group)).Select(v => v.Key).ToList();
        var number = 0;
        foreach (var row in group.Of(Haplotype))
        {
            if (row.Shaped is not CodedValue haplotype) continue;
            acc.Haplotypes.Add(new HaplotypeFinding(number++ == 0 ? group.Key : $"{group.Key}:{number}", haplotype, gene, derivedFrom));
            acc.Mapped(row);
        }
    }
}
