using System.Text.Json.Nodes;
using Xunit;

namespace PrecisionMed.Infra.Tests.Bicep;

/// <summary>
/// `bicep snapshot` of one parameters file: the resources a deployment would create, with
/// parameters, variables, conditions and loops evaluated (values known only at deployment, such as
/// a created resource's properties, stay expressions).
/// </summary>
internal sealed class Snapshot(string environment, BicepRun run, JsonObject? root)
{
    public string Environment { get; } = environment;

    public BicepRun Run { get; } = run;

    public IReadOnlyList<JsonObject> Resources =>
        [.. (Root["predictedResources"] as JsonArray ?? []).Select(resource => resource!.AsObject())];

    private JsonObject Root => root ?? throw new InvalidOperationException($"bicep snapshot of {Environment} wrote nothing: {Run.Describe()}");

    public IReadOnlyList<JsonObject> OfType(string type) =>
        [.. Resources.Where(resource => resource["type"]?.GetValue<string>() == type)];

    public JsonObject Single(string type)
    {
        var matches = OfType(type);
        Assert.True(matches.Count == 1, $"{Environment}: expected one {type}, found {matches.Count}.");
        return matches[0];
    }

    public IReadOnlyDictionary<string, string> AppSettings =>
        (Single("Microsoft.Web/sites")["properties"]!["siteConfig"]!["appSettings"] as JsonArray ?? [])
            .ToDictionary(setting => setting!["name"]!.GetValue<string>(), setting => setting!["value"]!.GetValue<string>(), StringComparer.OrdinalIgnoreCase);
}
