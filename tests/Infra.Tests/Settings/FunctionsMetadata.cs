using System.Reflection;
using System.Text.Json.Nodes;
using Xunit;

namespace PrecisionMed.Infra.Tests.Settings;

/// <summary>One binding of one function, as the worker SDK wrote it into functions.metadata.</summary>
internal sealed record FunctionBinding(string Function, string Type, JsonObject Binding)
{
    public string? Connection => Binding["connection"]?.GetValue<string>();

    public string? this[string property] => Binding[property]?.GetValue<string>();
}

/// <summary>
/// The bindings the Functions host reads from the app: src/Functions' build writes them to
/// functions.metadata from the trigger attributes (this project references src/Functions, so the
/// build has run).
/// </summary>
internal static class FunctionsMetadata
{
    private static readonly Lazy<IReadOnlyList<FunctionBinding>> Loaded = new(Load);

    public static IReadOnlyList<FunctionBinding> Bindings => Loaded.Value;

    public static string Path { get; } = System.IO.Path.Combine(
        RepositoryRoot.Path, "src", "Functions", "bin",
        typeof(FunctionsMetadata).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug",
        "net10.0", "functions.metadata");

    private static List<FunctionBinding> Load()
    {
        Assert.True(File.Exists(Path), $"functions.metadata was not generated at {Path}: build src/Functions first.");
        var functions = JsonNode.Parse(File.ReadAllText(Path))!.AsArray();
        return
        [
            .. from function in functions
               from binding in function!["bindings"]!.AsArray()
               select new FunctionBinding(
                   function["name"]!.GetValue<string>(),
                   binding!["type"]!.GetValue<string>(),
                   binding.AsObject()),
        ];
    }
}
