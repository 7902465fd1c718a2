using System.Text.Json.Nodes;

namespace PrecisionMed.Core.Tests.Genomics.Operations;

/// <summary>Answers of the IG's operations as comparable lines, for the examples' tests here and end to end (tests/Cli.Tests links this file).</summary>
internal static class IgExampleAnswers
{
    /// <summary>Our answer cut to what the example states: its elided patients and a denominator it does not give.</summary>
    public static List<string> Comparable(List<string> ours, List<string> expected)
    {
        var elided = expected.Any(l => l.EndsWith("subject=...", StringComparison.Ordinal));
        var named = expected.Where(l => l.Contains("subject=", StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
        return [.. ours.Where(l => (!l.Contains("/denominator=", StringComparison.Ordinal) || expected.Any(e => e.Contains("/denominator=", StringComparison.Ordinal)))
            && (!elided || !l.Contains("subject=", StringComparison.Ordinal) || named.Contains(l)))];
    }

    /// <summary>One line per parameter and part: its path, name and value (a resource as its type and id).</summary>
    public static List<string> Canonical(JsonObject parameters)
    {
        var lines = new List<string>();
        void Walk(JsonArray? items, string path)
        {
            foreach (var item in (items ?? []).OfType<JsonObject>())
            {
                var name = path + item["name"]!.GetValue<string>();
                var value = item.FirstOrDefault(p => p.Key.StartsWith("value", StringComparison.Ordinal));
                if (item["resource"] is JsonObject resource) lines.Add($"{name}={resource["resourceType"]}/{resource["id"]}");
                else if (value.Key is "valueQuantity") lines.Add($"{name}={value.Value!["value"]}");
                else if (value.Key is "valueCodeableConcept") lines.Add($"{name}=" + string.Join(',', value.Value!["coding"]!.AsArray().Select(c => $"{c!["system"]}|{c["code"]}")));
                else if (value.Key is not null) lines.Add($"{name}={value.Value}");
                else lines.Add(name);
                Walk(item["part"] as JsonArray, name + "/");
            }
        }

        Walk(parameters["parameter"] as JsonArray, string.Empty);
        return lines;
    }
}
