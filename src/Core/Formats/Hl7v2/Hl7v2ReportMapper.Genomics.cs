using System.Globalization;
using PrecisionMed.Core.LabReports;
using static PrecisionMed.Core.Formats.Hl7v2.Hl7v2GenomicCodes;

namespace PrecisionMed.Core.Formats.Hl7v2;

/// <summary>
/// Panel 81247-9 rows to findings. Conventions: rows are grouped by OBX-4 (never by order); sub-ID
/// "1", "1a", "1a.a"... is the overall study (a "1x.y" range takes its reference sequence from "1x");
/// a group holding 81250-3/81297-4 items is one variant; a complex group (81262-8/81263-6) is a
/// Genotype derived from the variants nested under it ("3a" → "3a.1", "3a.2") or carrying its 81260-2
/// id; a group with 84413-4 or PGx answers is a Genotype plus, per 51963-7, one TherapeuticImplication for each
/// implication kind (53040-2, 51961-1, 83009-1) (medications in nested groups "4a.1", or in the same group, each
/// 51963-7 taking the 82116-5/83010-9/93044-6 and implication rows after it); a group with 84414-2 but no variant
/// items is a haplotype derived from its nested variants.
/// </summary>
public sealed partial class Hl7v2ReportMapper
{
    private readonly List<VariantFinding> _variants = [];
    private readonly List<DiagnosticImplicationFinding> _implications = [];
    private readonly List<HaplotypeFinding> _haplotypes = [];
    private readonly List<GenotypeFinding> _genotypes = [];
    private readonly List<TherapeuticImplicationFinding> _therapeutic = [];
    private readonly List<PhaseRelationshipFinding> _phases = [];
    private readonly List<string> _conclusion = [];
    private readonly List<CodedValue> _genes = [];
    private readonly List<string> _regions = [];
    private readonly List<(string Answer, string Relationship, string VariantKey, ObxRow Row)> _phaseRows = [];
    private CodedValue? _conclusionCode;
    private CodedValue? _genomeBuild;

    private sealed record Group(string Key, string SubId, List<ObxRow> Rows)
    {
        // Plain loops: classification asks Has/HasAny many times per group, and these allocate nothing.
        public bool Has(string code)
        {
            foreach (var row in Rows)
            {
                if (row.Code == code) return true;
            }

            return false;
        }

        public bool HasAny(System.Collections.Frozen.FrozenSet<string> codes)
        {
            foreach (var row in Rows)
            {
                if (codes.Contains(row.Code)) return true;
            }

            return false;
        }

        public IEnumerable<ObxRow> Of(string code) => Rows.Where(r => r.Code == code);

        /// <summary>Whether the key starts with the parent's key and a '.' (without building that prefix).</summary>
        public bool IsChildOf(Group parent) =>
            Key.Length > parent.Key.Length && Key[parent.Key.Length] == '.' && Key.StartsWith(parent.Key, StringComparison.Ordinal);
    }

    private void MapGenomicGroups(List<ObxRow> rows)
    {
        if (rows.Count == 0) return;

        // Plain loops and lists rather than GroupBy/Except chains: this runs for every message, general lab ones too,
        // and its iterators and sets were a third of a small message's mapping cost (issue 3's allocation target).
        var groups = GroupByKey(rows);
        List<Group> overall = [], complex = [], variants = [], pharmacogenomic = [], haplotypeDefinitions = [];
        var rest = new List<Group>(groups.Count);
        foreach (var group in groups) (IsOverall(group) ? overall : rest).Add(group);
        foreach (var group in rest)
        {
            if (IsComplex(group, rest)) complex.Add(group);
            else if (group.HasAny(VariantDefining)) variants.Add(group);
            else if (group.HasAny(PharmacogenomicItems)) pharmacogenomic.Add(group);
            else if (group.Has(Haplotype)) haplotypeDefinitions.Add(group);
        }

        foreach (var group in variants) MapVariant(group);
        foreach (var group in complex) MapComplex(group, variants);
        foreach (var group in haplotypeDefinitions) MapHaplotypeDefinition(group, variants);

        if (pharmacogenomic.Count > 0)
        {
            var medicationGroups = new HashSet<Group>();
            foreach (var group in pharmacogenomic)
            {
                if (group.Has(Genotype) || group.HasAny(TherapeuticImplicationItems)) MapPharmacogenomic(group, pharmacogenomic, medicationGroups);
            }

            foreach (var group in pharmacogenomic)
            {
                if (!medicationGroups.Contains(group) && !group.Has(Genotype) && !group.HasAny(TherapeuticImplicationItems))
                    MapPharmacogenomic(group, pharmacogenomic, medicationGroups);
            }
        }

        MapOverall(overall);
        MapPhaseRelationships();

        // What no finding took: study-level items are report fields, anything else a plain result.
        foreach (var row in rows)
        {
            if (!_mapped.Contains(row.Occurrence) && !row.Skipped && !MapOverallRow(row, refSeq: null)) MapLabResult(row);
        }
    }

