using System.Globalization;
using PrecisionMed.Core.Knowledge;
using PrecisionMed.Core.Knowledge.Import;
using PrecisionMed.Core.Knowledge.Pharmacogenomics;

namespace PrecisionMed.Core.Tests.Knowledge.Pharmacogenomics;

/// <summary>
/// PharmCAT's definitions and test VCFs (corpus copies under TestData/knowledge/pharmcat), read as PharmCAT's matcher
/// reads them: definitions through the importer's reader, exemptions attached when asked for, a VCF's genotypes at the
/// gene's positions (a REF that differs from the definition's, or a GT with no allele called, drops the position).
/// </summary>
internal static class PharmCatTestData
{
    public const string Root = "knowledge/pharmcat/";

    private static readonly Lazy<Dictionary<string, AlleleDefinitionExemption>> Exemptions = new(ReadExemptions);

    /// <summary>A definition file of PharmCAT's own tests (not the shipped definitions).</summary>
    public static AlleleDefinitionDocument DefinitionsAt(string path) => Read(Root + path).OfType<AlleleDefinitionDocument>().Single();

    public static AlleleDefinitionDocument Definitions(string gene, bool withExemptions = true)
    {
        var document = Read(Root + $"definition/alleles/{gene}_translation.json").OfType<AlleleDefinitionDocument>().Single();
        return withExemptions && Exemptions.Value.TryGetValue(gene, out var exemption) ? document with { Exemption = exemption } : document;
    }

    public static IReadOnlyList<string> Genes() =>
        [.. Directory.EnumerateFiles(TestFiles.PathOf(Root + "definition/alleles"), "*_translation.json")
            .Select(f => Path.GetFileName(f)[..^"_translation.json".Length]).Order(StringComparer.Ordinal)];

    /// <summary>The first sample's genotypes at the definitions' positions.</summary>
    public static List<SampleGenotype> Genotypes(string vcfPath, AlleleDefinitionDocument definitions)
    {
        var byPosition = definitions.Positions.ToDictionary(p => p.Position);
        var genotypes = new List<SampleGenotype>();
        var seen = new HashSet<long>();
        foreach (var line in File.ReadLines(TestFiles.PathOf(vcfPath)))
        {
            if (line.Length == 0 || line[0] == '#') continue;
            var f = line.Split('\t');
            var position = long.Parse(f[1], CultureInfo.InvariantCulture);
            if (!byPosition.TryGetValue(position, out var locus) || !string.Equals(f[0].Replace("chr", "", StringComparison.Ordinal), definitions.Chromosome, StringComparison.OrdinalIgnoreCase)) continue;
            if (!string.Equals(f[3], locus.Ref, StringComparison.OrdinalIgnoreCase) || !seen.Add(position)) continue;
            var keys = f[8].Split(':');
            var values = f[9].Split(':');
            var gt = values[Array.IndexOf(keys, "GT")];
            var phaseSetIndex = Array.IndexOf(keys, "PS");
            string[] alleles = [f[3], .. f[4] == "." ? [] : f[4].Split(',')];
            var calls = gt.Split('/', '|');
            if (calls.All(c => c == ".")) continue;
            var first = Allele(calls[0], alleles);
            var second = calls.Length > 1 ? Allele(calls[1], alleles) : null;
            var phased = !gt.Contains('/', StringComparison.Ordinal);
            int? phaseSet = phased && phaseSetIndex >= 0 && phaseSetIndex < values.Length && values[phaseSetIndex] != "."
                ? int.Parse(values[phaseSetIndex], CultureInfo.InvariantCulture)
                : null;
            genotypes.Add(new SampleGenotype(position, first, second, phased, phaseSet));
        }

        return genotypes;
    }

    private static string Allele(string call, string[] alleles) =>
        call == "." ? SampleGenotype.MissingAllele : alleles[int.Parse(call, CultureInfo.InvariantCulture)];

    private static Dictionary<string, AlleleDefinitionExemption> ReadExemptions() =>
        Read(Root + "definition/alleles/exemptions.json").OfType<AlleleExemptionDocument>().ToDictionary(e => e.Gene, e => e.Exemption);

    private static List<KnowledgeDocument> Read(string path)
    {
        using var stream = File.OpenRead(TestFiles.PathOf(path));
        var diagnostics = new ImportDiagnostics(Path.GetFileName(path));
        var documents = new PharmCatAlleleDefinitionReader().ReadAsync(stream, diagnostics, CancellationToken.None).ToBlockingEnumerable().ToList();
        Assert.Equal(0, diagnostics.Count);
        return documents;
    }
}
