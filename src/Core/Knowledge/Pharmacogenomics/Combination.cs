using System.Text.RegularExpressions;

namespace PrecisionMed.Core.Knowledge.Pharmacogenomics;

/// <summary>PharmCAT's names for alleles found together on one strand: <c>[*2 + *6]</c>, with partial alleles as <c>g.94781859G&gt;A</c>.</summary>
public static partial class Combination
{
    public const string Joiner = " + ";

    public static bool IsName(string name) =>
        name.StartsWith('[') && name.EndsWith(']') && name.Contains(Joiner, StringComparison.Ordinal);

    public static IReadOnlyList<string> Split(string name) =>
        name[1..^1].Split(Joiner, StringSplitOptions.TrimEntries);

    public static bool IsPartialName(string name) => PartialPattern().IsMatch(name);

    [GeneratedRegex(@"^g\.\d+[?=]?[ACGT>\d]+$", RegexOptions.CultureInvariant)]
    private static partial Regex PartialPattern();
}