    /// <summary>The rows by OBX-4 group key, groups in order of first appearance and rows in message order.</summary>
    private static List<Group> GroupByKey(List<ObxRow> rows)
    {
        var groups = new List<Group>();
        Dictionary<string, Group>? byKey = null;
        foreach (var row in rows)
        {
            var key = row.GroupKey;
            Group? group = null;
            if (byKey is not null) byKey.TryGetValue(key, out group);
            else
            {
                // Most messages have few groups: a scan beats a dictionary until there are many.
                foreach (var candidate in groups)
                {
                    if (candidate.Key == key)
                    {
                        group = candidate;
                        break;
                    }
                }
            }

            if (group is null)
            {
                group = new Group(key, row.SubId, []);
                groups.Add(group);
                if (byKey is null && groups.Count > 16)
                {
                    byKey = new Dictionary<string, Group>(StringComparer.Ordinal);
                    foreach (var known in groups) byKey[known.Key] = known;
                }
                else byKey?.Add(key, group);
            }

            group.Rows.Add(row);
        }

        return groups;
    }

    /// <summary>A complex variant (compound heterozygote and the like): named as such, or holding nothing else and parent of variants.</summary>
    private static bool IsComplex(Group group, List<Group> rest)
    {
        if (group.Has(ComplexHgvs) || group.Has(ComplexType)) return true;
        if (group.HasAny(VariantDefining) || group.HasAny(PharmacogenomicItems) || group.Has(Haplotype)) return false;
        if (group.Has(ComplexId)) return true;
        foreach (var candidate in rest)
        {
            if (candidate.IsChildOf(group) && candidate.HasAny(VariantDefining)) return true;
        }

        return false;
    }

    private static bool IsOverall(Group group)
    {
        var sub = group.SubId;
        if (sub == "1" || (sub.Length > 1 && sub[0] == '1' && !char.IsAsciiDigit(sub[1]))) return true;
        foreach (var row in group.Rows)
        {
            if (!OverallItems.Contains(row.Code) || row.Code == GenomicRefSeq) return false;
        }

        return true;
    }

    private void MapVariant(Group group)
    {
        var components = new List<ReportComponent>();
        var assessment = VariantAssessment.Present;
        CodedValue? method = null;
        var structural = group.HasAny(StructuralItems);
        foreach (var row in group.Rows)
        {
            var value = row.Shaped;
            switch (row.Code)
            {
                case Assessment:
                    if (AssessmentOf(value) is { } found)
                    {
                        assessment = found;
                        Mapped(row);
                    }
                    else
                    {
                        Skip(row, row.Segment.Field(5), "69548-6 (variant assessment) is not an LL1971-2 answer: the variant is taken as present");
                    }

                    break;
                case Method:
                    method = value as CodedValue;
                    Mapped(row);
                    break;
                case VariantCategory:
                    structural |= HasAnswer(value, StructuralCategory);
                    Mapped(row);
                    break;
                case ClinicalSignificance or Phenotype or Haplotype or Phase or ComplexId or Genotype:
                    break; // Findings derived from the variant, below.
                default:
                    if (row.Code == Gene && value is not null && IsNoGenePlaceholder(value))
                    {
                        Skip(row, row.Segment.Field(5), "48018-6 holds the HGNC:0000 'no gene' placeholder, not a gene");
                        break;
                    }

                    if (!VariantDefining.Contains(row.Code) && row.Code is not (Gene or "48000-4" or "82309-6")) break;
                    foreach (var v in row.Values)
                    {
                        var code = row.Code == DbSnpId ? VariationCode : row.Code;
                        components.Add(new ReportComponent(Coding.LoincCode(code), Shape(row.Code, v)));
                    }

                    Mapped(row);
                    break;
            }
        }

        var key = group.Key;
        var status = group.Rows.FirstOrDefault(r => r.Code == Assessment)?.FhirStatus ?? group.Rows[0].FhirStatus;
        _variants.Add(new VariantFinding(key, assessment, components, method, structural, status));
        MapDiagnosticImplication(group, key, [key]);

        var gene = GeneOf(group);
        var haplotypeNumber = 0;
        foreach (var row in group.Of(Haplotype))
        {
            if (row.Shaped is not CodedValue haplotype) continue;
            _haplotypes.Add(new HaplotypeFinding(haplotypeNumber++ == 0 ? $"{key}:haplotype" : $"{key}:haplotype{haplotypeNumber}", haplotype, gene, [key]));
            Mapped(row);
        }

        foreach (var row in group.Of(Phase))
        {
            if (row.Shaped is not CodedValue phase) continue;
            if (HasAnswer(phase, "LA26320-4") || HasAnswer(phase, "LA26321-2"))
            {
                // Maternal/paternal is the variant's inheritance (94186-4), not a phase between two variants.
                components.Add(new ReportComponent(Coding.LoincCode(VariantInheritance), phase));
                Mapped(row);
                continue;
            }

            var answer = phase.Codings.FirstCoding()?.Code ?? phase.Text ?? string.Empty;
            var text = (phase.Codings.FirstCoding()?.Display ?? phase.Text ?? string.Empty).ToUpperInvariant();
            var relationship = text.Contains("TRANS", StringComparison.Ordinal) ? "Trans"
                : text.Contains("CIS", StringComparison.Ordinal) ? "Cis"
                : answer == "LA4489-6" || text.Contains("UNKNOWN", StringComparison.Ordinal) ? "Unknown"
                : "Indeterminate";
            _phaseRows.Add((answer, relationship, key, row));
        }
    }

