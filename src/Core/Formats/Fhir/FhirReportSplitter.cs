using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Formats.Fhir;

/// <summary>
/// Splits a lab bundle into report units: one per DiagnosticReport, or the whole bundle when it
/// has at most one report (the common case). With several reports, a unit is everything its report
/// reaches through references, plus non-report resources that point straight at the report (a Task
/// about it, say); entries no report reaches join the first unit so nothing the lab sent is lost.
/// </summary>
public static class FhirReportSplitter
{
    public static IReadOnlyList<FhirReportUnit> Split(LabBundle bundle)
    {
        var reports = bundle.Entries.Where(e => e.ResourceType == "DiagnosticReport").Select(e => e.Index).ToList();
        var all = bundle.Entries.Select(e => e.Index).ToList();
        if (reports.Count <= 1)
            return [new FhirReportUnit(0, reports.Count == 1 ? reports[0] : null, all)];

        var index = new BundleReferenceIndex(bundle);
        var outgoing = bundle.Entries.ToDictionary(
            e => e.Index,
            e => BundleReferenceIndex.FindReferences(e.Resource)
                .Select(r => index.Resolve(r.Reference)).OfType<int>().Distinct().ToList());

        var units = new List<SortedSet<int>>();
        foreach (var report in reports)
        {
            var members = Reach(report, outgoing, reports);
            foreach (var entry in bundle.Entries)
            {
                if (entry.ResourceType != "DiagnosticReport" && outgoing[entry.Index].Contains(report))
                    members.UnionWith(Reach(entry.Index, outgoing, reports));
            }

            units.Add(members);
        }

        var claimed = units.SelectMany(u => u).ToHashSet();
        units[0].UnionWith(all.Where(i => !claimed.Contains(i)));
        return units.Select((members, i) => new FhirReportUnit(i, reports[i], [.. members])).ToList();
    }

    private static SortedSet<int> Reach(int start, Dictionary<int, List<int>> outgoing, List<int> reports)
    {
        var seen = new SortedSet<int> { start };
        var pending = new Stack<int>();
        pending.Push(start);
        while (pending.Count > 0)
        {
            foreach (var next in outgoing[pending.Pop()])
            {
                // Another report is its own unit, even when this one points at it.
                if (reports.Contains(next) && next != start) continue;
                if (seen.Add(next)) pending.Push(next);
            }
        }

        return seen;
    }
}
