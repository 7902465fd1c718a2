using System.Globalization;
using System.Text.Json.Nodes;
using PrecisionMed.Core.Fhir;
using PrecisionMed.Core.Genomics.Index;
using PrecisionMed.Core.Knowledge.Diff;
using PrecisionMed.Core.Knowledge.Enrichment;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Pipeline.Reinterpretation;

/// <summary>
/// A new version of one of our diagnostic implications for a knowledge change, and the Provenance of the change.
/// The same resource (same id) with status <c>amended</c>, the new significance and evidence level, its conclusion naming
/// the new knowledge version, and a note naming the previous value, its date and both knowledge versions; a withdrawn
/// classification sets <c>entered-in-error</c> with the reason. The diff's id is tagged on the resource, so a second
/// delivery of the same work sees it done. A lab's implication (its conclusion names no knowledge version) is never amended.
/// </summary>
public static class ImplicationAmendment
{
    public const string TagSystem = "urn:precisionmed:reinterpretation";
    public const string DiffSystem = "urn:precisionmed:knowledge-diff";

    /// <summary>The amended Observation and its Provenance; null when it is not ours or already carries this diff.</summary>
    public static (JsonObject Observation, JsonObject Provenance)? Amend(
        JsonObject current, KnowledgeChange change, KnowledgeDiff diff, DateTimeOffset now, string pipelineVersion)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(diff);
        if (IsDone(current, diff.Id)) return null;
        var conclusion = FhirFindings.String(current, "conclusion-string");
        var (oldVersion, variation) = KnowledgeConclusion.Parse(conclusion);
        if (oldVersion is null || (variation is not null && variation != change.Key)) return null;

        var observation = (JsonObject)current.DeepClone();
        var reference = $"Observation/{(string?)observation["id"]}";
        var previousVersion = (string?)observation["meta"]?["versionId"];
        var day = now.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        string note;
        if (change.Kind == ChangeKind.Removed)
        {
            observation["status"] = "entered-in-error";
            note = $"Withdrawn {day}: ClinVar no longer lists variation {change.Key} (it was '{change.OldValue}', {change.OldDate ?? "undated"}, knowledge version "
                + $"{oldVersion}; removed in the release of {change.NewDate ?? "unknown date"}, knowledge version {diff.ToVersion}; knowledge diff {diff.Id}, impact {Impact(change)}).";
        }
        else
        {
            observation["status"] = "amended";
            SetComponent(observation, "53037-8", KnowledgeCodes.ClinicalSignificance(change.NewValue!));
            if (change.NewReviewStatus is { } review) SetComponent(observation, "93044-6", KnowledgeCodes.EvidenceLevel("ClinVar", review));
            SetConclusion(observation, $"ClinVar: {change.NewValue}{(change.NewDate is { } date ? $", as of {date}" : string.Empty)} (variation {change.Key}; PrecisionMed knowledge store version {diff.ToVersion}).");
            note = $"Reinterpreted {day}: ClinVar's classification of variation {change.Key} changed from '{change.OldValue}' ({change.OldDate ?? "undated"}, knowledge version {oldVersion}) "
                + $"to '{change.NewValue}' ({change.NewDate ?? "undated"}, knowledge version {diff.ToVersion}); knowledge diff {diff.Id}, impact {Impact(change)}.";
        }

        var notes = observation["note"] as JsonArray ?? [];
        notes.Add(new JsonObject { ["text"] = note });
        observation["note"] = notes;
        Tag(observation, diff.Id);
        if (observation["meta"] is JsonObject meta)
        {
            meta.Remove("versionId");
            meta.Remove("lastUpdated");
        }

