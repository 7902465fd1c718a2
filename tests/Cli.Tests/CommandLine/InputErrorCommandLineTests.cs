using PrecisionMed.Cli.CommandLine;
using Xunit;

namespace PrecisionMed.Cli.Tests.CommandLine;

/// <summary>
/// Wrong inputs as a person types them (a text file for a zip, an empty release, a file for a folder, a web page for
/// Cosmos DB): each refused with one line naming the file or option and why, in our words (no runtime message, no .NET
/// type), and the README's exit code. None needs the local stack.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class InputErrorCommandLineTests : IDisposable
{
    private const string Key = "c2VjcmV0LWtleQ==";

    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("pmed-cli-input-");

    private static string Seed(string name) => Path.Combine(RepositoryPaths.Root, "src", "Core", "Knowledge", "Seed", name);

    private static string Sample(string name) => Path.Combine(RepositoryPaths.Root, "samples", name);

    [Theory]
    [InlineData("pharmcat-guidelines", "hello", "not a zip archive, or a damaged one (PharmCAT's guideline packages are read from a folder or a zip of them)")]
    [InlineData("pharmcat-guidelines", "", "empty, not a zip archive (PharmCAT's guideline packages are read from a folder or a zip of them)")]
    [InlineData("cpic-alerts", "hello", "not a zip archive, or a damaged one (CPIC's alert sheets are read from a folder or a zip of them)")]
    [InlineData("rxnorm", "", "empty, not a zip archive (RxNorm is read from the release's rrf folder or a zip of it)")]
    public async Task KnowledgeImport_SetGivenAFileThatIsNoZip_ExitsTwoNamingTheFile(string source, string content, string reason)
    {
        var file = await WriteAsync("release.txt", content);

        var run = await Pmed.RunAsync("knowledge", "import", source, file);

        Assert.Equal(ExitCodes.Rejected, run.Exit);
        Assert.Equal([$"pmed: {file}: {reason}"], run.StderrLines);
        AssertOurWords(run);
    }

    [Fact]
    public async Task KnowledgeDiff_GuidelinesGivenAFileThatIsNoZip_ExitsTwoNamingTheFile()
    {
        var from = await WriteAsync("from.txt", "hello");

        var run = await Pmed.RunAsync("knowledge", "diff", from, Seed(Path.Combine("pgx", "guidelines")), "--source", "pharmcat-guidelines");

        Assert.Equal(ExitCodes.Rejected, run.Exit);
        Assert.Equal([$"pmed: {from}: not a zip archive, or a damaged one (PharmCAT's guideline packages are read from a folder or a zip of them)"], run.StderrLines);
        AssertOurWords(run);
    }

    public static TheoryData<string, string, string> SourcesWithoutRecords() => new()
    {
        { "clinvar", "empty.txt", "no ClinVar classifications" },
        { "clinvar", "header-only.txt", "no ClinVar classifications" },
        { "hgnc", "empty.txt", "no HGNC gene rows" },
        { "cpic-drugs", "empty.txt", "no CPIC drug rows" },
        { "cpic-drugs", "drugs-header-only.tsv", "no CPIC drug rows" },
        { "pharmcat-phenotype", "CYP3A4_translation.json", "no allele functions or diplotype phenotypes" },
        { "cpic-alerts", "unrelated-json", "no CPIC alert sheets" },
        { "pharmcat-guidelines", "empty-folder", "no PharmCAT guideline packages" },
    };

    [Theory]
    [MemberData(nameof(SourcesWithoutRecords))]
    public async Task KnowledgeImport_SourceWithoutRecordsOfItsKind_ExitsTwoAndStoresNoVersion(string source, string name, string reason)
    {
        var path = await InputAsync(name);

        var run = await Pmed.RunAsync("knowledge", "import", source, path);

        Assert.True(run.Exit == ExitCodes.Rejected, run.ToString());
        var line = Assert.Single(run.StderrLines);
        Assert.StartsWith($"pmed: {Path.GetFileName(path)}: {reason} in it", line, StringComparison.Ordinal);
        Assert.Contains("nothing imported", line, StringComparison.Ordinal);
        Assert.Empty(run.Stdout); // no "N documents ... version kv-... (new)"
        AssertOurWords(run);
    }

    [Fact]
    public async Task KnowledgeImport_BrokenJson_NamesFileLineAndByteInOurWords()
    {
        var file = await WriteAsync("CYP2D6.json", """{"gene":"CYP2D6","diplotypes":""");

        var run = await Pmed.RunAsync("knowledge", "import", "pharmcat-phenotype", file);

        Assert.Equal(ExitCodes.Rejected, run.Exit);
        var line = Assert.Single(run.StderrLines);
        Assert.StartsWith("pmed: CYP2D6.json: ", line, StringComparison.Ordinal);
        Assert.Contains("not valid JSON at line 1, byte ", line, StringComparison.Ordinal);
        AssertOurWords(run);
    }

    [Fact]
    public async Task IngestAndValidate_BrokenJson_NameFileAndPositionInOurWords()
    {
        var file = await WriteAsync("truncated.json", """{"resourceType":"Bundle","type":"transaction","entry":[{"x":""");

        var ingest = await Pmed.RunAsync("ingest", file, "--out", Path.Combine(_work.FullName, "out"));
        var validate = await Pmed.RunAsync("validate", file);

        Assert.Equal(ExitCodes.Rejected, ingest.Exit);
        Assert.Contains($"{file}: rejected: line 1, column 61: the file is not valid JSON: ", ingest.Stderr, StringComparison.Ordinal);
        AssertOurWords(ingest);
        Assert.Equal(ExitCodes.Rejected, validate.Exit);
        Assert.Contains($"{file}: (file): error: (json) line 1, byte 61: not valid JSON: ", validate.Stdout + validate.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", validate.Stdout, StringComparison.Ordinal);
        AssertOurWords(validate);
    }

    [Fact]
    public async Task Ingest_OutIsAFileOrBelowOne_ExitsOneNamingTheOption()
    {
        var file = await WriteAsync("a-file", "x");
        var below = Path.Combine(file, "out");

        var toFile = await Pmed.RunAsync("ingest", Sample("Bundle-bundle-cgexample.json"), "--out", file);
        var toDevice = await Pmed.RunAsync("ingest", Sample("Bundle-bundle-cgexample.json"), "--out", "/dev/null");
        var belowFile = await Pmed.RunAsync("ingest", Sample("Bundle-bundle-cgexample.json"), "--out", below);

        Assert.Equal(ExitCodes.Usage, toFile.Exit);
        Assert.Equal($"pmed: --out {file}: is a file, not a folder", toFile.StderrLines[0]);
        Assert.Equal(ExitCodes.Usage, toDevice.Exit);
        Assert.Equal("pmed: --out /dev/null: is a file, not a folder", toDevice.StderrLines[0]);
        Assert.Equal(ExitCodes.Usage, belowFile.Exit);
        Assert.Equal($"pmed: --out {below}: {file} is a file, not a folder", belowFile.StderrLines[0]);
        AssertOurWords(toFile);
        AssertOurWords(toDevice);
        AssertOurWords(belowFile);
    }

    [Fact]
    public async Task Ingest_OutCannotBeCreated_ExitsOneNamingTheOption()
    {
        Assert.SkipUnless(Directory.Exists("/proc/self"), "needs Linux's /proc, where no folder can be made");

        var run = await Pmed.RunAsync("ingest", Sample("Bundle-bundle-cgexample.json"), "--out", "/proc/pmed-nope");

        Assert.Equal(ExitCodes.Usage, run.Exit);
        Assert.Equal(["pmed: --out /proc/pmed-nope: cannot create folder"], run.StderrLines);
        AssertOurWords(run);
    }

    [Fact]
    public async Task Ingest_RegionsIsAFolder_ExitsOneNamingTheOption()
    {
        var run = await Pmed.RunAsync("ingest", Sample("NB6TK328_filtered.vcf"), "--regions", _work.FullName);

        Assert.Equal(ExitCodes.Usage, run.Exit);
        Assert.Equal($"pmed: --regions {_work.FullName}: is a folder, not a BED file", run.StderrLines[0]);
        AssertOurWords(run);
    }

    [Theory]
    [InlineData("")]
    [InlineData("#chrom\tstart\tend\n")]
    [InlineData("browser position chr13:32315474-32400266\ntrack name=panel\n\n")]
    public async Task Ingest_RegionsHoldsNoRegions_ExitsOneNamingTheOptionAndFile(string content)
    {
        var bed = await WriteAsync("panel.bed", content);

        var run = await Pmed.RunAsync("ingest", Sample("NB6TK328_filtered.vcf"), "--regions", bed, "--out", Path.Combine(_work.FullName, "out"));

        Assert.Equal(ExitCodes.Usage, run.Exit);
        Assert.Equal(
            $"pmed: --regions {bed}: holds no regions (nothing but blank, comment, track or browser lines): every variant would be filtered out",
            run.StderrLines[0]);
        Assert.False(Directory.Exists(Path.Combine(_work.FullName, "out")), "nothing is read or written");
        AssertOurWords(run);
    }

    [Fact]
    public async Task Ingest_RegionsLineIsNoRegion_ExitsOneNamingTheOptionFileAndLine()
    {
        var bed = await WriteAsync("panel.bed", "chr13\t32315473\t32400266\nchr13 32315473 32400266\n");

        var run = await Pmed.RunAsync("ingest", Sample("NB6TK328_filtered.vcf"), "--regions", bed);

        Assert.Equal(ExitCodes.Usage, run.Exit);
        Assert.Equal($"pmed: --regions {bed}: line 2: the BED line is not 'chrom<TAB>start<TAB>end' with 0 <= start <= end", run.StderrLines[0]);
        AssertOurWords(run);
    }

    [Fact]
    public async Task Ingest_VcfAdNotNumbers_ListedAsSkippedWithLineColumnAndFieldNotTheValue()
    {
        const string row = "chr1\t100\t.\tA\tG\t.\tPASS\t.\tGT:AD:DP\t0/1:tenX9,fiveX9:15";
        var vcf = await WriteAsync("one.vcf", "##fileformat=VCFv4.2\n##contig=<ID=chr1,length=248956422>\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\n" + row + "\n");

        var run = await Pmed.RunAsync("ingest", vcf, "--patient", "urn:oid:2.16.840.1.113883.19.5|p-1", "--out", Path.Combine(_work.FullName, "out"), "--json");

        Assert.True(run.Exit == ExitCodes.Ok, run.ToString());
        var result = Assert.Single(System.Text.Json.Nodes.JsonNode.Parse(run.Stdout)!.AsArray())!;
        Assert.Equal("ingested", (string?)result["status"]);
        var column = row.IndexOf("0/1:", StringComparison.Ordinal) + 1;
        Assert.Equal(
            [$"line 4, column {column}, field FORMAT/AD: FORMAT field AD of sample 1 holds something other than numbers; it was ignored"],
            result["skipped"]!.AsArray().Select(s => (string?)s));
        Assert.DoesNotContain("X9", run.Stdout + run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_FolderHoldsANamedPipe_SkipsItUnreadAndIngestsTheRest()
    {
        NamedPipes.SkipUnlessSupported();
        var folder = _work.CreateSubdirectory("lab");
        File.Copy(Sample("Bundle-bundle-cgexample.json"), Path.Combine(folder.FullName, "Bundle-bundle-cgexample.json"));
        var pipe = NamedPipes.Create(Path.Combine(folder.FullName, "pipe.vcf"));

        var run = await NamedPipes.Bounded(Pmed.RunAsync("ingest", folder.FullName, "--out", Path.Combine(_work.FullName, "out")));

        Assert.True(run.Exit == ExitCodes.Ok, run.ToString());
        Assert.Equal([$"pmed ingest: {pipe}: skipped: a named pipe, not a regular file; it was not read"], run.StderrLines);
        Assert.Contains("1 of 1 file(s) ingested", run.Stdout, StringComparison.Ordinal);
        AssertOurWords(run);
    }

    [Fact]
    public async Task Ingest_NamedPipeNamedItself_ExitsTwoRejectedUnread()
    {
        NamedPipes.SkipUnlessSupported();
        var pipe = NamedPipes.Create(Path.Combine(_work.FullName, "pipe.hl7"));

        var run = await NamedPipes.Bounded(Pmed.RunAsync("ingest", pipe, "--out", Path.Combine(_work.FullName, "out")));
        var stated = await NamedPipes.Bounded(Pmed.RunAsync("ingest", pipe, "--out", Path.Combine(_work.FullName, "out"), "--patient", "urn:oid:1.2.3|p-1"));

        foreach (var each in new[] { run, stated })
        {
            Assert.True(each.Exit == ExitCodes.Rejected, each.ToString());
            Assert.Equal([$"pmed ingest: {pipe}: rejected: a named pipe, not a regular file; it was not read"], each.StderrLines);
            AssertOurWords(each);
        }
    }

    [Fact]
    public async Task Ingest_RegionsIsANamedPipeOrADevice_ExitsOneNamingTheOption()
    {
        NamedPipes.SkipUnlessSupported();
        var pipe = NamedPipes.Create(Path.Combine(_work.FullName, "panel.bed"));

        var fromPipe = await NamedPipes.Bounded(Pmed.RunAsync("ingest", Sample("NB6TK328_filtered.vcf"), "--regions", pipe));
        var fromDevice = await NamedPipes.Bounded(Pmed.RunAsync("ingest", Sample("NB6TK328_filtered.vcf"), "--regions", "/dev/null"));

        Assert.Equal(ExitCodes.Usage, fromPipe.Exit);
        Assert.Equal($"pmed: --regions {pipe}: is a named pipe, not a BED file", fromPipe.StderrLines[0]);
        Assert.Equal(ExitCodes.Usage, fromDevice.Exit);
        Assert.Equal("pmed: --regions /dev/null: is a character device, not a BED file", fromDevice.StderrLines[0]);
        AssertOurWords(fromPipe);
        AssertOurWords(fromDevice);
    }

    [Theory]
    [InlineData("garbage", "replay", "file-1", "--cosmos", "http://127.0.0.1:8081/")]
    [InlineData("DefaultEndpointsProtocol=https;AccountName=x", "replay", "file-1", "--cosmos", "http://127.0.0.1:8081/")]
    [InlineData("ftp://lab.queue.core.windows.net/", "replay", "file-1", "--cosmos", "http://127.0.0.1:8081/")]
    [InlineData("garbage", "serve", "--cosmos", "http://127.0.0.1:8081/")]
    [InlineData("DefaultEndpointsProtocol=https;AccountName=x", "knowledge", "reinterpret", "--cosmos", "http://127.0.0.1:8081/")]
    public async Task Storage_NotAConnectionStringOrUrl_ExitsOneNamingTheOptionNotTheValue(string storage, params string[] command)
    {
        var run = await Pmed.RunAsync([.. command, "--storage", storage]);

        Assert.Equal(ExitCodes.Usage, run.Exit);
        Assert.StartsWith("pmed: --storage: not ", run.StderrLines[0], StringComparison.Ordinal);
        Assert.DoesNotContain(storage, run.Stderr, StringComparison.Ordinal);
        AssertOurWords(run);
    }

    [Fact]
    public async Task StatusAndIngest_CosmosUrlServesAWebPage_ExitsThreeNamingCosmosAndTheUrl()
    {
        await using var server = new PlainHttpServer();

        var status = await Pmed.RunAsync("status", "--cosmos", server.Url.ToString(), "--cosmos-key", Key);
        var ingest = await Pmed.RunAsync("ingest", Sample("batch_three_messages.hl7"), "--out", Path.Combine(_work.FullName, "out"), "--cosmos", server.Url.ToString(), "--cosmos-key", Key);

        foreach (var run in new[] { status, ingest })
        {
            Assert.True(run.Exit == ExitCodes.ServiceFailed, run.ToString());
            Assert.Equal([$"pmed: Cosmos DB at {server.Url}: unexpected answer (not the service's JSON; is the URL the service's endpoint?)"], run.StderrLines);
            AssertOurWords(run);
        }
    }

    [Theory]
    [InlineData("pmed: --max: 'abc' is not a whole number", "knowledge", "reinterpret", "--cosmos", "http://127.0.0.1:8081/", "--dry-run", "--max", "abc")]
    [InlineData("pmed: --max-variants: '99999999999' is too large a number", "ingest", "samples", "--max-variants", "99999999999")]
    [InlineData("pmed: --out: empty; name a folder", "ingest", "samples", "--out", "")]
    [InlineData("pmed: --regions: empty; name a file", "ingest", "samples", "--regions", "")]
    [InlineData("pmed: missing arguments 'source' and 'path' (pmed knowledge import <source> <path>)", "knowledge", "import")]
    [InlineData("pmed: missing argument 'path' (pmed knowledge import <source> <path>)", "knowledge", "import", "clinvar")]
    [InlineData("pmed: missing arguments 'from' and 'to' (pmed knowledge diff <from> <to>)", "knowledge", "diff")]
    [InlineData("pmed: Unrecognized command or argument '--bogus'.", "validate", "out", "--bogus")]
    [InlineData("pmed: Unrecognized command or argument '--bogus'.", "knowledge", "import", "clinvar", "--bogus")]
    [InlineData("pmed: Unrecognized command or argument '--bogus'.", "knowledge", "diff", "a.txt", "--bogus")]
    public async Task BadValueOrMissingArgument_OneLineNamingIt_ExitsOne(string expected, params string[] args)
    {
        var run = await Pmed.RunAsync(args);

        Assert.Equal(ExitCodes.Usage, run.Exit);
        Assert.Equal([expected, $"See '{string.Join(' ', ["pmed", .. args.TakeWhile(a => a is "knowledge" or "import" or "diff" or "reinterpret" or "ingest" or "validate")])} --help'."], run.StderrLines);
        Assert.Empty(run.Stdout);
        AssertOurWords(run);
    }

    /// <summary>No stack, no exception or .NET type name, no reader's raw position text.</summary>
    private static void AssertOurWords(PmedRun run)
    {
        CommandLineParsingTests.AssertNoStack(run);
        foreach (var raw in new[] { "System.", "LineNumber", "BytePositionInLine", "Central Directory", "Settings must be", "Access to the path", "already exists" })
            Assert.DoesNotContain(raw, run.Stderr, StringComparison.Ordinal);
    }

    private async Task<string> WriteAsync(string name, string content)
    {
        var path = Path.Combine(_work.FullName, name);
        await File.WriteAllTextAsync(path, content, TestContext.Current.CancellationToken);
        return path;
    }

    /// <summary>The inputs <see cref="SourcesWithoutRecords"/> names, made in the work folder.</summary>
    private async Task<string> InputAsync(string name)
    {
        var ct = TestContext.Current.CancellationToken;
        switch (name)
        {
            case "header-only.txt":
                return await WriteAsync(name, (await File.ReadAllLinesAsync(Seed("clinvar_variant_summary.slice.txt"), ct))[0] + "\n");
            case "drugs-header-only.tsv":
                return await WriteAsync(name, "drugid\tname\tpharmgkbid\trxnormid\tdrugbankid\tatcid\n");
            case "CYP3A4_translation.json":
                return Seed(Path.Combine("pgx", "alleles", name));
            case "unrelated-json":
            {
                var folder = _work.CreateSubdirectory(name);
                await File.WriteAllTextAsync(Path.Combine(folder.FullName, "a.json"), """{"hello":"world"}""", ct);
                await File.WriteAllTextAsync(Path.Combine(folder.FullName, "b.json"), "[1,2,3]", ct);
                return folder.FullName;
            }

            case "empty-folder":
                return _work.CreateSubdirectory(name).FullName;
            default:
                return await WriteAsync(name, string.Empty);
        }
    }

    public void Dispose() => _work.Delete(recursive: true);
}
