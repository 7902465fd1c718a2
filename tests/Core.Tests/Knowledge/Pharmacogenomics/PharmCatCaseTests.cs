using System.Globalization;
using PrecisionMed.Core.Knowledge.Pharmacogenomics;

namespace PrecisionMed.Core.Tests.Knowledge.Pharmacogenomics;

/// <summary>
/// PharmCAT's own named-allele matcher cases (<c>testcases/cases.tsv</c>: a VCF, the matcher's settings, and the
/// diplotypes PharmCAT returns, in order): the caller returns exactly those, in that order.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class PharmCatCaseTests
{
    private const string Cases = PharmCatTestData.Root + "testcases/cases.tsv";

    public static TheoryData<string> CaseIds => new(Rows().Select(r => r.Id));

    [Theory]
    [MemberData(nameof(CaseIds))]
    public void Call_PharmCatCase_ExpectedDiplotypesInOrder(string caseId)
    {
        var row = Rows().Single(r => r.Id == caseId);
        var actual = Run(row);
        Assert.Equal(row.Expected, actual);
    }

    [Fact]
    public void Call_AllPharmCatCases_Table()
    {
        var rows = Rows();
        var lines = new List<string> { "case\texpected\tactual\tresult" };
        var passed = 0;
        foreach (var row in rows)
        {
            var actual = Run(row);
            var ok = row.Expected.SequenceEqual(actual);
            if (ok) passed++;
            lines.Add($"{row.Id}\t{string.Join(" | ", row.Expected)}\t{string.Join(" | ", actual)}\t{(ok ? "pass" : "FAIL")}");
        }

        lines.Add(string.Create(CultureInfo.InvariantCulture, $"passed {passed} / {rows.Count}"));
        TestContext.Current.TestOutputHelper?.WriteLine(string.Join('\n', lines));
        Assert.Equal(35, rows.Count);
        Assert.Equal(rows.Count, passed);
    }

    private static List<string> Run(CaseRow row)
    {
        var flags = row.Flags;
        var definitions = PharmCatTestData.Definitions(row.Gene, flags["withExemptions"]);
        var genotypes = PharmCatTestData.Genotypes(PharmCatTestData.Root + "testcases/" + row.Vcf, definitions);
        var options = new StarAlleleOptions(TopCandidateOnly: flags["topCandidateOnly"], FindCombinations: flags["findCombinations"], WithExemptions: flags["withExemptions"]);
        return [.. NamedAlleleMatcher.Call(definitions, genotypes, options).Diplotypes.Select(d => d.Name)];
    }

    private sealed record CaseRow(string Id, string Gene, string Vcf, IReadOnlyList<string> Expected, IReadOnlyDictionary<string, bool> Flags);

    private static List<CaseRow> Rows() =>
        [.. File.ReadLines(TestFiles.PathOf(Cases)).Skip(1).Where(l => l.Length > 0).Select(l => l.Split('\t')).Select(f => new CaseRow(
            f[0],
            f[1],
            f[2],
            f[4].StartsWith("(no call", StringComparison.Ordinal) ? [] : f[4].Split(" | "),
            f[7].Split(',').Select(p => p.Split('=')).ToDictionary(p => p[0], p => bool.Parse(p[1]))))];
}