        var provenance = Provenance(
            reference, previousVersion, change.Kind == ChangeKind.Removed,
            change.Kind == ChangeKind.Removed
                ? $"ClinVar withdrew variation {change.Key} (impact {Impact(change)})"
                : $"ClinVar reclassified variation {change.Key}: {change.OldValue} -> {change.NewValue} (impact {Impact(change)})",
            diff, oldVersion, now, pipelineVersion);
        return (observation, provenance);
    }

    /// <summary>Whether the resource already carries this diff's amendment.</summary>
    public static bool IsDone(JsonObject resource, string diffId) =>
        (resource["meta"]?["tag"] as JsonArray ?? []).Any(t => (string?)t?["system"] == TagSystem && (string?)t?["code"] == diffId);

    public static string ProvenanceId(string diffId, string implication) => DeterministicIds.Create("Provenance", "reinterpretation", diffId, implication);

    internal static string Impact(KnowledgeChange change) => change.Impact.ToString().ToLowerInvariant();

    /// <summary>
    /// The Provenance of one resource's new version: the resource and its previous version, both knowledge versions and
    /// the diff as entities, the reason; activity UPDATE, or NULLIFY for a withdrawal.
    /// </summary>
    internal static JsonObject Provenance(
        string target, string? previousVersion, bool nullify, string reason, KnowledgeDiff diff, string oldVersion, DateTimeOffset now, string pipelineVersion)
    {
        JsonObject Entity(string role, string? reference, string? system, string? value, string display)
        {
            var what = new JsonObject();
            if (reference is not null) what["reference"] = reference;
            if (system is not null) what["identifier"] = new JsonObject { ["system"] = system, ["value"] = value };
            what["display"] = display;
            return new JsonObject { ["role"] = role, ["what"] = what };
        }

        var entities = new JsonArray();
        if (previousVersion is not null) entities.Add(Entity("revision", $"{target}/_history/{previousVersion}", null, null, target.StartsWith("Task/", StringComparison.Ordinal) ? "the recommendation as it was" : "the implication as it was"));
        entities.Add(Entity("derivation", null, "urn:precisionmed:knowledge-version", oldVersion, "knowledge store version the implication was derived with"));
        entities.Add(Entity("derivation", null, "urn:precisionmed:knowledge-version", diff.ToVersion, "knowledge store version it was reinterpreted with"));
        entities.Add(Entity("derivation", null, DiffSystem, diff.Id, $"knowledge diff {diff.Id}"));
        return new JsonObject
        {
            ["resourceType"] = "Provenance",
            ["id"] = ProvenanceId(diff.Id, target),
            ["target"] = new JsonArray(new JsonObject { ["reference"] = target }),
            ["recorded"] = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["activity"] = new JsonObject
            {
                ["coding"] = new JsonArray(new JsonObject
                {
                    ["system"] = "http://terminology.hl7.org/CodeSystem/v3-DataOperation",
                    ["code"] = nullify ? "NULLIFY" : "UPDATE",
                    ["display"] = nullify ? "nullify" : "revise",
                }),
            },
            ["reason"] = new JsonArray(new JsonObject { ["text"] = reason }),
            ["agent"] = new JsonArray(new JsonObject
            {
                ["type"] = new JsonObject
                {
                    ["coding"] = new JsonArray(new JsonObject
                    {
                        ["system"] = "http://terminology.hl7.org/CodeSystem/provenance-participant-type",
                        ["code"] = "assembler",
                        ["display"] = "Assembler",
                    }),
                },
                ["who"] = new JsonObject { ["display"] = $"PrecisionMed Serverless {pipelineVersion}" },
            }),
            ["entity"] = entities,
        };
    }

    internal static void Tag(JsonObject resource, string diffId)
    {
        if (resource["meta"] is not JsonObject meta) resource["meta"] = meta = [];
        if (meta["tag"] is not JsonArray tags) meta["tag"] = tags = [];
        tags.Add(new JsonObject { ["system"] = TagSystem, ["code"] = diffId, ["display"] = "reinterpreted by knowledge diff" });
    }

    private static void SetComponent(JsonObject observation, string code, CodedValue value)
    {
        var concept = new JsonObject();
        if (value.Codings.Count > 0)
        {
            concept["coding"] = new JsonArray([.. value.Codings.Select(Coding)]);
        }

        if (value.Text is { } text) concept["text"] = text;
        foreach (var component in FhirFindings.Components(observation, code)) component["valueCodeableConcept"] = concept.DeepClone();
    }

    private static JsonNode Coding(Coding coding)
    {
        var node = new JsonObject();
        if (coding.System is not null) node["system"] = coding.System;
        if (coding.Code is not null) node["code"] = coding.Code;
        if (coding.Display is not null) node["display"] = coding.Display;
        return node;
    }

    private static void SetConclusion(JsonObject observation, string text)
    {
        foreach (var component in FhirFindings.Components(observation, "conclusion-string")) component["valueString"] = text;
    }
}
