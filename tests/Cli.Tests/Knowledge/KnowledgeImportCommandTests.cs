using System.Text.Json.Nodes;
using PrecisionMed.Cli.Ingest;
using PrecisionMed.Cli.Knowledge;
using PrecisionMed.Core.Knowledge.Import;
using PrecisionMed.Testing.Stack;
using Xunit;

namespace PrecisionMed.Cli.Tests.Knowledge;

/// <summary><c>pmed knowledge import</c> into the emulator server, then <c>pmed ingest --cosmos</c> enriching from it.</summary>
[Trait("Tier", "Stack")]
public sealed class KnowledgeImportCommandTests(LocalStackFixture stack) : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("pmed-knowledge-");
    private readonly string _database = "pmed-cli-knowledge-" + Guid.NewGuid().ToString("N")[..10];

    private static string Seed(string file) => Path.Combine(RepositoryPaths.Root, "src", "Core", "Knowledge", "Seed", file);

    /// <summary>
    /// Every seed file goes through Cosmos DB twice in the store contract (tests/Adapters.Tests, KnowledgeStoreContract);
    /// through the command line, one file of each source (each reader and document kind) and what the ingest below
    /// enriches from (CYP2C19's phenotypes and allele definitions), in the seed's import order.
    /// </summary>
    private static readonly (KnowledgeSource Source, string File)[] Imported =
    [
        .. Core.Knowledge.EmbeddedKnowledgeSeed.Files.Where(entry =>
            entry.File.Contains("CYP2C19", StringComparison.Ordinal)
            || Core.Knowledge.EmbeddedKnowledgeSeed.Files.First(other => other.Source == entry.Source) == entry),
    ];

    [Fact]
    public async Task Import_OneSeedFileOfEachSourceTwice_SecondWritesNothing_ThenIngestEnrichesFromCosmos()
    {
        string? lastLine = null;
        foreach (var (source, file) in Imported)
        {
            var (exit, stdout, stderr) = await ImportAsync(source, file);
            Assert.True(exit == KnowledgeImportRunner.ExitOk, stderr);
            Assert.Contains("0 unchanged", stdout, StringComparison.Ordinal);
            lastLine = stdout;
        }

        // The second pass writes nothing (not even a version), so its imports can run side by side, as several importing
        // operators' would; each must find every document unchanged.
        using var inFlight = new SemaphoreSlim(4);
        var again = await Task.WhenAll(Imported.Select(async entry =>
        {
            await inFlight.WaitAsync(TestContext.Current.CancellationToken);
            try
            {
                return (entry.File, Result: await ImportAsync(entry.Source, entry.File));
            }
            finally
            {
                inFlight.Release();
            }
        }));
        foreach (var (file, (exit, stdout, stderr)) in again)
        {
            Assert.True(exit == KnowledgeImportRunner.ExitOk, $"{file}: {stderr}");
            Assert.True(stdout.Contains(" 0 written", StringComparison.Ordinal), $"{file}: {stdout}");
        }

        var version = System.Text.RegularExpressions.Regex.Match(lastLine!, @"version (kv-[0-9a-f]+)").Groups[1].Value;
        var output = new DirectoryInfo(Path.Combine(_work.FullName, "out"));
        using var stdoutIngest = new StringWriter();
        using var stderrIngest = new StringWriter();
        var ingest = new IngestOptions([Path.Combine(RepositoryPaths.Root, "samples", "batch_three_messages.hl7")], output, null, "local", Json: false)
        {
            Cosmos = stack.Stack.CosmosEndpoint,
            CosmosKey = stack.Stack.CosmosKey,
            Database = _database,
        };

        Assert.Equal(IngestRunner.ExitOk, await new IngestRunner(ingest, stdoutIngest, stderrIngest).RunAsync(TestContext.Current.CancellationToken));
        var third = JsonNode.Parse(await File.ReadAllTextAsync(output.GetFiles("*report-3*.json").Single().FullName, TestContext.Current.CancellationToken))!;
        var resources = third["entry"]!.AsArray().Select(e => e!["resource"]!).ToList();
        var provenance = resources.Single(r => (string?)r["resourceType"] == "Provenance");
        Assert.Contains(provenance["entity"]!.AsArray(), e => (string?)e!["what"]!["identifier"]!["value"] == version);
        Assert.Contains(resources, r => r.ToJsonString().Contains("https://www.pharmgkb.org/guidelineAnnotation/PA166104948", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Import_WithoutCosmos_IsADryRunThatCounts()
    {
        var (exit, stdout, _) = await ImportAsync(KnowledgeSource.ClinVar, "clinvar_variant_summary.slice.txt", cosmos: false);

        Assert.Equal(KnowledgeImportRunner.ExitOk, exit);
        Assert.Contains("dry run", stdout, StringComparison.Ordinal);

        // 13 rows with a VCF position, 11 of them single-base (g.HGVS too), 8 variants by c.HGVS (BRAF V600E's two builds included).
        Assert.Contains("clinvar clinvar_variant_summary.slice.txt: 32 documents", stdout, StringComparison.Ordinal);
    }

    private async Task<(int Exit, string Stdout, string Stderr)> ImportAsync(KnowledgeSource source, string file, bool cosmos = true)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var options = new KnowledgeImportOptions(
            source, Seed(file), cosmos ? stack.Stack.CosmosEndpoint : null, stack.Stack.CosmosKey, _database, Concurrency: 8);
        var exit = await new KnowledgeImportRunner(options, stdout, stderr).RunAsync(TestContext.Current.CancellationToken);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    public void Dispose() => _work.Delete(recursive: true);
}
