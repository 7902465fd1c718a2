using System.Globalization;
using PrecisionMed.Core.Knowledge.Pharmacogenomics;

namespace PrecisionMed.Core.Tests.Knowledge.Pharmacogenomics;

/// <summary>
/// PharmCAT's NAT2 sheet (<c>testcases/NAT2_tests.tsv</c>, its <c>nat2Sheet</c> test): unphased genotypes at NAT2's five
/// common positions, the others reference or missing; the expected top candidates in order, no call, or the
/// exemption's pick among unphased ambiguities.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class PharmCatNat2SheetTests
{
    private static readonly string[] Columns = ["rs1801279", "rs1801280", "rs1799930", "rs1208", "rs1799931"];

    public static TheoryData<int> Rows => new(Enumerable.Range(2, Lines().Count));

    [Theory]
    [MemberData(nameof(Rows))]
    public void Call_Nat2SheetRow_ExpectedCandidatesOrPick(int row)
    {
        var f = Lines()[row - 2].Split('\t');
        var definitions = PharmCatTestData.Definitions("NAT2");
        var missing = f[0] == "none" ? [] : f[0].Split("),").Select(m => m[..m.IndexOf('(', StringComparison.Ordinal)].Trim()).ToHashSet(StringComparer.Ordinal);
        var genotypes = new List<SampleGenotype>();
        foreach (var position in definitions.Positions)
        {
            if (position.RsId is { } rsid && missing.Contains(rsid)) continue;
            var column = position.RsId is null ? -1 : Array.IndexOf(Columns, position.RsId);
            var alleles = column < 0 ? [position.Ref, position.Ref] : f[2 + column].Split('/');
            genotypes.Add(SampleGenotype.Unphased(position.Position, alleles[0], alleles[1]));
        }

        var call = NamedAlleleMatcher.Call(definitions, genotypes);
        List<string> expected = f[7] == "not called" ? []
            : f.Length > 8 && f[8].Length > 0 ? [f[8]]
            : [.. f[7].Split(" or ", StringSplitOptions.TrimEntries)];
        Assert.True(expected.SequenceEqual(call.Diplotypes.Select(d => d.Name)),
            string.Create(CultureInfo.InvariantCulture, $"row {row}: expected [{string.Join(", ", expected)}], got [{string.Join(", ", call.Diplotypes.Select(d => d.ToString()))}]"));
        if (f.Length > 8 && f[8].Length > 0) Assert.NotNull(call.UnphasedPriorityOf);
    }

    private static List<string> Lines() =>
        [.. File.ReadLines(TestFiles.PathOf(PharmCatTestData.Root + "testcases/NAT2_tests.tsv")).Skip(1).Where(l => l.Length > 0)];
}
