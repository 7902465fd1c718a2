using PrecisionMed.Cli.CommandLine;
using PrecisionMed.Cli.Tests.CommandLine;
using PrecisionMed.Testing.Stack;
using PrecisionMed.Testing.Vcf;
using Xunit;

namespace PrecisionMed.Cli.Tests.Knowledge;

/// <summary>
/// <c>pmed knowledge diff FROM TO --cosmos</c> names the reports a release affects, from the genomic index a real
/// <c>pmed ingest --fhir --cosmos</c> wrote: ClinVar's 2019-08-05 release imported, a patient's VCF of its variants
/// ingested, then the diff to 2019-09-15.
/// </summary>
[Trait("Tier", "Stack")]
public sealed class KnowledgeDiffAffectedReportsTests(LocalStackFixture stack) : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("pmed-diff-affected-");
    private readonly string _database = "pmed-cli-affected-" + Guid.NewGuid().ToString("N")[..10];

    private string[] Cosmos => ["--cosmos", stack.Stack.CosmosEndpoint.ToString(), "--cosmos-key", stack.Stack.CosmosKey, "--database", _database];

    private static string Release(string name) => Path.Combine(RepositoryPaths.Root, "tests", "TestData", "knowledge", "clinvar", "releases", name);

    [Fact]
    public async Task Diff_WithTheIndex_NamesTheReportAndEachStoreImplication()
    {
        var ct = TestContext.Current.CancellationToken;
        var import = await Pmed.RunAsync(["knowledge", "import", "clinvar", Release("clinvar_source.vcf.gz"), .. Cosmos]);
        Assert.True(import.Exit == ExitCodes.Ok, import.ToString());
        var vcf = Path.Combine(_work.FullName, "patient.vcf");
        await File.WriteAllTextAsync(vcf, string.Concat(
            "##fileformat=VCFv4.2\n##reference=GRCh37\n##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n",
            "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\n",
            "1\t949523\t.\tC\tT\t.\tPASS\t.\tGT\t0/1\n",
            "4\t84383745\t.\tT\tTC\t.\tPASS\t.\tGT\t0/1\n",
            "X\t153138030\t.\tC\tT\t.\tPASS\t.\tGT\t0/1\n"), ct);
        TestVcfManifests.WriteBeside(vcf);
        var ingest = await Pmed.RunAsync(["ingest", vcf, "--out", Path.Combine(_work.FullName, "out"), "--fhir", stack.Stack.FhirBaseUrl.ToString(), .. Cosmos]);
        Assert.True(ingest.Exit == ExitCodes.Ok, ingest.ToString());

        var diff = await Pmed.RunAsync(["knowledge", "diff", Release("clinvar_source.vcf.gz"), Release("clinvar_target.vcf.gz"), .. Cosmos]);

        Assert.True(diff.Exit == ExitCodes.Ok, diff.ToString());
        Assert.Contains("affected reports: 1 (2 implications)", diff.Stdout, StringComparison.Ordinal);
        var lines = diff.Stdout.Split('\n', StringSplitOptions.TrimEntries);
        Assert.Contains(lines, l => l.StartsWith("DiagnosticReport/", StringComparison.Ordinal) && l.Contains("(Patient/", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Observation/", StringComparison.Ordinal) && l.EndsWith(" 183381 major", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Observation/", StringComparison.Ordinal) && l.EndsWith(" 128215 major", StringComparison.Ordinal));
    }

    public void Dispose() => _work.Delete(recursive: true);
}
