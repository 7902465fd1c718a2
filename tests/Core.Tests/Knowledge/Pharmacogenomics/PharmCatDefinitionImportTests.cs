using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Options;
using PrecisionMed.Core.Knowledge;
using PrecisionMed.Core.Knowledge.Import;
using PrecisionMed.Core.Knowledge.Pharmacogenomics;

namespace PrecisionMed.Core.Tests.Knowledge.Pharmacogenomics;

/// <summary>
/// Every PharmCAT translation file and <c>exemptions.json</c> through the importer into the in-process store, read
/// back through the lookup with the exemptions attached, and called.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class PharmCatDefinitionImportTests
{
    [Fact]
    public async Task Import_AllDefinitionsAndExemptionsTwice_SecondWritesNothingAndLookupAttachesExemptions()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = new InMemoryKnowledgeStore();
        var files = Directory.EnumerateFiles(TestFiles.PathOf(PharmCatTestData.Root + "definition/alleles"), "*.json").Order(StringComparer.Ordinal).ToList();
        var clock = Stopwatch.StartNew();
        var first = new List<ImportResult>();
        foreach (var file in files) first.Add(await ImportAsync(store, file, ct));
        var elapsed = clock.Elapsed;
        var second = new List<ImportResult>();
        foreach (var file in files) second.Add(await ImportAsync(store, file, ct));

        TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{files.Count} files, {first.Sum(r => r.Documents)} documents in {elapsed.TotalMilliseconds:F0} ms; re-import wrote {second.Sum(r => r.Written)}"));
        Assert.All(first, r => Assert.Equal(0, r.Diagnostics.Count));
        Assert.Equal(20 + 12, first.Sum(r => r.Documents));
        Assert.Equal(0, second.Sum(r => r.Written));

        using var lookup = new KnowledgeLookup(store, Options.Create(new KnowledgeOptions()), TimeProvider.System);
        var nat2 = await lookup.FindAlleleDefinitionsAsync("NAT2", ct);
        Assert.NotNull(nat2?.Exemption);
        Assert.Same(nat2, await lookup.FindAlleleDefinitionsAsync("NAT2", ct));
        Assert.Null((await lookup.FindAlleleDefinitionsAsync("ABCG2", ct))?.Exemption);

        var tpmt = (await lookup.FindAlleleDefinitionsAsync("TPMT", ct))!;
        var genotypes = PharmCatTestData.Genotypes(PharmCatTestData.Root + "testcases/vcf_file_based/TPMT/s3as3b.vcf", tpmt);
        Assert.Equal("*3A/*3B", StarAlleleCaller.Call(tpmt, genotypes).Diplotype);
    }

    private static async Task<ImportResult> ImportAsync(InMemoryKnowledgeStore store, string path, CancellationToken ct)
    {
        await using var stream = File.OpenRead(path);
        return await new KnowledgeImporter(store, store).ImportAsync(KnowledgeSource.PharmCatAlleles, stream, Path.GetFileName(path), cancellationToken: ct);
    }
}
