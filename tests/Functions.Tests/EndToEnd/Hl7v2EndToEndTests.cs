using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PrecisionMed.Core.Genomics.Index;
using PrecisionMed.Core.Pipeline;
using PrecisionMed.Core.Pipeline.Ledger;
using PrecisionMed.Core.Pipeline.Notifications;
using PrecisionMed.Functions.Tests.Hosting;
using PrecisionMed.Testing.Faults;
using PrecisionMed.Testing.Stack;
using PrecisionMed.Testing.Validation;
using PrecisionMed.Validation;

namespace PrecisionMed.Functions.Tests.EndToEnd;

/// <summary>HL7 v2 ORU^R01 files through the functions and the real emulators into Genomics IG FHIR.</summary>
[Trait("Tier", "Stack")]
public sealed class Hl7v2EndToEndTests(LocalStackFixture stack)
{
    private const string LabId = "lab-hl7";

    public static TheoryData<string> Messages() => new(
        "hl7v2/authored/pgx_cyp2c9_from_pgxexample.hl7",
        "hl7v2/authored/germline_from_cgexample.hl7",
        "hl7v2/authored/somatic_from_oncologyexamples.hl7",
        "hl7v2/authored/compound_het_from_compound_heterozygote.hl7",
        "hl7v2/authored/structural_cnv.hl7",
        "hl7v2/authored/batch_three_messages.hl7",
        "hl7v2/genomic/nwgmsa_MFT_ORU_R01_PDF.txt",
        "hl7v2/general-lab/msft_LRI_2.0-NG_CBC_Typ_Message.hl7");

