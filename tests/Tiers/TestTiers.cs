using System.Reflection;
using Xunit.v3;

namespace PrecisionMed.Tests.Tiers;

/// <summary>
/// The test tiers. Every test has exactly one <c>Tier</c> trait: <c>Fast</c> when it needs no emulator, server or
/// child process (<c>./test.sh --fast</c> runs only these), <c>Stack</c> when it starts one. xUnit gives a test the
/// traits of its assembly, its class and its method together, so a tier set at two of them is as wrong as none:
/// the test would be in both tiers. The tier is set on the class.
/// </summary>
internal static class TestTiers
{
    public const string TraitName = "Tier";

    private static readonly string[] Known = ["Fast", "Stack"];

    /// <summary>One line per test class (or per test method, where the method sets a tier itself) that is not in exactly one tier.</summary>
    public static IReadOnlyList<string> Problems(Assembly assembly, IEnumerable<Type> types)
    {
        var assemblyTiers = Tiers(assembly.GetCustomAttributes());
        var problems = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var type in types.Where(t => t.IsClass && !t.IsAbstract && !t.ContainsGenericParameters))
        {
            var classTiers = Tiers(type.GetCustomAttributes(inherit: true));
            const BindingFlags Methods = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static;
            foreach (var method in type.GetMethods(Methods).Where(m => m.GetCustomAttributes(inherit: true).OfType<IFactAttribute>().Any()))
            {
                var methodTiers = Tiers(method.GetCustomAttributes(inherit: true));
                if (Problem([.. assemblyTiers, .. classTiers, .. methodTiers]) is { } problem)
                    problems.Add(methodTiers.Count == 0 ? $"{type.FullName}: {problem}" : $"{type.FullName}.{method.Name}: {problem}");
            }
        }

        return [.. problems];
    }

    private static string? Problem(IReadOnlyList<string> tiers) => tiers switch
    {
        [] => "no Tier trait",
        [var tier] when !Known.Contains(tier, StringComparer.Ordinal) => $"Tier \"{tier}\", which is neither Fast nor Stack",
        [_] => null,
        _ => $"{tiers.Count} Tier traits ({string.Join(", ", tiers)}): set one, on the class only",
    };

    private static List<string> Tiers(IEnumerable<object> attributes) =>
    [
        .. attributes.OfType<ITraitAttribute>()
            .SelectMany(attribute => attribute.GetTraits())
            .Where(trait => trait.Key == TraitName)
            .Select(trait => trait.Value),
    ];
}
