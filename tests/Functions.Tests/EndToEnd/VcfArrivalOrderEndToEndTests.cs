using System.Security.Cryptography;
using PrecisionMed.Core.LabReports;
using PrecisionMed.Core.Pipeline;
using PrecisionMed.Core.Pipeline.Ledger;
using PrecisionMed.Core.Pipeline.Review;
using PrecisionMed.Functions.Tests.Hosting;
using PrecisionMed.Testing.Stack;
using PrecisionMed.Testing.Vcf;

namespace PrecisionMed.Functions.Tests.EndToEnd;

/// <summary>
/// A VCF and its manifest through the functions and the real emulators in either order: the VCF waits for its manifest
/// (nothing written meanwhile), the manifest's arrival queues it, and it is written once and archived with the manifest.
/// </summary>
[Trait("Tier", "Stack")]
public sealed class VcfArrivalOrderEndToEndTests(LocalStackFixture stack)
{
    private const string LabId = "lab-vcf-order";
    private static readonly byte[] Pgx = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", "vcf/pgx/pharmcat_Sample_1.preprocessed.vcf"));

    [Fact]
    public async Task VcfBeforeItsManifest_WaitsThenWrittenOnceWhenTheManifestArrives()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = new PipelineHost(stack.Stack);
        var name = $"{Guid.NewGuid():N}/results.vcf";
        var fileId = LabFileIds.For(LabId, Convert.ToHexStringLower(SHA256.HashData(Pgx)));

        await host.UploadAsync(LabId, name, Pgx, ct);
        await host.ArriveAsync(LabId, name, ct);
        Assert.Single(await host.DrainWorkQueueAsync(ct));
        var waiting = await host.Ledger.FindUnitAsync(fileId, 0, ct);
        Assert.Equal(UnitState.Waiting, waiting!.State);
        Assert.Equal(VcfIdentityWait.WaitingForManifest, waiting.WaitingReason);
        Assert.Empty(waiting.ResourceReferences);

        var manifest = VcfManifest.NameFor(name);
        await host.UploadAsync(LabId, manifest, TestVcfManifests.Json("results.vcf", Pgx, "order-mrn-", "ORDER-ACC-"), ct);
        await host.ArriveAsync(LabId, manifest, ct);
        Assert.Single(await host.DrainWorkQueueAsync(ct)); // the waiting unit, queued again by the manifest's arrival

        var unit = await host.Ledger.FindUnitAsync(fileId, 0, ct);
        Assert.Equal(UnitState.Completed, unit!.State);
        Assert.Equal("ORDER-ACC-Sample_1", unit.Accession);
        Assert.Equal(FileState.Completed, (await host.Ledger.FindFileAsync(fileId, ct))!.State);
        Assert.False(await host.ExistsAsync(LabFileAreas.Incoming, $"{LabId}/{manifest}", ct));
        Assert.True(await host.ExistsAsync(LabFileAreas.Archive, Originals.Archived(LabId, Pgx, manifest), ct)); // archived with its VCF, under its hash
        using var response = await host.Fhir.GetAsync(unit.ReportReference, ct);
        Assert.True(response.IsSuccessStatusCode, $"GET {unit.ReportReference}: HTTP {(int)response.StatusCode}");
    }

    [Fact]
    public async Task ManifestBeforeItsVcf_KeptThenTheVcfWrittenOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = new PipelineHost(stack.Stack);
        var name = $"{Guid.NewGuid():N}/results.vcf";
        var content = TestVcfManifests.Json("results.vcf", Pgx, "order2-mrn-", "ORDER2-ACC-");
        var manifest = VcfManifest.NameFor(name);

        await host.UploadAsync(LabId, manifest, content, ct);
        await host.ArriveAsync(LabId, manifest, ct);
        Assert.Empty(await host.DrainWorkQueueAsync(ct));
        Assert.True(await host.ExistsAsync(LabFileAreas.Incoming, $"{LabId}/{manifest}", ct)); // kept for its VCF

        // Other bytes than the first test's (a different lab folder is not enough: the hash names the file within the lab).
        var vcf = Pgx.Concat("\n"u8.ToArray()).ToArray();
        await host.UploadAsync(LabId, name, vcf, ct);
        await host.ArriveAsync(LabId, name, ct);
        Assert.Single(await host.DrainWorkQueueAsync(ct));

        var unit = await host.Ledger.FindUnitAsync(LabFileIds.For(LabId, Convert.ToHexStringLower(SHA256.HashData(vcf))), 0, ct);
        Assert.Equal(UnitState.Completed, unit!.State);
        Assert.Equal("ORDER2-ACC-Sample_1", unit.Accession);
        Assert.True(await host.ExistsAsync(LabFileAreas.Archive, Originals.Archived(LabId, vcf, manifest), ct));
    }
}