    private void MapDiagnosticImplication(Group group, string key, IReadOnlyList<string> derivedFrom)
    {
        var significances = group.Of(ClinicalSignificance).ToList();
        var phenotypes = group.Of(Phenotype).ToList();
        if (significances.Count == 0 && phenotypes.Count == 0) return;

        CodedValue? significance = null;
        foreach (var row in significances)
        {
            if (significance is null && row.Shaped is CodedValue coded)
            {
                significance = coded;
                Mapped(row);
            }
            else
            {
                Skip(row, row.Segment.Field(5), "a second clinical significance (53037-8) in one group: only the first is mapped");
            }
        }

        var predicted = new List<CodedValue>();
        foreach (var row in phenotypes)
        {
            foreach (var value in row.Values) predicted.Add(Shape(Phenotype, value) as CodedValue ?? new CodedValue([], value.ToString()));
            Mapped(row);
        }

        _implications.Add(new DiagnosticImplicationFinding(key + ":implication", derivedFrom, significance, predicted));
    }

    private void MapComplex(Group group, List<Group> variants)
    {
        var id = group.Of(ComplexId).Select(r => r.Shaped).OfType<CodedValue>().Select(TextOf).FirstOrDefault();
        var members = variants
            .Where(v => v.IsChildOf(group) || (id is not null && v.Of(ComplexId).Any(r => r.Shaped is CodedValue c && TextOf(c) == id)))
            .ToList();
        foreach (var member in members) Mapped(member.Of(ComplexId));
        Mapped(group.Of(ComplexId));

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
            text = named == hgvs ? TextOf(coded) : text ?? coded.Text;
            Mapped(named);
        }

        var value = codings.Count > 0 || text is not null ? new CodedValue(codings, text)
            : type?.Shaped as CodedValue ?? new CodedValue([], "complex variant");
        if (type is not null)
        {
            if (codings.Count == 0 && text is null) Mapped(type);
            else Skip(type, type.Segment.Field(5), "81263-6 (complex variant type) has no place on the Genotype beside its name; the variants it is derived from carry it");
        }

