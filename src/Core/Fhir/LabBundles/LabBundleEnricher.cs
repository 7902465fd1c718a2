using System.Text.Json;
using System.Text.Json.Nodes;
using PrecisionMed.Core.Fhir.Genomics;
using PrecisionMed.Core.Knowledge.Enrichment;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Fhir.LabBundles;

/// <summary>
/// Adds the knowledge store's implications to a lab's own FHIR report, as HL7 v2 and VCF reports get them: the lab's
/// Variant and Genotype Observations are looked up by the <see cref="ReportEnricher"/>, and each interpretation becomes
/// a Diagnostic or Therapeutic implication of our own (a deterministic id from the lab, the accession and the lab
/// resource it derives from; the store's version in its conclusion), derived from the lab's resource. The lab's
/// resources are never changed and its DiagnosticReport's results are left as the lab sent them; the new resources join
/// the transaction's owned resources and its Provenance's targets, with the store's version as the Provenance's
/// derivation entity. A store recommendation comes with its MedicationRecommendation Task, as in HL7 v2 reports (not
/// linked from the lab's report, which stays the lab's).
/// </summary>
public sealed class LabBundleEnricher(ReportEnricher enricher)
{
    /// <summary>The transaction with the store's implications added; the same transaction when the store adds none.</summary>
    public async Task<TransactionDraft> EnrichAsync(TransactionDraft transaction, string labId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        var entries = transaction.Bundles.SelectMany(b => b["entry"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var observations = entries
            .Where(e => Text(e["request"]?["method"]) == "PUT")
            .Select(e => e["resource"] as JsonObject)
            .OfType<JsonObject>()
            .Where(r => Text(r["resourceType"]) == "Observation")
            .ToList();
        var labReport = LabBundleFindings.Read(transaction.Accession, observations);
        if (labReport.Variants.Count == 0 && labReport.Genotypes.Count == 0) return transaction;

        var enriched = await enricher.EnrichAsync(labReport, labId, cancellationToken);
        var ours = new List<JsonObject>();
        var skipped = new List<(string Path, string Field, string Reason)>();
        var byReference = observations.ToDictionary(o => "Observation/" + Text(o["id"]), StringComparer.Ordinal);
        foreach (var finding in enriched.DiagnosticImplications.Except(labReport.DiagnosticImplications))
            Add(finding.Key, finding.DerivedFromKeys, "DiagnosticImplication", finding, null);
        foreach (var finding in enriched.TherapeuticImplications.Except(labReport.TherapeuticImplications))
            Add(finding.Key, finding.DerivedFromKeys, "TherapeuticImplication", null, finding);

        var problems = skipped.Select(s => new LabFileProblem(new SourcePosition { Path = s.Path, Field = s.Field }, s.Reason));
        if (ours.Count == 0) return transaction with { Skipped = [.. transaction.Skipped, .. enriched.Skipped, .. problems] };

        var references = ours.Select(Reference).ToList();
        return transaction with
        {
            Bundles = Rebundle(entries, ours, references, enriched.KnowledgeVersion),
            OwnedReferences = [.. transaction.OwnedReferences, .. references],
            KnowledgeVersion = enriched.KnowledgeVersion,
            Skipped = [.. transaction.Skipped, .. enriched.Skipped, .. problems],
        };

        void Add(string key, IReadOnlyList<string> derivedFrom, string kind, DiagnosticImplicationFinding? diagnostic, TherapeuticImplicationFinding? therapeutic)
        {
            var sources = derivedFrom.Where(byReference.ContainsKey).ToList();
            if (sources.Count == 0 || byReference[sources[0]]["subject"] is not JsonObject subject) return;
            var id = DeterministicIds.ForReportResource(labId, transaction.Accession, kind, "knowledge:" + key);
            ours.Add(GenomicReportBuilder.StoreImplication(id, subject.DeepClone(), sources, diagnostic, therapeutic, skipped));
            if (therapeutic is not null && GenomicReportBuilder.StoreRecommendation(
                    DeterministicIds.ForReportResource(labId, transaction.Accession, "MedicationRecommendation", "knowledge:" + key),
                    subject.DeepClone(), $"Observation/{id}", therapeutic) is { } task)
            {
                ours.Add(task);
            }
        }
    }

    /// <summary>
    /// The transaction's entries again, ours after the lab's results and before its DiagnosticReport and Provenance (so
    /// what they derive from is written first), rechunked to the bundle size; the Provenance names ours as targets.
    /// </summary>
    private static List<JsonObject> Rebundle(List<JsonObject> entries, List<JsonObject> ours, List<string> references, string? version)
    {
        var patients = entries.Where(e => Text(e["request"]?["method"]) != "PUT").Select(e => e.DeepClone().AsObject())
            .DistinctBy(e => Text(e["fullUrl"]) ?? e.ToJsonString()).ToList();
        var puts = entries.Where(e => Text(e["request"]?["method"]) == "PUT").Select(e => e.DeepClone().AsObject()).ToList();
        var at = puts.FindIndex(e => Text(e["resource"]?["resourceType"]) is "DiagnosticReport" or "Provenance");
        puts.InsertRange(at < 0 ? puts.Count : at, ours.Select(o => ReportTransactionBuilder.Entry(o, "PUT", Reference(o))));

        if (puts.Select(e => e["resource"]).OfType<JsonObject>().FirstOrDefault(r => Text(r["resourceType"]) == "Provenance") is { } provenance)
        {
            if (provenance["target"] is not JsonArray targets) provenance["target"] = targets = [];
            foreach (var reference in references) targets.Add(new JsonObject { ["reference"] = reference });
            if (version is not null)
            {
                if (provenance["entity"] is not JsonArray entities) provenance["entity"] = entities = [];
                entities.Add(new JsonObject
                {
                    ["role"] = "derivation",
                    ["what"] = new JsonObject
                    {
                        ["identifier"] = new JsonObject { ["system"] = ProvenanceResource.KnowledgeVersionSystem, ["value"] = version },
                        ["display"] = "PrecisionMed clinical-genomic knowledge store version",
                    },
                });
            }
        }

        return ReportTransactionBuilder.Chunk(patients, puts, ReportTransactionBuilder.MaxEntriesPerBundle);
    }

    private static string Reference(JsonObject resource) => $"{Text(resource["resourceType"])}/{Text(resource["id"])}";

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
}
