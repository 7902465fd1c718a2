using System.Collections.Frozen;
using static PrecisionMed.Core.Formats.Hl7v2.Hl7v2GenomicCodes;

namespace PrecisionMed.Core.Formats.Hl7v2;

/// <summary>
/// OBX rows of panel 81247-9 into groups, each classified by the LOINC items it holds. Rows are grouped by OBX-4
/// (never by order); sub-ID "1", "1a", "1a.a"... is the overall study unless it holds a finding's defining items (a
/// "1x.y" range takes its reference sequence from "1x"); a group holding 81250-3/81297-4 items is one variant; a complex group (81262-8/81263-6) is a Genotype derived
/// from the variants nested under it ("3a" → "3a.1", "3a.2") or carrying its 81260-2 id; a group with 84413-4 or PGx
/// answers is a Genotype plus, per 51963-7, one TherapeuticImplication for each implication kind (53040-2, 51961-1,
/// 83009-1) (medications in nested groups "4a.1", or in the same group, each 51963-7 taking the 82116-5/83010-9/93044-6
/// and implication rows after it); a group with 84414-2 but no variant items is a haplotype derived from its nested
/// variants.
/// </summary>
internal static class Hl7v2ObxGrouper
{
    /// <summary>The panel's rows as classified groups; a group of none of these kinds is left to the lab-result rule.</summary>
    internal static ObxGroups Classify(List<ObxRow> rows)
    {
        var groups = GroupByKey(rows);
        List<ObxGroup> overall = [], complex = [], variants = [], pharmacogenomic = [], haplotypeDefinitions = [];
        var rest = new List<ObxGroup>(groups.Count);
        foreach (var group in groups) (IsOverall(group) ? overall : rest).Add(group);
        foreach (var group in rest)
        {
            if (IsComplex(group, rest)) complex.Add(group);
            else if (group.HasAny(VariantDefining)) variants.Add(group);
            else if (group.HasAny(PharmacogenomicItems)) pharmacogenomic.Add(group);
            else if (group.Has(Haplotype)) haplotypeDefinitions.Add(group);
        }

        return new ObxGroups(overall, complex, variants, pharmacogenomic, haplotypeDefinitions);
    }

    /// <summary>
    /// Items that begin a new finding where rows carry no sub-ID (PharmCAT's reporter leaves OBX-4 empty): such a row,
    /// when the rows since the last split already hold one and the row before is not one too (CYP2C9 and VKORC1 named
    /// one after the other are one genotype's genes), starts the next group. Medication, suggestion and implication
    /// items repeat within one genotype's group and never split.
    /// </summary>
    private static readonly FrozenSet<string> PositionalSplitItems = FrozenSet.Create(StringComparer.Ordinal,
        Gene, Genotype, Haplotype, VariantCategory, VariationCode, DbSnpId, "48004-6", "48005-3", "81290-9", "47998-0", ComplexHgvs, ComplexId);

    /// <summary>The rows by OBX-4 group key, groups in order of first appearance and rows in message order.</summary>
    private static List<ObxGroup> GroupByKey(List<ObxRow> rows)
    {
        var groups = new List<ObxGroup>();
        Dictionary<string, ObxGroup>? byKey = null;
        var positional = new PositionalGroups();
        foreach (var row in rows)
        {
            var key = row.SubId.Length == 0 ? positional.KeyOf(row) : row.GroupKey;
            ObxGroup? group = null;
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
                group = new ObxGroup(key, row.SubId, []);
                groups.Add(group);
                if (byKey is null && groups.Count > 16)
                {
                    byKey = new Dictionary<string, ObxGroup>(StringComparer.Ordinal);
                    foreach (var known in groups) byKey[known.Key] = known;
                }
                else byKey?.Add(key, group);
            }

            group.Rows.Add(row);
        }

        return groups;
    }

    /// <summary>
    /// Keys for rows without a sub-ID: by position, since nothing else tells their findings apart. The first group keeps
    /// the row's own key ("0"); the next are "0-2", "0-3"... (no '.', which would make them nested groups).
    /// </summary>
    private sealed class PositionalGroups
    {
        private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
        private string? _previousCode;
        private int _previousObr;
        private int _number = 1;

        public string KeyOf(ObxRow row)
        {
            if (row.ObrIndex != _previousObr)
            {
                _seen.Clear();
                _previousCode = null;
                _previousObr = row.ObrIndex;
                _number = 1;
            }

            if (PositionalSplitItems.Contains(row.Code) && _seen.Contains(row.Code) && row.Code != _previousCode)
            {
                _number++;
                _seen.Clear();
            }

            _seen.Add(row.Code);
            _previousCode = row.Code;
            return _number == 1 ? row.GroupKey : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{row.GroupKey}-{_number}");
        }
    }

    /// <summary>A complex variant (compound heterozygote and the like): named as such, or holding nothing else and parent of variants.</summary>
    private static bool IsComplex(ObxGroup group, List<ObxGroup> rest)
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

    private static bool IsOverall(ObxGroup group)
    {
        var sub = group.SubId;
        // "1" is the overall study's by convention, but labs that number their groups 1, 2, 3 put a finding there.
        if (sub == "1" || (sub.Length > 1 && sub[0] == '1' && !char.IsAsciiDigit(sub[1]))) return !group.HasAny(FindingDefining);
        foreach (var row in group.Rows)
        {
            if (!OverallItems.Contains(row.Code) || row.Code == GenomicRefSeq) return false;
        }

        return true;
    }
}

/// <summary>The panel's groups by kind, each list in order of first appearance.</summary>
internal sealed record ObxGroups(
    List<ObxGroup> Overall, List<ObxGroup> Complex, List<ObxGroup> Variants, List<ObxGroup> Pharmacogenomic, List<ObxGroup> HaplotypeDefinitions);