        // The members' gene when they share one; members in different genes give the genotype none (not an exception).
        var memberGenes = members.Select(GeneOf).OfType<CodedValue>().DistinctBy(TextOf).ToList();
        var gene = GeneOf(group) ?? (memberGenes.Count == 1 ? memberGenes[0] : null);
        MapExtraGenes(group);
        var derivedFrom = members.Select(m => m.Key).ToList();
        _genotypes.Add(new GenotypeFinding(group.Key, value, gene is null ? [] : [gene, .. GenesOf(group).Skip(1)], derivedFrom));
        MapDiagnosticImplication(group, group.Key, [group.Key]);
    }

    private void MapHaplotypeDefinition(Group group, List<Group> variants)
    {
        var gene = GeneOf(group);
        MapExtraGenes(group);
        var derivedFrom = variants.Where(v => v.IsChildOf(group)).Select(v => v.Key).ToList();
        var number = 0;
        foreach (var row in group.Of(Haplotype))
        {
            if (row.Shaped is not CodedValue haplotype) continue;
            _haplotypes.Add(new HaplotypeFinding(number++ == 0 ? group.Key : $"{group.Key}:{number}", haplotype, gene, derivedFrom));
            Mapped(row);
        }
    }

    private void MapPharmacogenomic(Group group, List<Group> pharmacogenomic, HashSet<Group> medicationGroups)
    {
        var gene = GeneOf(group);
        MapExtraGenes(group);

        var haplotypeKeys = new List<string>();
        var number = 0;
        foreach (var row in group.Of(Haplotype))
        {
            if (row.Shaped is not CodedValue haplotype) continue;
            var key = $"{group.Key}:haplotype{++number}";
            _haplotypes.Add(new HaplotypeFinding(key, haplotype, gene, []));
            haplotypeKeys.Add(key);
            Mapped(row);
        }

        if (haplotypeKeys.Count == 0 && gene is not null)
            haplotypeKeys.AddRange(_haplotypes.Where(h => SameGene(h.Gene, gene)).Select(h => h.Key));

        IReadOnlyList<string> derivedFrom = haplotypeKeys;
        var genotypeRow = group.Of(Genotype).FirstOrDefault();
        if (genotypeRow?.Shaped is CodedValue genotype)
        {
            _genotypes.Add(new GenotypeFinding(group.Key, genotype, GenesOf(group), haplotypeKeys));
            derivedFrom = [group.Key];
            Mapped(genotypeRow);
        }

        // Implication rows before the group's first 51963-7 hold for every medication of the group; one after it, for that medication.
        var firstMedication = group.Rows.FirstOrDefault(r => r.Code == Medication)?.Occurrence ?? int.MaxValue;
        var implications = group.Rows.Where(r => TherapeuticImplicationItems.Contains(r.Code)).ToList();
        var shared = implications.Where(r => r.Occurrence < firstMedication).ToList();
        Mapped(implications);
        var sharedEvidence = group.Of(EvidenceLevel).Where(r => r.Occurrence < firstMedication).ToList();
        Mapped(group.Of(EvidenceLevel));

        // Medications: nested groups first (82117-3 as "4a.1"), then 51963-7 rows of the group itself.
        var medications = new List<List<ObxRow>>();
        foreach (var child in pharmacogenomic.Where(g => g != group && g.IsChildOf(group)))
        {
            medicationGroups.Add(child);
            Mapped(child.Rows.Where(r => TherapeuticImplicationItems.Contains(r.Code) || r.Code == EvidenceLevel));
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
            var narrative = string.Join("\n", rows.Where(r => r.Code == MedicationNarrative).SelectMany(r => r.Values).Select(TextOf));
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
                _therapeutic.Add(new TherapeuticImplicationFinding(
                    k == 0 ? key : $"{key}:{kinds[k].Kind}",
                    derivedFrom,
                    medication,
                    kinds[k].Values,
                    k == 0 ? recommendation : null,
                    k == 0 && narrative.Length > 0 ? narrative : null,
                    EvidenceLevel: evidence));
            }

            Mapped(rows.Where(r => r.Code is Medication or MedicationSuggestion or MedicationNarrative));
        }
    }

    private void MapOverall(List<Group> overall)
    {
        if (overall.Count == 0) return;
        var refSeqs = overall.ToDictionary(g => g.Key, g => g.Of(GenomicRefSeq).FirstOrDefault(), StringComparer.Ordinal);
        foreach (var group in overall)
        {
            foreach (var row in group.Rows.Where(r => r.Code != GenomicRefSeq))
            {
                var parent = group.Key.LastIndexOf('.') is var dot and > 0 ? group.Key[..dot] : null;
                var refSeq = refSeqs[group.Key] ?? (parent is not null && refSeqs.TryGetValue(parent, out var p) ? p : null);
                if (MapOverallRow(row, refSeq) && row.Code == RegionRange && refSeq is not null) Mapped(refSeq);
            }
        }

        // A reference sequence no range used is itself the region studied.
        foreach (var row in overall.SelectMany(g => g.Of(GenomicRefSeq)).Where(r => !_mapped.Contains(r.Occurrence)))
        {
            if (row.FirstValue is { } value)
            {
                _regions.Add(TextOf(value));
                Mapped(row);
            }
        }
    }

    /// <summary>Maps an overall-study item to its report field; false when the report has no field for it.</summary>
    private bool MapOverallRow(ObxRow row, ObxRow? refSeq)
    {
        switch (row.Code)
        {
            case Conclusion when row.Values.Count > 0:
                _conclusion.Add(string.Join("\n", row.Values.Select(TextOf)));
                break;
            case ConclusionCode when _conclusionCode is null && row.Shaped is CodedValue code:
                _conclusionCode = code;
                break;
            case Hl7v2GenomicCodes.GenomeBuild when _genomeBuild is null && row.Shaped is CodedValue build:
                _genomeBuild = build;
                break;
            case Gene when row.Values.Count > 0:
                foreach (var value in row.Values.Select(v => Shape(Gene, v)))
                {
                    if (IsNoGenePlaceholder(value)) continue;
                    if (value is CodedValue gene) _genes.Add(gene);
                }

                break;
            case RegionRange when row.FirstValue is RangeValue range:
                var prefix = refSeq?.FirstValue is { } seq ? TextOf(seq) + ":" : string.Empty;
                _regions.Add(string.Create(CultureInfo.InvariantCulture, $"{prefix}{range.Low}-{range.High}"));
                break;
            case RegionText when row.Values.Count > 0:
                _regions.AddRange(row.Values.Select(TextOf));
                break;
            default:
                return false;
        }

        Mapped(row);
        return true;
    }

    private void MapPhaseRelationships()
    {
        if (_phaseRows.Count == 0) return;
        foreach (var set in _phaseRows.GroupBy(p => (p.Answer, p.Relationship)))
        {
            var variants = set.Select(p => p.VariantKey).Distinct(StringComparer.Ordinal).ToList();
            if (variants.Count < 2)
            {
                foreach (var (_, _, _, row) in set)
                    Skip(row, row.Segment.Field(5), "82120-7 (allelic phase) names no other variant in the same phase set: there is no relationship to record");
                continue;
            }

            _phases.Add(new PhaseRelationshipFinding("phase:" + string.Join('+', variants), set.Key.Relationship, variants));
            Mapped(set.Select(p => p.Row));
        }
    }

    /// <summary>A finding has one gene: the group's first; any further genes are kept as genes the report studied.</summary>
    private void MapExtraGenes(Group group)
    {
        foreach (var row in group.Of(Gene).Skip(1))
        {
            foreach (var value in row.Values.Select(v => Shape(Gene, v)).OfType<CodedValue>())
            {
                if (!IsNoGenePlaceholder(value) && !_genes.Any(g => SameGene(g, value))) _genes.Add(value);
            }
        }

        Mapped(group.Of(Gene));
    }

    private static VariantAssessment? AssessmentOf(ReportedValue? value) =>
        HasAnswer(value, "LA9633-4") ? VariantAssessment.Present
        : HasAnswer(value, "LA9634-2") ? VariantAssessment.Absent
        : HasAnswer(value, "LA18198-4") ? VariantAssessment.NoCall
        : HasAnswer(value, "LA11884-6") ? VariantAssessment.Indeterminate
        : null;

    /// <summary>Every gene a group names (48018-6 may repeat), in order, without the "no gene" placeholder.</summary>
    private static List<CodedValue> GenesOf(Group group) =>
        group.Of(Gene).SelectMany(r => r.Values.Select(v => Shape(Gene, v))).OfType<CodedValue>()
            .Where(g => !IsNoGenePlaceholder(g)).ToList();

    private static CodedValue? GeneOf(Group group) =>
        group.Of(Gene).Select(r => r.Shaped).OfType<CodedValue>().FirstOrDefault(g => !IsNoGenePlaceholder(g));

    private static bool SameGene(CodedValue? a, CodedValue b) =>
        a is not null && (a.Codings.Any(x => b.Codings.Any(y => x.Code is not null && x.Code == y.Code && x.System == y.System))
            || (TextOf(a) is var t && t.Length > 0 && t == TextOf(b)));

    private static string TextOf(ReportedValue value) => value switch
    {
        TextValue t => t.Text,
        CodedValue c => c.Codings.FirstCoding()?.Display ?? c.Text ?? c.Codings.FirstCoding()?.Code ?? string.Empty,
        QuantityValue q => q.Value.ToString(CultureInfo.InvariantCulture),
        RangeValue r => string.Create(CultureInfo.InvariantCulture, $"{r.Low}-{r.High}"),
        DateTimeValue d => d.FhirDateTime,
        _ => string.Empty,
    };
}
