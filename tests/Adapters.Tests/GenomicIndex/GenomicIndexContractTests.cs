using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PrecisionMed.Adapters.Tests.Knowledge;
using PrecisionMed.Core.Genomics.Index;
using PrecisionMed.Testing.Stack;
using Xunit;

namespace PrecisionMed.Adapters.Tests.GenomicIndex;

/// <summary>
/// The genomic index's contract, on Cosmos DB (the emulator server, one database per test) and in memory alike: a
/// patient's reports read back from their partition, population slices by gene and bin, the denominator, replacement
/// (an amendment's dropped findings leave the slices), removal, and idempotent writes. The reports are the Genomics
/// Reporting IG's example bundles, read as the pipeline reads what it wrote.
/// </summary>
[Trait("Tier", "Stack")]
public sealed class GenomicIndexContractTests(LocalStackFixture stack)
{
    public static TheoryData<string> Stores => ["cosmos", "memory"];

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task WriteReadReplaceRemove(string store)
    {
        var ct = TestContext.Current.CancellationToken;
        using var services = store == "cosmos" ? CosmosKnowledgeStoreContractTests.KnowledgeServices(stack, "pmed-index-" + Guid.NewGuid().ToString("N")[..10]) : null;
        var index = services?.GetRequiredService<IGenomicIndex>() ?? new InMemoryGenomicIndex();
        Assert.Equal(store == "cosmos" ? "CosmosGenomicIndex" : nameof(InMemoryGenomicIndex), index.GetType().Name);
        var cyp2c19 = Entry("Bundle-bundle-CYP2C19.json", "Patient/a");
        var pgx = Entry("Bundle-bundle-pgxexample.json", "Patient/a");
        var other = Entry("Bundle-bundle-pgxexample.json", "Patient/b");

        await index.WriteAsync(cyp2c19, ct);
        await index.WriteAsync(pgx, ct);
        await index.WriteAsync(pgx, ct); // a redelivery
        await index.WriteAsync(other, ct);

        var subject = await index.ReadSubjectAsync("Patient/a", ct);
        Assert.Equal([pgx.Report, cyp2c19.Report], subject.Select(r => r.Report)); // in report order
        Assert.Equal(74, subject[1].Variants.Count);
        Assert.Equal(2, await index.CountSubjectsAsync(ct));
        var cyp2c9 = await index.ReadPopulationAsync(PopulationKey.Gene("HGNC:2623"), ct);
        Assert.Equal(["Patient/a", "Patient/b"], cyp2c9.Select(r => r.Patient).Order(StringComparer.Ordinal));
        var first = cyp2c19.Variants[0];
        var bin = await index.ReadPopulationAsync(PopulationKey.Bins(first.ChromosomeAccession!, first.Start!.Value, first.End!.Value).Single(), ct);
        Assert.Contains(bin.Single(r => r.Patient == "Patient/a").Variants, v => v.Observation == first.Observation);

        // An amendment without the genotype: the report replaced, its gene slice gone.
        await index.WriteAsync(pgx with { Haplotypes = [], Implications = [], Variants = [] }, ct);
        Assert.Empty((await index.ReadSubjectAsync("Patient/a", ct)).Single(r => r.Report == pgx.Report).Haplotypes);
        Assert.Equal(["Patient/b"], (await index.ReadPopulationAsync(PopulationKey.Gene("HGNC:2623"), ct)).Select(r => r.Patient));

        await index.RemoveAsync("Patient/b", other.Report, ct);
        await index.RemoveAsync("Patient/b", other.Report, ct);
        Assert.Empty(await index.ReadSubjectAsync("Patient/b", ct));
        Assert.Equal(1, await index.CountSubjectsAsync(ct));
        Assert.Empty(await index.ReadPopulationAsync(PopulationKey.Gene("HGNC:2623"), ct));
    }

    /// <summary>
    /// A VCF report at the pipeline's variant bound (Vcf:MaxReportableVariants, 10,000): its entry is far over Cosmos DB's
    /// 2 MB item limit as JSON (the emulator server does not enforce it), so it is stored packed, well under it, and
    /// reads back whole.
    /// </summary>
    [Fact]
    public async Task ReportAtTheVariantBound_StoredUnderCosmosItemLimit_ReadBackWhole()
    {
        var ct = TestContext.Current.CancellationToken;
        var database = "pmed-index-" + Guid.NewGuid().ToString("N")[..10];
        using var services = CosmosKnowledgeStoreContractTests.KnowledgeServices(stack, database);
        var index = services.GetRequiredService<IGenomicIndex>();
        var variants = Enumerable.Range(0, 10_000).Select(i => new IndexedVariant(
            $"Observation/{Guid.NewGuid()}", "NC_000001.11", 1_000_000 + (i * 997L), 1_000_001 + (i * 997L), "A", "G",
            $"NC_000001.11:{1_000_000 + (i * 997L)}:A:G", [], [], "LA6683-2")).ToList();
        var report = new IndexedReport { Report = "DiagnosticReport/wgs-1", Patient = "Patient/wgs", Status = "final", Variants = variants };

        await index.WriteAsync(report, ct);

        var read = Assert.Single(await index.ReadSubjectAsync("Patient/wgs", ct));
        Assert.Equal(variants.Select(v => (v.Observation, v.Spdi, v.Start, v.End, v.SourceClass)), read.Variants.Select(v => (v.Observation, v.Spdi, v.Start, v.End, v.SourceClass)));
        var client = services.GetRequiredService<Microsoft.Azure.Cosmos.CosmosClient>();
        using var stored = await client.GetContainer(database, "genomic-index").ReadItemStreamAsync(
            "DiagnosticReport~wgs-1", new Microsoft.Azure.Cosmos.PartitionKey("subject:Patient/wgs"), cancellationToken: ct);
        Assert.True(stored.IsSuccessStatusCode, stored.StatusCode.ToString());
        var bytes = stored.Content.Length;
        Assert.True(bytes < 2 * 1024 * 1024 / 2, $"{bytes:N0} bytes stored for a report of 10,000 variants");
        Assert.True(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(report).Length > 2 * 1024 * 1024, "the report as JSON is over the item limit");
    }

    private static IndexedReport Entry(string bundle, string patient)
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "fhir", "ig-examples", bundle)))!;
        var resources = (json["entry"] as JsonArray ?? []).Select(e => e?["resource"]).OfType<JsonObject>().ToList();
        return Assert.Single(IndexedReportReader.Read(resources, patient));
    }
}
