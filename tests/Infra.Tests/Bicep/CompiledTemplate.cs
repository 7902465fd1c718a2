using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Xunit;

namespace PrecisionMed.Infra.Tests.Bicep;

/// <summary>One resource of a compiled template or of a module nested in it.</summary>
internal sealed record TemplateResource(string Path, JsonObject Resource, CompiledTemplate Owner)
{
    public string Type => CompiledTemplate.Text(Resource, "type");

    public JsonNode Properties => Resource["properties"] ?? new JsonObject();
}

/// <summary>
/// Read access to the ARM JSON that `bicep build` produced: its resources, the modules nested in it
/// (Microsoft.Resources/deployments with an inline template), and a small static resolver for the
/// expressions that only pass names along (variables, module parameters, module outputs).
/// </summary>
internal sealed partial class CompiledTemplate
{
    private const string DeploymentType = "Microsoft.Resources/deployments";

    private readonly CompiledTemplate? parent;
    private readonly JsonObject? deploymentParameters;

    public CompiledTemplate(JsonObject root, CompiledTemplate? parent = null, JsonObject? deploymentParameters = null)
    {
        Root = root;
        this.parent = parent;
        this.deploymentParameters = deploymentParameters;
        Outputs = (root["outputs"] as JsonObject ?? [])
            .ToDictionary(output => output.Key, output => output.Value!.AsObject(), StringComparer.Ordinal);
        ResourcesBySymbol = root["resources"] switch
        {
            // Classic templates hold an array (no symbols: keyed by position), symbolic-name
            // templates (languageVersion 2.0) an object keyed by the Bicep symbol.
            JsonArray array => array.Select((resource, i) => (Key: i.ToString(System.Globalization.CultureInfo.InvariantCulture), Value: resource!.AsObject()))
                .ToDictionary(entry => entry.Key, entry => entry.Value, StringComparer.Ordinal),
            JsonObject byName => byName.ToDictionary(resource => resource.Key, resource => resource.Value!.AsObject(), StringComparer.Ordinal),
            _ => [],
        };
        Resources = [.. ResourcesBySymbol.Values];
    }

    public JsonObject Root { get; }

    public IReadOnlyDictionary<string, JsonObject> Outputs { get; }

    public IReadOnlyList<JsonObject> Resources { get; }

    private IReadOnlyDictionary<string, JsonObject> ResourcesBySymbol { get; }

    public static CompiledTemplate Parse(string json) =>
        new(JsonNode.Parse(json)?.AsObject() ?? throw new FormatException("bicep build printed no JSON object."));

    /// <summary>A module of this template by its Bicep symbol (main.bicep) or deployment name.</summary>
    public CompiledTemplate Module(string name)
    {
        var deployment = ModuleDeployment(name);
        return new CompiledTemplate(deployment["properties"]!["template"]!.AsObject(), this, deployment["properties"]!["parameters"] as JsonObject);
    }

    public JsonObject ModuleDeployment(string name)
    {
        var deployment = ResourcesBySymbol.GetValueOrDefault(name)
            ?? Resources.FirstOrDefault(resource => resource["name"]?.GetValue<string>() == name);
        Assert.True(
            deployment is not null && Text(deployment, "type") == DeploymentType,
            $"No module '{name}'; modules: {string.Join(", ", ResourcesBySymbol.Where(r => Text(r.Value, "type") == DeploymentType).Select(r => r.Key))}.");
        return deployment;
    }

    /// <summary>The value main.bicep passes to a module parameter (an expression or a literal).</summary>
    public JsonNode ModuleParameter(string module, string parameter) =>
        ModuleDeployment(module)["properties"]!["parameters"]![parameter]?["value"]
        ?? throw new KeyNotFoundException($"Module {module} gets no value for parameter {parameter}.");

    /// <summary>Every resource of this template and, recursively, of the modules it deploys.</summary>
    public IEnumerable<TemplateResource> AllResources(string path = "main")
    {
        foreach (var (symbol, resource) in ResourcesBySymbol)
        {
            var resourcePath = $"{path}/{symbol}";
            if (Text(resource, "type") == DeploymentType && resource["properties"]?["template"] is JsonObject template)
            {
                var module = new CompiledTemplate(template, this, resource["properties"]!["parameters"] as JsonObject);
                foreach (var nested in module.AllResources(resourcePath))
                {
                    yield return nested;
                }
            }
            else
            {
                yield return new TemplateResource(resourcePath, resource, this);
            }
        }
    }

    /// <summary>Every output of this template and of the modules it deploys, with its path.</summary>
    public IEnumerable<(string Path, JsonObject Output)> AllOutputs(string path = "main")
    {
        foreach (var (name, output) in Outputs)
        {
            yield return ($"{path}.{name}", output);
        }

        foreach (var (symbol, resource) in ResourcesBySymbol)
        {
            if (Text(resource, "type") == DeploymentType && resource["properties"]?["template"] is JsonObject template)
            {
                foreach (var nested in new CompiledTemplate(template, this, null).AllOutputs($"{path}/{symbol}"))
                {
                    yield return nested;
                }
            }
        }
    }

    public IReadOnlyList<TemplateResource> ResourcesOfType(string type) =>
        [.. AllResources().Where(resource => resource.Type == type)];

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

