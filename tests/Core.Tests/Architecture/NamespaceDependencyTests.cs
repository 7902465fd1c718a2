using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Tests.Architecture;

/// <summary>
/// Dependencies inside Core go one way: Formats → LabReports ← Knowledge; Fhir builds from LabReports; Pipeline
/// orchestrates them all; Genomics (the genomic index and the IG's operations) reads FHIR resources and LabReports only; Cds (CDS Hooks) answers from Genomics' index and Knowledge, never the pipeline. Read from the compiled assembly (signatures and IL), so a using directive cannot hide an edge.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class NamespaceDependencyTests
{
    private const string Root = "PrecisionMed.Core.";

    /// <summary>The areas each area must not refer to.</summary>
    private static readonly Dictionary<string, string[]> Forbidden = new(StringComparer.Ordinal)
    {
        ["Formats"] = ["Pipeline", "Knowledge", "Fhir"],
        ["Knowledge"] = ["Formats", "Fhir", "Pipeline"],
        ["LabReports"] = ["Formats", "Knowledge", "Fhir", "Pipeline"],
        ["Fhir"] = ["Pipeline", "Formats"],
        ["Genomics"] = ["Pipeline", "Formats", "Knowledge"],
        ["Cds"] = ["Pipeline", "Formats", "Fhir"],
    };

    [Fact]
    public void CoreAreas_ReferOnlyDownTheirDirection()
    {
        var edges = Edges().Order(StringComparer.Ordinal).ToList();

        Assert.True(edges.Count == 0, "Forbidden dependencies:\n" + string.Join("\n", edges));
    }

    [Fact]
    public void CoreAssembly_ReferencesNoHostOrAdapterAssembly()
    {
        var references = typeof(LabFileFormat).Assembly.GetReferencedAssemblies().Select(a => a.Name ?? string.Empty);

        Assert.DoesNotContain(references, name => name is "PrecisionMed.Adapters" or "PrecisionMed.Functions" or "PrecisionMed.Cli");
    }

    /// <summary>Every forbidden edge, as "source namespace -> referenced type".</summary>
    private static HashSet<string> Edges()
    {
        var edges = new HashSet<string>(StringComparer.Ordinal);
        foreach (var type in typeof(LabFileFormat).Assembly.GetTypes())
        {
            if (AreaOf(type) is not { } area || !Forbidden.TryGetValue(area, out var forbidden)) continue;
            foreach (var referenced in TypeReferences.Of(type))
            {
                if (AreaOf(referenced) is { } target && forbidden.Contains(target, StringComparer.Ordinal))
                    edges.Add($"{type.Namespace} -> {Outermost(referenced).FullName}");
            }
        }

        return edges;
    }

    private static string? AreaOf(Type type)
    {
        var ns = type.Namespace;
        if (ns is null || !ns.StartsWith(Root, StringComparison.Ordinal)) return null;
        var rest = ns[Root.Length..];
        var dot = rest.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? rest : rest[..dot];
    }

    private static Type Outermost(Type type)
    {
        while (type.DeclaringType is { } outer) type = outer;
        return type;
    }
}
