using System.Text.Json.Nodes;
using PrecisionMed.Cli.CommandLine;
using PrecisionMed.Cli.Ingest;
using Xunit;

namespace PrecisionMed.Cli.Tests.Ingest;

/// <summary>
/// <c>pmed ingest</c>'s VCF policy flags, parsed as a user types them, on the demo panel VCF (five PASS variants:
/// APC, MYBPC3, MEN1, BRCA2, RYR1).
/// </summary>
[Trait("Tier", "Fast")]
public sealed class IngestVcfFlagsTests : IDisposable
{
    private readonly DirectoryInfo _output = Directory.CreateTempSubdirectory("pmed-ingest-vcf-");
    private readonly StringWriter _stdout = new();
    private readonly StringWriter _stderr = new();

    private static string PanelVcf => Path.Combine(RepositoryPaths.Root, "samples", "NB6TK328_filtered.vcf");

    private string Out => Path.Combine(_output.FullName, "out");

    [Fact]
    public async Task Ingest_MaxVariantsBelowTheReportableSet_ExitsTwoNamingTheOption()
    {
        var exit = await InvokeAsync("ingest", PanelVcf, "--out", Out, "--max-variants", "1");

        Assert.Equal(IngestRunner.ExitRejected, exit);
        var error = _stderr.ToString();
        Assert.Contains("NB6TK328_filtered.vcf: rejected:", error, StringComparison.Ordinal);
        Assert.Contains("more than 1 reportable variants", error, StringComparison.Ordinal);
        Assert.Contains("--max-variants", error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Out, "*.transaction.json"));
    }

    [Fact]
    public async Task Ingest_Gene_ReportsOnlyThatGenesVariants()
    {
        var exit = await InvokeAsync("ingest", PanelVcf, "--out", Out, "--gene", "BRCA2", "--gene", "apc");

        Assert.Equal(IngestRunner.ExitOk, exit);
        Assert.Equal(["APC", "BRCA2"], VariantGenes().Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Ingest_Regions_ReportsOnlyVariantsInTheRegionsAndStudiesThem()
    {
        var bed = Path.Combine(_output.FullName, "men1.bed");
        await File.WriteAllTextAsync(bed, "chr11\t64802513\t64812294\n", TestContext.Current.CancellationToken);

        var exit = await InvokeAsync("ingest", PanelVcf, "--out", Out, "--regions", bed);

        Assert.Equal(IngestRunner.ExitOk, exit);
        Assert.Equal(["MEN1"], VariantGenes());
        Assert.Contains("chr11:64802514-64812294", Bundle().ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_RegionsWithJson_PrintsTheRecordCountsByOutcome()
    {
        var bed = Path.Combine(_output.FullName, "men1.bed");
        await File.WriteAllTextAsync(bed, "chr11\t64802513\t64812294\n", TestContext.Current.CancellationToken);

        var exit = await InvokeAsync("ingest", PanelVcf, "--out", Out, "--regions", bed, "--json");

        Assert.Equal(IngestRunner.ExitOk, exit);
        var counts = JsonNode.Parse(_stdout.ToString())![0]!["recordCounts"]!.AsObject();
        Assert.Equal(1, (long)counts["reported"]!);
        Assert.Equal(4, (long)counts["outside-regions"]!);
        Assert.Equal(5, counts.Sum(c => (long)c.Value!));
    }

    [Theory]
    [InlineData("male", "LA6707-9")] // hemizygous: chrX 5,000,000 is outside the PARs
    [InlineData("female", "LA6705-3")]
    public async Task Ingest_SampleSex_DecidesAllelicStateOnX(string sex, string state)
    {
        var vcf = Path.Combine(_output.FullName, "x.vcf");
        await File.WriteAllTextAsync(vcf,
            "##fileformat=VCFv4.2\n##reference=GRCh38\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\nchrX\t5000000\t.\tA\tG\t.\tPASS\t.\tGT\t1/1\n",
            TestContext.Current.CancellationToken);

        var exit = await InvokeAsync("ingest", vcf, "--out", Out, "--sample-sex", sex, "--patient", "urn:oid:2.16.840.1.113883.19.5.99|X-1");

        Assert.Equal(IngestRunner.ExitOk, exit);
        var variant = Assert.Single(Variants());
        Assert.Equal(state, ComponentCode(variant, "53034-5"));
    }

    public void Dispose()
    {
        _stdout.Dispose();
        _stderr.Dispose();
        _output.Delete(recursive: true);
    }

    private Task<int> InvokeAsync(params string[] args) =>
        PmedCommandLine.RunAsync(args, _stdout, _stderr, TestContext.Current.CancellationToken);

    private JsonNode Bundle() => JsonNode.Parse(File.ReadAllText(Assert.Single(Directory.GetFiles(Out, "*.transaction.json"))))!;

    private List<JsonNode> Variants() =>
        [.. Bundle()["entry"]!.AsArray().Select(e => e!["resource"]!)
            .Where(r => ((string?)r["meta"]?["profile"]?[0])?.EndsWith("/variant", StringComparison.Ordinal) == true)];

    private List<string> VariantGenes() =>
        [.. Variants().Select(v => v["component"]!.AsArray().First(c => (string?)c!["code"]!["coding"]![0]!["code"] == "48018-6")!["valueCodeableConcept"]!)
            .Select(gene => (string?)gene["coding"]?[0]?["display"] ?? (string)gene["text"]!)];

    private static string? ComponentCode(JsonNode observation, string loinc) =>
        (string?)observation["component"]!.AsArray().FirstOrDefault(c => (string?)c!["code"]!["coding"]![0]!["code"] == loinc)?["valueCodeableConcept"]?["coding"]?[0]?["code"];
}
