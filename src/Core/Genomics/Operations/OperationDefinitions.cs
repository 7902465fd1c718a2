using System.Collections.Frozen;
using System.Text.Json.Nodes;

namespace PrecisionMed.Core.Genomics.Operations;

/// <summary>An input or output parameter of an IG operation, as its OperationDefinition states it.</summary>
/// <param name="Max">The upper cardinality; <c>int.MaxValue</c> for <c>*</c>.</param>
/// <param name="Type">The FHIR type (<c>string</c>, <c>boolean</c>, <c>Period</c>, <c>code</c>, ...); null for a parameter with parts.</param>
public sealed record OperationParameterDefinition(string Name, string Use, int Min, int Max, string? Type, IReadOnlyList<OperationParameterDefinition> Parts);

/// <summary>One of the Genomics Reporting IG's operations: its id (which routes it) and its parameters.</summary>
/// <param name="Id">The OperationDefinition's id, <c>find-subject-variants</c>: the package gives every definition the code
/// <c>match</c>, so the id, not the code, tells them apart.</param>
public sealed record OperationDefinition(string Id, IReadOnlyList<OperationParameterDefinition> Parameters)
{
    /// <summary>The input parameters, in the definition's order.</summary>
    public IEnumerable<OperationParameterDefinition> Inputs => Parameters.Where(p => p.Use == "in");

    /// <summary>The input of that name (case-sensitive, as FHIR parameter names are), or null.</summary>
    public OperationParameterDefinition? Input(string name) => Inputs.FirstOrDefault(p => p.Name == name);

    /// <summary>Whether it asks about one subject (read from its partition) rather than a population.</summary>
    public bool IsSubjectOperation => Input("subject") is not null;
}

/// <summary>The IG's 17 OperationDefinitions, read once from the copies embedded in this assembly.</summary>
public static class OperationDefinitions
{
    private const string ResourcePrefix = "PrecisionMed.Core.Genomics.Operations.Definitions.";

    private static readonly Lazy<FrozenDictionary<string, OperationDefinition>> Loaded = new(Load);

    /// <summary>Every definition by id.</summary>
    public static IReadOnlyDictionary<string, OperationDefinition> All => Loaded.Value;

    /// <summary>The definition of the operation id (<c>find-subject-variants</c>, with or without a leading <c>$</c>), or null.</summary>
    public static OperationDefinition? Find(string operationId) =>
        Loaded.Value.GetValueOrDefault((operationId ?? string.Empty).Trim().TrimStart('$'));

    private static FrozenDictionary<string, OperationDefinition> Load()
    {
        var assembly = typeof(OperationDefinitions).Assembly;
        var definitions = new Dictionary<string, OperationDefinition>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)
                ?? throw new InvalidOperationException($"Embedded OperationDefinition '{name}' cannot be read.");
            var json = JsonNode.Parse(stream)?.AsObject()
                ?? throw new InvalidOperationException($"Embedded OperationDefinition '{name}' is not a JSON object.");
            var id = json["id"]?.GetValue<string>() ?? throw new InvalidOperationException($"Embedded OperationDefinition '{name}' has no id.");
            definitions[id] = new OperationDefinition(id, ParametersOf(json["parameter"] as JsonArray));
        }

        return definitions.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static List<OperationParameterDefinition> ParametersOf(JsonArray? parameters) =>
        parameters is null ? [] : [.. parameters.OfType<JsonObject>().Select(p => new OperationParameterDefinition(
            p["name"]!.GetValue<string>(),
            p["use"]!.GetValue<string>(),
            p["min"]!.GetValue<int>(),
            p["max"]!.GetValue<string>() == "*" ? int.MaxValue : int.Parse(p["max"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture),
            p["type"]?.GetValue<string>(),
            ParametersOf(p["part"] as JsonArray)))];
}
