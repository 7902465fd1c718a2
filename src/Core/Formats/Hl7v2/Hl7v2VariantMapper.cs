using PrecisionMed.Core.LabReports;
using static PrecisionMed.Core.Formats.Hl7v2.Hl7v2GenomicCodes;

namespace PrecisionMed.Core.Formats.Hl7v2;

/// <summary>A variant group to a Variant finding and the DiagnosticImplication it carries.</summary>
internal static class Hl7v2VariantMapper
{
    internal static void MapVariant(Hl7v2ReportAccumulator acc, ObxGroup group)
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
                    if (row.Segment.Field(5).IsNull)
                    {
                        // "" is HL7's explicit null: the lab says it has no assessment, which is not a finding of the variant.
                        assessment = VariantAssessment.Indeterminate;
                        acc.Skip(row, row.Segment.Field(5), "69548-6 (variant assessment) is HL7's explicit null (\"\"): the lab gave no assessment, so the variant is reported as indeterminate, not as present");
                    }
                    else if (Hl7v2GroupValues.AssessmentOf(value) is { } found)
                    {
                        assessment = found;
                        acc.Mapped(row);
                    }
                    else
                    {
                        acc.Skip(row, row.Segment.Field(5), "69548-6 (variant assessment) is not an LL1971-2 answer: the variant is taken as present");
                    }

                    break;
                case Method:
                    method = value as CodedValue;
                    acc.Mapped(row);
                    break;
                case VariantCategory:
                    structural |= HasAnswer(value, StructuralCategory);
                    acc.Mapped(row);
                    break;
                case ClinicalSignificance or Phenotype or Haplotype or Phase or ComplexId or Genotype:
                    break; // Findings derived from the variant, below.
                default:
                    if (row.Code == Gene && value is not null && IsNoGenePlaceholder(value))
                    {
                        acc.Skip(row, row.Segment.Field(5), "48018-6 holds the HGNC:0000 'no gene' placeholder, not a gene");
                        break;
                    }

                    if (!VariantDefining.Contains(row.Code) && row.Code is not (Gene or "48000-4" or "82309-6")) break;
                    foreach (var v in row.Values)
                    {
                        var code = row.Code == DbSnpId ? VariationCode : row.Code;
                        components.Add(new ReportComponent(Coding.LoincCode(code), Shape(row.Code, v)));
                    }

                    acc.Mapped(row);
                    break;
            }
        }

        var key = group.Key;
        var status = group.Rows.FirstOrDefault(r => r.Code == Assessment)?.FhirStatus ?? group.Rows[0].FhirStatus;
        acc.Variants.Add(new VariantFinding(key, assessment, components, method, structural, status));
        MapDiagnosticImplication(acc, group, key, [key]);

        var gene = Hl7v2GroupValues.GeneOf(group);
        var haplotypeNumber = 0;
        foreach (var row in group.Of(Haplotype))
        {
            if (row.Shaped is not CodedValue haplotype) continue;
            acc.Haplotypes.Add(new HaplotypeFinding(haplotypeNumber++ == 0 ? $"{key}:haplotype" : $"{key}:haplotype{haplotypeNumber}", haplotype, gene, [key]));
            acc.Mapped(row);
        }

        foreach (var row in group.Of(Phase))
        {
            if (row.Shaped is not CodedValue phase) continue;
            if (HasAnswer(phase, "LA26320-4") || HasAnswer(phase, "LA26321-2"))
            {
                // Maternal/paternal is the variant's inheritance (94186-4), not a phase between two variants.
                components.Add(new ReportComponent(Coding.LoincCode(VariantInheritance), phase));
                acc.Mapped(row);
                continue;
            }

            var answer = phase.Codings.FirstCoding()?.Code ?? phase.Text ?? string.Empty;
            var text = (phase.Codings.FirstCoding()?.Display ?? phase.Text ?? string.Empty).ToUpperInvariant();
            var relationship = text.Contains("TRANS", StringComparison.Ordinal) ? "Trans"
                : text.Contains("CIS", StringComparison.Ordinal) ? "Cis"
                : answer == "LA4489-6" || text.Contains("UNKNOWN", StringComparison.Ordinal) ? "Unknown"
                : "Indeterminate";
            acc.PhaseRows.Add((answer, relationship, key, row));
        }
    }

    internal static void MapDiagnosticImplication(Hl7v2ReportAccumulator acc, ObxGroup group, string key, IReadOnlyList<string> derivedFrom)
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
                acc.Mapped(row);
            }
            else
            {
                acc.Skip(row, row.Segment.Field(5), "a second clinical significance (53037-8) in one group: only the first is mapped");
            }
        }

        var predicted = new List<CodedValue>();
        foreach (var row in phenotypes)
        {
            foreach (var value in row.Values) predicted.Add(Shape(Phenotype, value) as CodedValue ?? new CodedValue([], value.ToString()));
            acc.Mapped(row);
        }

        acc.Implications.Add(new DiagnosticImplicationFinding(key + ":implication", derivedFrom, significance, predicted));
    }
}
