using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using PrecisionMed.Core.Fhir;
using PrecisionMed.Core.Formats.Hl7v2;
using PrecisionMed.Core.Formats.Vcf;
using PrecisionMed.Core.Genomics.Index;
using PrecisionMed.Core.Knowledge;
using PrecisionMed.Core.Knowledge.Enrichment;
using PrecisionMed.Core.LabReports;
using PrecisionMed.Core.Pipeline;
using PrecisionMed.Core.Pipeline.Arrival;
using PrecisionMed.Core.Pipeline.Work;
using PrecisionMed.Core.Tests.Formats;
using PrecisionMed.Core.Tests.Formats.Hl7v2;
using PrecisionMed.Testing.Vcf;

namespace PrecisionMed.Core.Tests.Pipeline.Work;

/// <summary>
/// What the builder records of the resources it writes (<see cref="ReportTransaction.WrittenResources"/>) is what the
/// bundles hold, and the genomic index entries the worker reads from only the resources they need
/// (<see cref="IndexedResources"/>) are the entries read from every resource: over every HL7 v2 file under TestData
/// (the public corpus and our authored messages) and the PharmCAT and annotated VCFs.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class WrittenResourcesTests
{
    private const string Patient = "Patient/emr-1";
    private static readonly DateTimeOffset ReceivedAt = new(2026, 3, 14, 9, 30, 0, TimeSpan.Zero);

    public static TheoryData<string> Hl7v2Files => new(Hl7v2TestMessages.MessageFiles());

    public static TheoryData<string> VcfFiles => new("vcf/pgx/pharmcat_Sample_1.preprocessed.vcf", "vcf/pgx/pharmcat_PipelineTest-phaseSet.vcf",
        "vcf/annotated/snpEff_clinvar_crlf.vcf", "vcf/annotated/qiagen_ingenuity_export.vcf");

    [Fact]
    public async Task Hl7v2Files_AtLeastTwentyFiveFilesAndTwentyUnits()
    {
        var units = 0;
        foreach (var file in Hl7v2Files) units += (await BuildHl7v2Async(Hl7v2TestMessages.Corpus(file))).Count;

        Assert.True(Hl7v2Files.Count >= 25, $"{Hl7v2Files.Count} files");
        Assert.True(units >= 20, $"{units} units");
    }

    [Theory]
    [MemberData(nameof(Hl7v2Files))]
    public async Task Hl7v2File_EveryUnit_RecordsWhatItWroteAndIndexesAsFromEveryResource(string file)
    {
        var transactions = await BuildHl7v2Async(Hl7v2TestMessages.Corpus(file));

        foreach (var transaction in transactions) await AssertWrittenAsRecordedAsync(transaction);
    }

    [Theory]
    [MemberData(nameof(VcfFiles))]
    public async Task VcfFile_RecordsWhatItWroteAndIndexesAsFromEveryResource(string file)
    {
        var content = TestFiles.Read(file);
        var name = Path.GetFileName(file);
        var provenance = new ReportProvenance("lab-a", $"incoming/lab-a/{name}", new string('1', 64), name, 0, 1, ReceivedAt, "test")
        {
            Manifest = TestVcfManifests.For(name, content),
        };
        var knowledge = new KnowledgeLookup(EmbeddedKnowledgeSeed.Instance, Options.Create(new KnowledgeOptions()), TimeProvider.System);
        var transaction = await new VcfFormat(Options.Create(new VcfOptions()), new StoreVariantKnowledge(knowledge)).BuildUnitAsync(
            new MemoryStream(content), provenance, new ReportUnitBuilder(new ReportEnricher(knowledge)), TestContext.Current.CancellationToken);

        Assert.Contains(transaction.WrittenResources!, r => r.Profile?.EndsWith("/genomic-data-file", StringComparison.Ordinal) == true);
        await AssertWrittenAsRecordedAsync(transaction);
    }

    [Fact]
    public async Task AmendedStatus_TheReportAndEveryResourceAfterItStillWhereRecorded()
    {
        var transaction = Assert.Single(await BuildHl7v2Async(Hl7v2TestMessages.Corpus("general-lab/msft_ORU-R01-01.hl7")));
        var status = transaction.ReportStatus!;

        transaction.SetReportStatus("amended");

        Assert.NotEqual("amended", status);
        var report = transaction.WrittenResources!.Single(r => r.Type == "DiagnosticReport");
        using (var document = JsonDocument.Parse(transaction.ResourceJson(report)))
            Assert.Equal("amended", document.RootElement.GetProperty("status").GetString());
        await AssertWrittenAsRecordedAsync(transaction);
    }

    [Fact]
    public async Task SetOfTwoReports_ReadsEveryObservation()
    {
        var transaction = Assert.Single(await BuildHl7v2Async(Hl7v2TestMessages.Corpus("general-lab/msft_ORU-R01-01.hl7")));
        var observation = transaction.WrittenResources!.First(r => r.Type == "Observation" && r.Profile is null);

        Assert.False(IndexedResources.Reads(observation.Type, observation.Profile, transaction.ResourceJson(observation).Span, reports: 1));
        Assert.True(IndexedResources.Reads(observation.Type, observation.Profile, transaction.ResourceJson(observation).Span, reports: 2));
    }

    /// <summary>
    /// Each recorded resource is the bundles' PUT entry resource at the same place in write order, byte for byte, with
    /// the type and profile it declares; and the index entries the worker writes equal those read from every resource.
    /// </summary>
    private static async Task AssertWrittenAsRecordedAsync(ReportTransaction transaction)
    {
        var written = transaction.WrittenResources;
        Assert.NotNull(written);
        var resources = new List<(JsonDocument Document, JsonElement Resource)>();
        try
        {
            for (var b = 0; b < transaction.BundleCount; b++)
            {
                var bundle = JsonDocument.Parse(transaction.Bundle(b));
                foreach (var entry in bundle.RootElement.GetProperty("entry").EnumerateArray())
                {
                    if (entry.GetProperty("request").GetProperty("method").GetString() == "PUT") resources.Add((bundle, entry.GetProperty("resource")));
                }
            }

            Assert.Equal(resources.Count, written.Count);
            for (var i = 0; i < written.Count; i++)
            {
                var expected = resources[i].Resource;
                Assert.Equal(expected.GetRawText(), Encoding.UTF8.GetString(transaction.ResourceJson(written[i]).Span));
                Assert.Equal(expected.GetProperty("resourceType").GetString(), written[i].Type);
                var declared = expected.TryGetProperty("meta", out var meta) && meta.TryGetProperty("profile", out var profiles) ? profiles[0].GetString() : null;
                Assert.Equal(declared, written[i].Profile);
            }

            var everyResource = IndexedReportReader.Read([.. resources.Select(r => r.Resource)], Patient);
            var index = new InMemoryGenomicIndex();
            var count = await new GenomicIndexWriter(index).WriteAsync(transaction, new ReportUnitWrite(false, new FhirWriteResult([$"{Patient}/_history/1"]), null), TestContext.Current.CancellationToken);
            Assert.Equal(everyResource.Count, count);
            var indexed = await index.ReadSubjectAsync(Patient, TestContext.Current.CancellationToken);
            Assert.Equal(
                everyResource.Where(e => e.Status is not ("entered-in-error" or "cancelled")).Select(Json).Order(StringComparer.Ordinal),
                indexed.Select(Json).Order(StringComparer.Ordinal));
        }
        finally
        {
            foreach (var document in resources.Select(r => r.Document).Distinct()) document.Dispose();
        }
    }

    private static string Json(IndexedReport entry) => JsonSerializer.Serialize(entry);

    private static async Task<List<ReportTransaction>> BuildHl7v2Async(byte[] bytes)
    {
        var ct = TestContext.Current.CancellationToken;
        OpenLabFile open = _ => Task.FromResult<Stream>(new MemoryStream(bytes, writable: false));
        var intake = new LabFileIntake([new Hl7v2Format()], new ReportUnitBuilder(ReportEnricher.WithEmbeddedSeed()));
        IntakePlan plan;
        try
        {
            plan = await intake.PlanAsync(open, ct);
        }
        catch (LabFileRejectedException)
        {
            return []; // a bare OBX fragment is no message: nothing to index
        }

        var transactions = new List<ReportTransaction>();
        for (var unit = 0; unit < plan.UnitCount; unit++)
        {
            var provenance = new ReportProvenance("lab-a", "incoming/lab-a/m.hl7", plan.ContentHash, "m.hl7", unit, plan.UnitCount, ReceivedAt, "test");
            try
            {
                transactions.Add(await intake.BuildUnitAsync(open, provenance, ct));
            }
            catch (LabFileRejectedException)
            {
                // A unit the pipeline rejects writes nothing to index.
            }
        }

        return transactions;
    }
}
