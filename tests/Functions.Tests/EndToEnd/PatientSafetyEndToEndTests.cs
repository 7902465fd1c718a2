using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PrecisionMed.Core.Pipeline;
using PrecisionMed.Core.Pipeline.Ledger;
using PrecisionMed.Core.Pipeline.Review;
using PrecisionMed.Functions.Tests.Hosting;
using PrecisionMed.Testing.Stack;

namespace PrecisionMed.Functions.Tests.EndToEnd;

/// <summary>
/// Patient safety, through the functions and the real emulators: a second ORU for the same MRN with another
/// birth date is held (nothing written, copy in review/), then released by the code <c>pmed review release</c> runs.
/// </summary>
[Trait("Tier", "Stack")]
public sealed class PatientSafetyEndToEndTests(LocalStackFixture stack)
{
    private const string LabId = "lab-safety";

    [Fact]
    public async Task SecondOruSameMrnOtherBirthDate_HeldThenReleased_WrittenAndCompleted()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = new PipelineHost(stack.Stack);

        // The corpus message with its PID's MRN made unique to this run (the FHIR server is shared by the tests);
        // the second one differs from the first in PID-7 (birth date) only.
        var corpus = await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "TestData", "hl7v2/authored/germline_from_cgexample.hl7"), ct);
        var mrn = "PS" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();
        var first = WithPid(WithAccession(corpus, mrn), 3, $"{mrn}^^^SOMELAB&2.16.840.1.113883.19.5.1&ISO^MR");
        var second = WithPid(first, 7, "19810303");

        var firstUnit = await IngestAsync(host, "2026/first.hl7", first, ct);
        Assert.Equal(UnitState.Completed, firstUnit.State);
        var patients = await SearchPatientsAsync(host, mrn, ct);
        Assert.Single(patients);

        var heldUnit = await IngestAsync(host, "2026/second.hl7", second, ct);

        var fileId = heldUnit.FileId;
        Assert.Equal(UnitState.Held, heldUnit.State);
        Assert.Contains(PatientDemographics.BirthDate, heldUnit.Problem!.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("1981", heldUnit.Problem.Reason, StringComparison.Ordinal);
        Assert.Empty(heldUnit.ResourceReferences);
        Assert.Equal(FileState.Held, (await host.Ledger.FindFileAsync(fileId, ct))!.State);
        Assert.Equal(second, await host.ReadBlobAsync(LabFileAreas.Review, Originals.InReview(LabId, second, "2026/second.hl7"), ct));
        Assert.True(await host.ExistsAsync(LabFileAreas.Incoming, $"{LabId}/2026/second.hl7", ct));
        Assert.Equal("1980-02-02", Assert.Single(await SearchPatientsAsync(host, mrn, ct))["birthDate"]!.GetValue<string>());

        var review = host.Services.GetRequiredService<ReportReview>();
        var listed = (await review.ListAsync(ct)).Where(h => h.FileId == fileId).ToList();
        Assert.Equal([(0, LabId)], listed.Select(h => (h.UnitIndex, h.LabId)));
        Assert.Equal([PatientDemographics.BirthDate], listed[0].Fields);

        var released = Assert.Single(await review.ReleaseAsync(fileId, unitIndex: null, ct));

        Assert.Equal(UnitState.Completed, released.State);
        var unit = (await host.Ledger.FindUnitAsync(fileId, 0, ct))!;
        Assert.Equal(UnitState.Completed, unit.State);
        Assert.NotNull(unit.ReleasedAt);
        Assert.Equal(firstUnit.ReportReference, unit.ReportReference);
        Assert.Equal(FileState.Completed, (await host.Ledger.FindFileAsync(fileId, ct))!.State);
        Assert.Equal(second, await host.ReadBlobAsync(LabFileAreas.Archive, Originals.Archived(LabId, second, "2026/second.hl7"), ct));
        Assert.False(await host.ExistsAsync(LabFileAreas.Incoming, $"{LabId}/2026/second.hl7", ct));
        Assert.False(await host.ExistsAsync(LabFileAreas.Review, Originals.InReview(LabId, second, "2026/second.hl7"), ct));
        Assert.DoesNotContain(await review.ListAsync(ct), h => h.FileId == fileId);

        // Written as the pipeline would have: the report's Provenance now names the second file; the Patient was found
        // by the conditional create, not overwritten; and the EMR is told about both reports.
        var provenance = unit.ResourceReferences.Single(r => r.StartsWith("Provenance/", StringComparison.Ordinal));
        using var response = await host.Fhir.GetAsync(provenance, ct);
        var sources = JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!["entity"]!.AsArray()
            .Select(e => (string?)e!["what"]!["identifier"]!["value"]).ToList();
        Assert.Contains($"incoming/{LabId}/2026/second.hl7", sources);
        Assert.Equal("1980-02-02", Assert.Single(await SearchPatientsAsync(host, mrn, ct))["birthDate"]!.GetValue<string>());
        var notices = (await host.NotificationQueue.ReceiveMessagesAsync(maxMessages: 32, cancellationToken: ct)).Value;
        Assert.Equal(2, notices.Length);
    }

    /// <summary>The other resolution: the lab confirms the second report names the wrong patient; it is rejected, never written.</summary>
    [Fact]
    public async Task SecondOruSameMrnOtherFamilyName_HeldThenRejected_NothingWrittenOriginalInRejected()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = new PipelineHost(stack.Stack);
        var corpus = await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "TestData", "hl7v2/authored/germline_from_cgexample.hl7"), ct);
        var mrn = "PR" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();
        var first = WithPid(WithAccession(corpus, mrn), 3, $"{mrn}^^^SOMELAB&2.16.840.1.113883.19.5.1&ISO^MR");
        var second = WithPid(first, 5, "OTHERPATIENT^CHARLIE");
        var firstUnit = await IngestAsync(host, "2026/reject-first.hl7", first, ct);
        var heldUnit = await IngestAsync(host, "2026/reject-second.hl7", second, ct);
        Assert.Equal(UnitState.Held, heldUnit.State);
        Assert.Contains(PatientDemographics.FamilyName, heldUnit.Problem!.Reason, StringComparison.Ordinal);

        var review = host.Services.GetRequiredService<ReportReview>();
        var rejected = Assert.Single(await review.RejectAsync(heldUnit.FileId, unitIndex: 0, "lab confirmed: wrong patient on the requisition (ticket 17)", ct));

        Assert.Equal(UnitState.Rejected, rejected.State);
        var unit = (await host.Ledger.FindUnitAsync(heldUnit.FileId, 0, ct))!;
        Assert.Equal(UnitState.Rejected, unit.State);
        Assert.Contains("ticket 17", unit.Problem!.Reason, StringComparison.Ordinal);
        Assert.Empty(unit.ResourceReferences);
        Assert.Equal(FileState.Rejected, (await host.Ledger.FindFileAsync(heldUnit.FileId, ct))!.State);
        Assert.Equal(second, await host.ReadBlobAsync(LabFileAreas.Rejected, Originals.Rejected(LabId, second, "2026/reject-second.hl7"), ct));
        Assert.False(await host.ExistsAsync(LabFileAreas.Incoming, $"{LabId}/2026/reject-second.hl7", ct));
        Assert.False(await host.ExistsAsync(LabFileAreas.Review, Originals.InReview(LabId, second, "2026/reject-second.hl7"), ct));
        Assert.DoesNotContain(await review.ListAsync(ct), h => h.FileId == heldUnit.FileId);
        // The EMR's Patient is as the first report left it, and only the first report was announced.
        var patient = Assert.Single(await SearchPatientsAsync(host, mrn, ct));
        Assert.Equal("TESTPATIENT", patient["name"]![0]!["family"]!.GetValue<string>());
        Assert.Single((await host.NotificationQueue.ReceiveMessagesAsync(maxMessages: 32, cancellationToken: ct)).Value);
        Assert.Equal(UnitState.Completed, firstUnit.State);
    }

    private static async Task<LedgerUnit> IngestAsync(PipelineHost host, string name, byte[] content, CancellationToken ct)
    {
        await host.UploadAsync(LabId, name, content, ct);
        await host.ArriveAsync(LabId, name, ct);
        await host.DrainWorkQueueAsync(ct);
        var fileId = LabFileIds.For(LabId, Convert.ToHexStringLower(SHA256.HashData(content)));
        return Assert.Single(await host.Ledger.ListUnitsAsync(fileId, ct));
    }

    private static async Task<List<JsonObject>> SearchPatientsAsync(PipelineHost host, string mrn, CancellationToken ct)
    {
        using var response = await host.Fhir.GetAsync($"Patient?identifier={Uri.EscapeDataString("urn:oid:2.16.840.1.113883.19.5.1")}|{mrn}", ct);
        var bundle = JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!;
        return [.. (bundle["entry"]?.AsArray() ?? []).Select(e => e!["resource"]!.AsObject())];
    }

    /// <summary>
    /// The message with its filler order number (the accession) made unique to the test: a report's accession is the same
    /// report only for the same patient, and the tests share one FHIR server.
    /// </summary>
    private static byte[] WithAccession(byte[] message, string unique) =>
        Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(message).Replace("SL-16-CG-0002", "SL-" + unique, StringComparison.Ordinal));

    /// <summary>The message with one PID field replaced; every other byte as in the corpus.</summary>
    private static byte[] WithPid(byte[] message, int field, string value)
    {
        var segments = Encoding.UTF8.GetString(message).Split('\r');
        for (var i = 0; i < segments.Length; i++)
        {
            if (!segments[i].StartsWith("PID|", StringComparison.Ordinal)) continue;
            var fields = segments[i].Split('|');
            fields[field] = value;
            segments[i] = string.Join('|', fields);
        }

        return Encoding.UTF8.GetBytes(string.Join('\r', segments));
    }
}
