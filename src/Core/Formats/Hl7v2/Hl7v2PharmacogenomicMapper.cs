using System.Globalization;
using PrecisionMed.Core.LabReports;
using static PrecisionMed.Core.Formats.Hl7v2.Hl7v2GenomicCodes;

namespace PrecisionMed.Core.Formats.Hl7v2;

/// <summary>A pharmacogenomic group to its Genotype or Haplotype and one TherapeuticImplication per medication and kind.</summary>
internal static class Hl7v2PharmacogenomicMapper
{
    internal static void MapPharmacogenomic(Hl7v2ReportAccumulator acc, ObxGroup group, List<ObxGroup> pharmacogenomic, HashSet<ObxGroup> medicationGroups)
    {
        var gene = Hl7v2GroupValues.GeneOf(group);
        Hl7v2StudyMapper.MapExtraGenes(acc, group);

        var haplotypeKeys = new List<string>();
        var number = 0;
        foreach (var row in group.Of(Haplotype))
        {
            if (row.Shaped is not CodedValue haplotype) continue;
            var key = $"{group.Key}:haplotype{++number}";
            acc.Haplotypes.Add(new HaplotypeFinding(key, haplotype, gene, []));
            haplotypeKeys.Add(key);
            acc.Mapped(row);
        }

        if (haplotypeKeys.Count == 0 && gene is not null)
            haplotypeKeys.AddRange(acc.Haplotypes.Where(h => Hl7v2GroupValues.SameGene(h.Gene, gene)).Select(h => h.Key));

        IReadOnlyList<string> derivedFrom = haplotypeKeys;
        var genotypeRow = group.Of(Genotype).FirstOrDefault();
        if (genotypeRow?.Shaped is CodedValue genotype)
        {
            acc.Genotypes.Add(new GenotypeFinding(group.Key, genotype, Hl7v2GroupValues.GenesOf(group), haplotypeKeys));
            derivedFrom = [group.Key];
            acc.Mapped(genotypeRow);
        }

        // Implication rows before the group's first 51963-7 hold for every medication of the group; one after it, for that medication.
        var firstMedication = group.Rows.FirstOrDefault(r => r.Code == Medication)?.Occurrence ?? int.MaxValue;
        var implications = group.Rows.Where(r => TherapeuticImplicationItems.Contains(r.Code)).ToList();
        var shared = implications.Where(r => r.Occurrence < firstMedication).ToList();
        acc.Mapped(implications);
        var sharedEvidence = group.Of(EvidenceLevel).Where(r => r.Occurrence < firstMedication).ToList();
        acc.Mapped(group.Of(EvidenceLevel));

        // Medications: nested groups first (82117-3 as "4a.1"), then 51963-7 rows of the group itself.
        var medications = new List<List<ObxRow>>();
        foreach (var child in pharmacogenomic.Where(g => g != group && g.IsChildOf(group)))
        {
            medicationGroups.Add(child);
            acc.Mapped(child.Rows.Where(r => TherapeuticImplicationItems.Contains(r.Code) || r.Code == EvidenceLevel));
            medications.Add([.. child.Rows]);
        }

        List<ObxRow>? current = null;
        foreach (var row in group.Rows.Where(r => r.Code is Medication or MedicationSuggestion or MedicationNarrative
            || (r.Occurrence > firstMedication && (r.Code == EvidenceLevel || TherapeuticImplicationItems.Contains(r.Code)))))
        {
            if (row.Code == Medication || current is null)
            {
                current = [];
                medications.Add(current);
            }

            current.Add(row);
        }

        if (medications.Count == 0 && shared.Count > 0) medications.Add([]);
        var index = 0;
        foreach (var rows in medications)
        {
            var medication = rows.FirstOrDefault(r => r.Code == Medication)?.Shaped as CodedValue;
            var recommendation = rows.FirstOrDefault(r => r.Code == MedicationSuggestion)?.Shaped as CodedValue;
            var narrative = string.Join("\n", rows.Where(r => r.Code == MedicationNarrative).SelectMany(r => r.Values).Select(Hl7v2GroupValues.TextOf));
            var evidence = rows.Where(r => r.Code == EvidenceLevel).Concat(sharedEvidence).Select(r => r.Shaped).OfType<CodedValue>().FirstOrDefault();
            var key = string.Create(CultureInfo.InvariantCulture, $"{group.Key}:therapy{++index}");

            // One implication per kind (metabolism, efficacy, high-risk allele) for the medication, as the IG's examples
            // encode them; the first keeps the medication's key, and the recommendation and its narrative, so a
            // report with one kind writes what it wrote before.
            // A kind the medication states itself replaces the group's shared answer of that kind.
            var own = rows.Where(r => TherapeuticImplicationItems.Contains(r.Code)).ToList();
            var kinds = shared.Where(r => !own.Any(o => o.Code == r.Code)).Concat(own)
                .GroupBy(r => r.Code, StringComparer.Ordinal)
                .Select(g => (Kind: g.Key, Values: g.Select(r => r.Shaped).OfType<CodedValue>().ToList()))
                .Where(k => k.Values.Count > 0)
                .ToList();
            if (kinds.Count == 0) kinds.Add((string.Empty, []));
            for (var k = 0; k < kinds.Count; k++)
            {
                acc.Therapeutic.Add(new TherapeuticImplicationFinding(
                    k == 0 ? key : $"{key}:{kinds[k].Kind}",
                    derivedFrom,
                    medication,
                    kinds[k].Values,
                    k == 0 ? recommendation : null,
                    k == 0 && narrative.Length > 0 ? narrative : null,
                    EvidenceLevel: evidence));
            }

            acc.Mapped(rows.Where(r => r.Code is Medication or MedicationSuggestion or MedicationNarrative));
        }
    }
}
