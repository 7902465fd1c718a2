using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Xunit;

namespace PrecisionMed.Infra.Tests.Bicep;

/// <summary>Read access to the ARM JSON that `bicep build` produced.</summary>
internal sealed partial class CompiledTemplate(JsonObject root)
{
    public JsonObject Root { get; } = root;

    public IReadOnlyDictionary<string, JsonObject> Outputs { get; } =
        (root["outputs"] as JsonObject ?? [])
            .ToDictionary(output => output.Key, output => output.Value!.AsObject(), StringComparer.Ordinal);

    /// <summary>
    /// Resources as a list: classic templates hold an array, symbolic-name templates
    /// (languageVersion 2.0) an object keyed by the Bicep symbol.
    /// </summary>
    public IReadOnlyList<JsonObject> Resources { get; } = root["resources"] switch
    {
        JsonArray array => [.. array.Select(resource => resource!.AsObject())],
        JsonObject byName => [.. byName.Select(resource => resource.Value!.AsObject())],
        _ => [],
    };

    public static CompiledTemplate Parse(string json) =>
        new(JsonNode.Parse(json)?.AsObject() ?? throw new FormatException("bicep build printed no JSON object."));

    public JsonObject SingleResource(string type)
    {
        var matches = Resources.Where(resource => Text(resource, "type") == type).ToList();
        Assert.True(matches.Count == 1, $"Expected one resource of type {type}, found {matches.Count}.");
        return matches[0];
    }

    /// <summary>
    /// The items a resource loop (`for x in someVariable`) runs over: the compiler turns it into a
    /// copy loop whose count is `length(variables('someVariable'))`.
    /// </summary>
    public IReadOnlyList<string> LoopItems(JsonObject resource)
    {
        var count = resource["copy"]?["count"]?.GetValue<string>() ?? string.Empty;
        var match = LoopCountPattern().Match(count);
        Assert.True(match.Success, $"Resource {Text(resource, "name")} is not a loop over a variable (copy count '{count}').");

        var variable = match.Groups["variable"].Value;
        var items = Root["variables"]?[variable] as JsonArray;
        Assert.NotNull(items);
        return [.. items.Select(item => item!.GetValue<string>())];
    }

    public static string Text(JsonNode node, string property) =>
        node[property]?.GetValue<string>() ?? throw new KeyNotFoundException($"'{property}' is missing in {node.ToJsonString()}.");

    /// <summary>An ARM expression without its surrounding brackets, to be nested in another.</summary>
    public static string Inner(string expression) =>
        expression.StartsWith('[') && expression.EndsWith(']') ? expression[1..^1] : $"'{expression}'";

    [GeneratedRegex(@"^\[length\(variables\('(?<variable>[A-Za-z0-9_]+)'\)\)\]$")]
    private static partial Regex LoopCountPattern();
}