        var items = Root["variables"]?[match.Groups["variable"].Value] as JsonArray;
        Assert.NotNull(items);
        return [.. items.Select(item => item!.GetValue<string>())];
    }

    /// <summary>
    /// The built-in role definition GUIDs a role assignment (or a loop of them) grants:
    /// `subscriptionResourceId('Microsoft.Authorization/roleDefinitions', variables('x'))`, or a loop
    /// over a variable holding the GUIDs.
    /// </summary>
    public IReadOnlyList<string> RoleDefinitionIds(JsonObject assignment)
    {
        var roleDefinitionId = Text(assignment["properties"]!, "roleDefinitionId");
        if (roleDefinitionId.Contains("[copyIndex()]", StringComparison.Ordinal))
        {
            return LoopItems(assignment);
        }

        var match = RoleVariablePattern().Match(roleDefinitionId);
        Assert.True(match.Success, $"Role definition '{roleDefinitionId}' is not a built-in role named by a variable.");
        return [Resolve($"[variables('{match.Groups["variable"].Value}')]")!.GetValue<string>()];
    }

    /// <summary>
    /// The value of an expression that only passes names along: a literal, `variables('v')` with
    /// indexers and properties, `parameters('p')` (followed into the module's caller), or
    /// `reference('module').outputs.x.value` (followed into the module). Null when the value is only
    /// known at deployment (a resource property, a function call).
    /// </summary>
    public JsonNode? Resolve(string expression)
    {
        if (!expression.StartsWith('[') || !expression.EndsWith(']'))
        {
            return JsonValue.Create(expression);
        }

        var inner = expression[1..^1];
        if (VariablePattern().Match(inner) is { Success: true } variable)
        {
            return Follow(Root["variables"]?[variable.Groups["name"].Value], variable.Groups["path"].Value);
        }

        if (ParameterPattern().Match(inner) is { Success: true } parameter)
        {
            return Follow(ParameterValue(parameter.Groups["name"].Value), parameter.Groups["path"].Value);
        }

        if (ModuleOutputPattern().Match(inner) is { Success: true } output)
        {
            var module = Module(output.Groups["module"].Value);
            var value = module.Outputs.GetValueOrDefault(output.Groups["output"].Value)?["value"];
            return value is JsonValue text && text.TryGetValue<string>(out var outputExpression) ? module.Resolve(outputExpression) : value;
        }

        return null;
    }

    public string? ResolveText(string expression) =>
        Resolve(expression) is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    public static string Text(JsonNode node, string property) =>
        node[property]?.GetValue<string>() ?? throw new KeyNotFoundException($"'{property}' is missing in {node.ToJsonString()}.");

    /// <summary>An ARM expression without its surrounding brackets, to be nested in another.</summary>
    public static string Inner(string expression) =>
        expression.StartsWith('[') && expression.EndsWith(']') ? expression[1..^1] : $"'{expression}'";

    private JsonNode? ParameterValue(string name)
    {
        if (deploymentParameters is null)
        {
            return Root["parameters"]?[name]?["defaultValue"];
        }

        // A value the caller computes (an if(), a createObject()) is only known at deployment.
        if (deploymentParameters[name] is not JsonObject passed)
        {
            return null;
        }

        var value = passed["value"];
        return value is JsonValue text && text.TryGetValue<string>(out var callerExpression) && parent is not null
            ? parent.Resolve(callerExpression)
            : value;
    }

    private JsonNode? Follow(JsonNode? node, string path)
    {
        foreach (Match step in PathStepPattern().Matches(path))
        {
            node = step.Groups["index"].Success
                ? (node as JsonArray)?[int.Parse(step.Groups["index"].Value, System.Globalization.CultureInfo.InvariantCulture)]
                : node?[step.Groups["property"].Value];
        }

        return node is JsonValue value && value.TryGetValue<string>(out var text) && text.StartsWith('[') ? Resolve(text) : node;
    }

    [GeneratedRegex(@"^\[length\(variables\('(?<variable>[A-Za-z0-9_]+)'\)\)\]$")]
    private static partial Regex LoopCountPattern();

    [GeneratedRegex(@"^\[subscriptionResourceId\('Microsoft\.Authorization/roleDefinitions', variables\('(?<variable>[A-Za-z0-9_]+)'\)\)\]$")]
    private static partial Regex RoleVariablePattern();

    [GeneratedRegex(@"^variables\('(?<name>[A-Za-z0-9_]+)'\)(?<path>(\[\d+\]|\.[A-Za-z0-9_]+)*)$")]
    private static partial Regex VariablePattern();

    [GeneratedRegex(@"^parameters\('(?<name>[A-Za-z0-9_]+)'\)(?<path>(\[\d+\]|\.[A-Za-z0-9_]+)*)$")]
    private static partial Regex ParameterPattern();

    [GeneratedRegex(@"^reference\('(?<module>[A-Za-z0-9_]+)'\)\.outputs\.(?<output>[A-Za-z0-9_]+)\.value$")]
    private static partial Regex ModuleOutputPattern();

    [GeneratedRegex(@"\[(?<index>\d+)\]|\.(?<property>[A-Za-z0-9_]+)")]
    private static partial Regex PathStepPattern();
}
