using static PrecisionMed.Core.Formats.Hl7v2.Hl7v2GenomicCodes;

namespace PrecisionMed.Core.Formats.Hl7v2;

/// <summary>The genetic panel's rows to findings: groups them, hands each kind of group to its mapper, and maps what no finding took.</summary>
internal static class Hl7v2GenomicMapper
{
    internal static void MapGenomicGroups(Hl7v2ReportAccumulator acc, List<ObxRow> rows)
    {
        if (rows.Count == 0) return;

        // Plain loops and lists rather than GroupBy/Except chains: this runs for every message, general lab ones too,
        // and its iterators and sets were a third of a small message's mapping cost.
        var (overall, complex, variants, pharmacogenomic, haplotypeDefinitions) = Hl7v2ObxGrouper.Classify(rows);

        foreach (var group in variants) Hl7v2VariantMapper.MapVariant(acc, group);
        foreach (var group in complex) Hl7v2GenotypeMapper.MapComplex(acc, group, variants);
        foreach (var group in haplotypeDefinitions) Hl7v2GenotypeMapper.MapHaplotypeDefinition(acc, group, variants);

        if (pharmacogenomic.Count > 0)
        {
            var medicationGroups = new HashSet<ObxGroup>();
            foreach (var group in pharmacogenomic)
            {
                if (group.Has(Genotype) || group.HasAny(TherapeuticImplicationItems)) Hl7v2PharmacogenomicMapper.MapPharmacogenomic(acc, group, pharmacogenomic, medicationGroups);
            }

            foreach (var group in pharmacogenomic)
            {
                if (!medicationGroups.Contains(group) && !group.Has(Genotype) && !group.HasAny(TherapeuticImplicationItems))
                    Hl7v2PharmacogenomicMapper.MapPharmacogenomic(acc, group, pharmacogenomic, medicationGroups);
            }
        }

        Hl7v2StudyMapper.MapOverall(acc, overall);
        Hl7v2StudyMapper.MapPhaseRelationships(acc);

        // What no finding took: study-level items are report fields, anything else a plain result.
        foreach (var row in rows)
        {
            if (!acc.MappedRows.Contains(row.Occurrence) && !row.Skipped && !Hl7v2StudyMapper.MapOverallRow(acc, row, refSeq: null)) Hl7v2LabResultMapper.MapLabResult(acc, row);
        }
    }
}