    [Theory]
    [MemberData(nameof(Messages))]
    public async Task OruMessage_ThroughThePipeline_WritesValidGenomicsIgResources(string relativePath)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = new PipelineHost(stack.Stack);
        var content = await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "TestData", relativePath), ct);
        var name = "2026/" + Path.GetFileName(relativePath);
        var fileId = LabFileIds.For(LabId, Convert.ToHexStringLower(SHA256.HashData(content)));

        await host.UploadAsync(LabId, name, content, ct);
        await host.ArriveAsync(LabId, name, ct);
        var processed = await host.DrainWorkQueueAsync(ct);

        var file = await host.Ledger.FindFileAsync(fileId, ct);
        Assert.Equal(FileState.Completed, file!.State);
        Assert.Equal(file.UnitCount, processed.Count);
        Assert.Equal(content, await host.ReadBlobAsync(LabFileAreas.Archive, Originals.Archived(LabId, content, name), ct));

        var errors = new List<string>();
        foreach (var unit in await host.Ledger.ListUnitsAsync(fileId, ct))
        {
            Assert.Equal(UnitState.Completed, unit.State);
            Assert.NotNull(unit.ReportReference);
            Assert.Equal(unit.SkippedCount, unit.Skipped.Count);
            foreach (var reference in unit.ResourceReferences)
            {
                using var response = await host.Fhir.GetAsync(reference, ct);
                Assert.True(response.IsSuccessStatusCode, $"GET {reference}: HTTP {(int)response.StatusCode}");
                var resource = JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!;
                errors.AddRange(FhirProfileValidator.Shared.Validate(resource.ToJsonString()).Errors.Select(e => $"{reference}: {e}"));
            }
        }

        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
    }

    /// <summary>
    /// A correction (OBR-25 C) of a report already in the FHIR service: its results are corrected in place, and
    /// those it no longer carries are entered-in-error, still valid against their profiles; the report's history
    /// keeps the original.
    /// </summary>
    [Fact]
    public async Task CorrectedOru_AfterTheOriginal_WithdrawsResultsItNoLongerCarries()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = new PipelineHost(stack.Stack);
        var original = await IngestAsync(host, "hl7v2/authored/germline_from_cgexample.hl7", ct);
        var corrected = await IngestAsync(host, "hl7v2/authored/corrected_germline.hl7", ct);

        Assert.Equal(original.ReportReference, corrected.ReportReference);
        Assert.Equal(original.ResourceReferences.Except(corrected.ResourceReferences).Order(), corrected.WithdrawnReferences.Order());
        var errors = new List<string>();
        var codes = new List<string>();
        foreach (var reference in corrected.WithdrawnReferences)
        {
            var resource = await GetAsync(host, reference, ct);
            codes.Add(resource["code"]!["coding"]![0]!["code"]!.GetValue<string>());
            Assert.Equal("entered-in-error", resource["status"]!.GetValue<string>());
            errors.AddRange(FhirProfileValidator.Shared.Validate(resource.ToJsonString()).Errors.Select(e => $"{reference}: {e}"));
        }

        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));

        // Groups 5a, 5a.1 and 5a.2: the complex variant (a Genotype), its two member Variants, and its implication.
        Assert.Equal(["69548-6", "69548-6", "84413-4", "diagnostic-implication"], codes.Order(StringComparer.Ordinal));
        var report = await GetAsync(host, corrected.ReportReference!, ct);
        Assert.Equal("corrected", report["status"]!.GetValue<string>());
        Assert.DoesNotContain(report["result"]!.AsArray(), r => corrected.WithdrawnReferences.Contains(r!["reference"]!.GetValue<string>()));
        var history = await GetAsync(host, corrected.ReportReference + "/_history", ct);
        Assert.True(history["entry"]!.AsArray().Count >= 2, "the original report stays in the history");

        // EMRs are told twice: the final report, then its correction with what it withdrew.
        var notices = (await host.NotificationQueue.ReceiveMessagesAsync(maxMessages: 32, cancellationToken: ct)).Value
            .Select(m => GenomicResultAvailable.FromJson(m.Body.ToString())!).ToList();
        Assert.Equal(["corrected", "final"], notices.Select(n => n.Status).Order(StringComparer.Ordinal));
        Assert.All(notices, n => Assert.Equal(corrected.ReportReference, n.ReportReference));
        Assert.All(notices, n => Assert.StartsWith("Patient/", n.PatientReference, StringComparison.Ordinal));
        Assert.Equal(corrected.WithdrawnReferences, notices.Single(n => n.Status == "corrected").Withdrawn);

        // The genomic index holds the corrected report only: what it withdrew is no longer found.
        var indexed = Assert.Single(await host.Services.GetRequiredService<IGenomicIndex>().ReadSubjectAsync(notices[0].PatientReference!, ct));
        Assert.Equal(corrected.ReportReference, indexed.Report);
        Assert.Equal("corrected", indexed.Status);
        var findings = indexed.Variants.Select(v => v.Observation).Concat(indexed.Haplotypes.Select(h => h.Observation))
            .Concat(indexed.Implications.Select(i => i.Observation)).ToList();
        Assert.NotEmpty(findings);
        Assert.Empty(findings.Intersect(corrected.WithdrawnReferences));
        Assert.All(findings, f => Assert.Contains(f, corrected.ResourceReferences));
    }

    /// <summary>
    /// Every work item of 40 reports (4 batch files of 10) delivered twice at once, 80 deliveries in flight:
    /// each report is written once, counted on the FHIR server: one transaction per report reached it (through a
    /// counting proxy), every resource a report produced is at version 1 (a second write of a changed resource would
    /// be version 2), each accession has one DiagnosticReport; and each report is announced once.
    /// </summary>
    [Fact]
    public async Task EveryWorkItemDeliveredTwiceConcurrently_EachReportWrittenOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        const string lab = "lab-hl7-twice";
        await using var proxy = await FaultInjectingProxy.StartAsync(stack.Stack.FhirBaseUrl, FaultPlan.None, ct);
        await using var host = new PipelineHost(stack.Stack, new Dictionary<string, string?> { ["Fhir:BaseUrl"] = proxy.BaseUrl.ToString() });
        var (reports, files) = ReportBatches.Generate("TW", 40, 10);
        var fileIds = new List<string>();
        for (var i = 0; i < files.Count; i++)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"twice/batch-{i + 1}.hl7");
            await host.UploadAsync(lab, name, files[i], ct);
            await host.ArriveAsync(lab, name, ct);
            fileIds.Add(LabFileIds.For(lab, Convert.ToHexStringLower(SHA256.HashData(files[i]))));
        }

        var function = host.Function<Triggers.ReportQueuedFunction>();
        var messages = new List<string>();
        while (messages.Count < reports.Count)
        {
            var received = (await host.WorkQueue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(5), ct)).Value;
            Assert.NotEmpty(received);
            messages.AddRange(received.Select(m => m.MessageText));
        }

        var deliveries = messages.SelectMany(text => new[] { text, text }).ToList();
        var failed = await Task.WhenAll(deliveries.Select(text => Task.Run(
            async () =>
            {
                try
                {
                    await function.RunAsync(text, ct);
                    return null;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    return text; // a race lost in storage: the queue redelivers it, as below
                }
            },
            ct)));
        foreach (var text in failed.OfType<string>()) await function.RunAsync(text, ct);

        var units = new List<LedgerUnit>();
        foreach (var fileId in fileIds)
        {
            Assert.Equal(FileState.Completed, (await host.Ledger.FindFileAsync(fileId, ct))!.State);
            units.AddRange(await host.Ledger.ListUnitsAsync(fileId, ct));
        }

        Assert.All(units, u => Assert.Equal(UnitState.Completed, u.State));
        Assert.Equal(reports.Count, proxy.ForwardedOf("POST")); // one transaction a report, none from the second deliveries
        var problems = new List<string>();
        foreach (var unit in units)
        {
            foreach (var reference in unit.ResourceReferences)
            {
                var version = (await GetAsync(host, reference, ct))["meta"]!["versionId"]!.GetValue<string>();
                if (version != "1") problems.Add($"{unit.Accession}: {reference} at version {version}");
            }

            var found = await GetAsync(host, "DiagnosticReport?identifier=" + Uri.EscapeDataString(unit.Accession!), ct);
            var ids = (found["entry"] as JsonArray ?? []).Select(e => "DiagnosticReport/" + e!["resource"]!["id"]!.GetValue<string>()).ToList();
            if (ids.Count != 1 || ids[0] != unit.ReportReference) problems.Add($"{unit.Accession}: {ids.Count} DiagnosticReport(s)");
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        Assert.Equal(reports.Select(r => r.Accession).Order(), units.Select(u => u.Accession!).Order());
        TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{deliveries.Count} deliveries of {messages.Count} work items, {failed.Count(f => f is not null)} redelivered; FHIR requests {proxy.Forwarded} ({proxy.ForwardedOf("POST")} transactions); " +
            $"{units.Sum(u => u.ResourceReferences.Count)} resources, all at version 1"));

        var notices = new List<GenomicResultAvailable>();
        while ((await host.NotificationQueue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(5), ct)).Value is { Length: > 0 } received)
            notices.AddRange(received.Select(m => GenomicResultAvailable.FromJson(m.Body.ToString())!));
        Assert.Equal(reports.Select(r => r.Accession).Order(), notices.Select(n => n.Accession).Order());
    }

    /// <summary>
    /// A cancellation (OBR-25 X, no results) of a final report already in the FHIR service: the report is cancelled,
    /// its order revoked, every result it had written entered-in-error, and EMRs are told.
    /// </summary>
    [Fact]
    public async Task CancelledOru_AfterTheFinalReport_ReportCancelledAndEveryResultWithdrawn()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = new PipelineHost(stack.Stack);
        // A lab of its own: the correction test writes the same accession for LabId.
        const string lab = "lab-hl7-cancel";
        var original = await IngestAsync(host, "hl7v2/authored/germline_from_cgexample.hl7", ct, lab);
        var cancelled = await IngestAsync(host, "hl7v2/authored/cancelled_germline.hl7", ct, lab);

        Assert.Equal(original.ReportReference, cancelled.ReportReference);
        var observations = original.ResourceReferences.Where(r => r.StartsWith("Observation/", StringComparison.Ordinal)).Order().ToList();
        Assert.NotEmpty(observations);
        Assert.Equal(observations, cancelled.WithdrawnReferences.Where(r => r.StartsWith("Observation/", StringComparison.Ordinal)).Order());
        var errors = new List<string>();
        foreach (var reference in cancelled.WithdrawnReferences)
        {
            var resource = await GetAsync(host, reference, ct);
            Assert.Equal("entered-in-error", resource["status"]!.GetValue<string>());
            errors.AddRange(FhirProfileValidator.Shared.Validate(resource.ToJsonString()).Errors.Select(e => $"{reference}: {e}"));
        }

        var report = await GetAsync(host, cancelled.ReportReference!, ct);
        Assert.Equal("cancelled", report["status"]!.GetValue<string>());
        Assert.Null(report["result"]);
        errors.AddRange(FhirProfileValidator.Shared.Validate(report.ToJsonString()).Errors.Select(e => $"{cancelled.ReportReference}: {e}"));
        var order = await GetAsync(host, cancelled.ResourceReferences.Single(r => r.StartsWith("ServiceRequest/", StringComparison.Ordinal)), ct);
        Assert.Equal("revoked", order["status"]!.GetValue<string>());
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));

        var notices = (await host.NotificationQueue.ReceiveMessagesAsync(maxMessages: 32, cancellationToken: ct)).Value
            .Select(m => GenomicResultAvailable.FromJson(m.Body.ToString())!).ToList();
        Assert.Equal(["cancelled", "final"], notices.Select(n => n.Status).Order(StringComparer.Ordinal));
        Assert.Equal(cancelled.WithdrawnReferences, notices.Single(n => n.Status == "cancelled").Withdrawn);
        Assert.Empty(await host.Services.GetRequiredService<IGenomicIndex>().ReadSubjectAsync(notices[0].PatientReference!, ct));
    }

    /// <summary>
    /// A document over Pipeline:MaxInlineDocumentBytes is kept in Azurite's documents container, and the
    /// DocumentReference (still valid against its profile) and the report's presentedForm reference it.
    /// </summary>
    [Fact]
    public async Task OruWithADocumentOverTheInlineLimit_DocumentStoredInBlobAndReferenced()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = new PipelineHost(stack.Stack, new Dictionary<string, string?> { ["Pipeline:MaxInlineDocumentBytes"] = "16" });
        const string lab = "lab-hl7-documents";
        var unit = await IngestAsync(host, "hl7v2/authored/germline_from_cgexample.hl7", ct, lab);

        // The lab's document, beside the DocumentReference every report has to its original file.
        var original = "DocumentReference/" + Core.Fhir.DeterministicIds.ForReportResource(lab, unit.Accession!, "DocumentReference", "source-file");
        var reference = unit.ResourceReferences.Single(r => r.StartsWith("DocumentReference/", StringComparison.Ordinal) && r != original);
        var document = await GetAsync(host, reference, ct);
        var url = document["content"]![0]!["attachment"]!["url"]!.GetValue<string>();
        Assert.Null(document["content"]![0]!["attachment"]!["data"]);
        Assert.Empty(FhirProfileValidator.Shared.Validate(document.ToJsonString()).Errors);
        var report = await GetAsync(host, unit.ReportReference!, ct);
        Assert.Equal(url, report["presentedForm"]![0]!["url"]!.GetValue<string>());

        var path = Uri.UnescapeDataString(url["urn:precisionmed:blob:documents/".Length..]);
        Assert.Equal($"{lab}/{reference["DocumentReference/".Length..]}.txt", path);
        var stored = await host.ReadBlobAsync(LabFileAreas.Documents, path, ct);
        Assert.Equal(document["content"]![0]!["attachment"]!["size"]!.GetValue<long>(), stored.Length);
    }

    private static async Task<LedgerUnit> IngestAsync(PipelineHost host, string relativePath, CancellationToken ct, string labId = LabId)
    {
        var content = await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "TestData", relativePath), ct);
        var name = "corrections/" + Path.GetFileName(relativePath);
        await host.UploadAsync(labId, name, content, ct);
        await host.ArriveAsync(labId, name, ct);
        await host.DrainWorkQueueAsync(ct);
        var fileId = LabFileIds.For(labId, Convert.ToHexStringLower(SHA256.HashData(content)));
        var unit = Assert.Single(await host.Ledger.ListUnitsAsync(fileId, ct));
        Assert.Equal(UnitState.Completed, unit.State);
        return unit;
    }

    private static async Task<JsonObject> GetAsync(PipelineHost host, string reference, CancellationToken ct)
    {
        using var response = await host.Fhir.GetAsync(reference, ct);
        Assert.True(response.IsSuccessStatusCode, $"GET {reference}: HTTP {(int)response.StatusCode}");
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!.AsObject();
    }
}
