using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using PrecisionMed.Core.Genomics.Index;
using PrecisionMed.Core.Knowledge.Diff;
using PrecisionMed.Core.Knowledge.Enrichment;
using PrecisionMed.Core.Pipeline.Notifications;

namespace PrecisionMed.Core.Pipeline.Reinterpretation;

/// <summary>
/// Reinterprets one report for one diff: its store implications of a changed or removed classification or guideline
/// recommendation (found in the report's index entry, never by searching FHIR) are read, amended
/// (<see cref="ImplicationAmendment"/>, <see cref="RecommendationAmendment"/>, a therapeutic implication with its
/// MedicationRecommendation Task, found through the report's recommended-action references) and written
/// with their Provenance in one transaction, each on the version it read (If-Match: a concurrent delivery's write makes
/// this one fail and retry, and the retry finds the work done); the index entry is updated, then the EMR is told.
/// At-least-once delivery, exactly-once effect: an implication already carrying the diff is not written again, and the
/// notice's id is deterministic, so a repeat is dropped by the topic's duplicate detection.
/// </summary>
public sealed class ReportReinterpreter(
    IFhirWriter fhir,
    IGenomicIndex index,
    IResultNotifier notifier,
    KnowledgeDiffReader diffs,
    IOptions<ReinterpretationOptions> options,
    IOptions<PipelineOptions> pipeline,
    TimeProvider clock)
{
    /// <exception cref="FhirTransientException">The FHIR service stayed unavailable: the delivery is retried.</exception>
    public async Task<ReinterpretationOutcome> ReinterpretAsync(ReinterpretationWorkItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        var diff = await diffs.ReadAsync(item.DiffId, cancellationToken)
            ?? throw new InvalidOperationException($"Knowledge diff {item.DiffId} is not in the knowledge store.");
        var changes = diff.Changes
            .Where(c => c.Subject == KnowledgeChange.Classification && c.Kind is ChangeKind.Changed or ChangeKind.Removed)
            .ToDictionary(c => c.Key, StringComparer.Ordinal);
        var recommendations = diff.Changes
            .Where(c => c.Subject == KnowledgeChange.Recommendation && c.Kind is ChangeKind.Changed or ChangeKind.Removed && c.DrugId is not null)
            .ToList();
        var entry = (await index.ReadSubjectAsync(item.Patient, cancellationToken)).FirstOrDefault(r => r.Report == item.Report);
        if (entry is null) return ReinterpretationOutcome.Nothing;

        var now = clock.GetUtcNow();
        var version = pipeline.Value.PipelineVersion;
        var fhirRequests = 0;
        var transaction = new JsonArray();
        var touched = new List<(IndexedImplication Implication, KnowledgeChange Change, bool Written)>();
        var tasksAmended = 0;
        var tasks = new ReportTasks(fhir, item.Report);
        foreach (var implication in entry.Implications)
        {
            if (implication.KnowledgeVersion is null) continue;
            if (implication.Profile == "diagnostic-implication")
            {
                if (implication.Variation is not { } variation || !changes.TryGetValue(variation, out var change)) continue;
                fhirRequests++;
                var current = await fhir.ReadAsync(implication.Observation, cancellationToken);
                if (current is null) continue;
                if (ImplicationAmendment.IsDone(current, diff.Id))
                {
                    touched.Add((implication, change, false));
                    continue;
                }

                if (ImplicationAmendment.Amend(current, change, diff, now, version) is not { } amended) continue;
                transaction.Add(Put(implication.Observation, amended.Observation, (string?)current["meta"]?["versionId"]));
                transaction.Add(Put($"Provenance/{(string?)amended.Provenance["id"]}", amended.Provenance, null));
                touched.Add((implication, change, true));
            }
            else if (implication.Profile == "therapeutic-implication")
            {
                var candidates = recommendations.Where(c => RecommendationMatch.MayBear(implication, c)).ToList();
                if (candidates.Count == 0) continue;
                fhirRequests++;
                var current = await fhir.ReadAsync(implication.Observation, cancellationToken);
                if (current is null) continue;
                var conclusion = FhirFindings.String(current, "conclusion-string");
                var done = ImplicationAmendment.IsDone(current, diff.Id);
                var change = candidates.FirstOrDefault(c => RecommendationMatch.Bears(conclusion, c, amended: done && c.Kind == ChangeKind.Changed)
                    || (done && c.Kind == ChangeKind.Removed && (string?)current["status"] == "entered-in-error"));
                if (change is null) continue;
                if (!done)
                {
                    if (RecommendationAmendment.AmendImplication(current, change, diff, now, version) is not { } amended) continue;
                    transaction.Add(Put(implication.Observation, amended.Observation, (string?)current["meta"]?["versionId"]));
                    transaction.Add(Put($"Provenance/{(string?)amended.Provenance["id"]}", amended.Provenance, null));
                }

                touched.Add((implication, change, !done));

                // Its MedicationRecommendation Task, when enrichment (or an earlier reinterpretation) wrote one: amended in the
                // same transaction. When there is none and the recommendation now changes prescribing, one is made.
                var task = await tasks.OfAsync(implication.Observation, cancellationToken);
                if (task is null)
                {
                    fhirRequests++;
                    task = await fhir.ReadAsync($"Task/{RecommendationAmendment.CreatedTaskId(implication.Observation)}", cancellationToken);
                }

                if (task is not null && RecommendationAmendment.AmendTask(task, change, diff, implication.KnowledgeVersion, now, version) is { } revised)
                {
                    var reference = $"Task/{(string?)task["id"]}";
                    transaction.Add(Put(reference, revised.Task, (string?)task["meta"]?["versionId"]));
                    transaction.Add(Put($"Provenance/{(string?)revised.Provenance["id"]}", revised.Provenance, null));
                    tasksAmended++;
                }
                else if (task is null && !done && RecommendationAmendment.NewTask(current, change, diff, implication.KnowledgeVersion, now, version) is { } created)
                {
                    transaction.Add(Put($"Task/{(string?)created.Task["id"]}", created.Task, null));
                    transaction.Add(Put($"Provenance/{(string?)created.Provenance["id"]}", created.Provenance, null));
                    tasksAmended++;
                }
            }
        }

        fhirRequests += tasks.Requests;
        if (transaction.Count > 0)
        {
            fhirRequests++;
            try
            {
                await fhir.WriteTransactionAsync(new JsonObject { ["resourceType"] = "Bundle", ["type"] = "transaction", ["entry"] = transaction }, cancellationToken);
            }
            catch (FhirRejectedException ex) when (ex.StatusCode == 412)
            {
                // An implication changed since it was read: another delivery's write, or this one's own whose answer was
                // lost and which the writer sent again. The next delivery reads it again and finds what is done.
                throw new FhirTransientException("An implication changed since it was read (HTTP 412): the reinterpretation is tried again.", ex, 412);
            }
        }

        if (touched.Count > 0) await index.WriteAsync(Updated(entry, touched, diff.ToVersion), cancellationToken);

        int notified = 0, recorded = 0;
        foreach (var (implication, change, _) in touched)
        {
            if (change.Impact < options.Value.NotifyAtLeast)
            {
                recorded++;
                continue;
            }

            await notifier.PublishAsync(
                new GenomicResultReinterpreted(
                    GenomicResultReinterpreted.MessageIdFor(diff.Id, implication.Observation),
                    item.Patient,
                    item.Report,
                    implication.Observation,
                    change.Kind == ChangeKind.Removed ? "entered-in-error" : "amended",
                    change.OldValue,
                    change.NewValue,
                    change.Impact,
                    diff.Id,
                    implication.KnowledgeVersion,
                    diff.ToVersion,
                    item.CorrelationId,
                    now),
                cancellationToken);
            notified++;
        }

        return new ReinterpretationOutcome(touched.Count(t => t.Written), touched.Count(t => !t.Written), notified, recorded, fhirRequests, tasksAmended);
    }

    private static JsonObject Put(string reference, JsonObject resource, string? ifMatch)
    {
        var request = new JsonObject { ["method"] = "PUT", ["url"] = reference };
        if (ifMatch is not null) request["ifMatch"] = $"W/\"{ifMatch}\"";
        return new JsonObject { ["fullUrl"] = reference, ["resource"] = resource, ["request"] = request };
    }

    /// <summary>The report's index entry with the amended implications' new significance and version; a withdrawn one leaves it.</summary>
    private static IndexedReport Updated(IndexedReport entry, List<(IndexedImplication Implication, KnowledgeChange Change, bool Written)> touched, string version)
    {
        var byObservation = touched.ToDictionary(t => t.Implication.Observation, t => t.Change, StringComparer.Ordinal);
        var implications = new List<IndexedImplication>();
        foreach (var implication in entry.Implications)
        {
            if (!byObservation.TryGetValue(implication.Observation, out var change))
            {
                implications.Add(implication);
                continue;
            }

            if (change.Kind == ChangeKind.Removed) continue;
            if (change.Subject == KnowledgeChange.Recommendation)
            {
                var level = change.NewReviewStatus is { Length: > 0 } s && !s.Equals("N/A", StringComparison.OrdinalIgnoreCase) ? $"{RecommendationMatch.Source(change)} {s}" : null;
                implications.Add(implication with { KnowledgeVersion = version, Evidence = level });
                continue;
            }

            var significance = KnowledgeCodes.ClinicalSignificance(change.NewValue!).Codings.Select(c => c.Code).FirstOrDefault();
            implications.Add(implication with { Significance = significance, KnowledgeVersion = version });
        }

        return entry with { Implications = implications };
    }
}
