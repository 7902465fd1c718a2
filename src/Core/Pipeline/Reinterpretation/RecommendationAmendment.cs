using System.Globalization;
using System.Text.Json.Nodes;
using PrecisionMed.Core.Fhir;
using PrecisionMed.Core.Fhir.Genomics;
using PrecisionMed.Core.Genomics.Index;
using PrecisionMed.Core.Knowledge.Diff;
using PrecisionMed.Core.Knowledge.Enrichment;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Pipeline.Reinterpretation;

/// <summary>
/// New versions of one of our TherapeuticImplications and its MedicationRecommendation Task for a changed (or withdrawn)
/// CPIC/DPWG recommendation, each with a Provenance. The implication keeps its id: status <c>amended</c>, its conclusion
/// with the new text, classification and knowledge version, its evidence level the new classification, and a note naming
/// the previous text, its classification, the guideline versions and both knowledge versions; a withdrawn recommendation
/// sets <c>entered-in-error</c>. The Task (built by src/Core/Fhir/Genomics/GenomicReportBuilder.Implications.cs from
/// <see cref="KnowledgeCodes.Suggestion"/>) gets the new suggestion's code and the new text as description, or is
/// <c>cancelled</c> when the recommendation no longer changes prescribing or is withdrawn (then without the profile, which
/// fixes status to <c>requested</c>). Both carry the diff's tag, so a
/// second delivery sees them done. Never a lab's: an implication whose conclusion names no knowledge version is left.
/// </summary>
public static class RecommendationAmendment
{
    /// <summary>The amended implication and its Provenance; null when it is not ours, already carries this diff, or is not the change's.</summary>
    public static (JsonObject Observation, JsonObject Provenance)? AmendImplication(
        JsonObject current, KnowledgeChange change, KnowledgeDiff diff, DateTimeOffset now, string pipelineVersion)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(diff);
        if (ImplicationAmendment.IsDone(current, diff.Id)) return null;
        var conclusion = FhirFindings.String(current, GenomicsConclusion);
        var (oldVersion, _) = KnowledgeConclusion.Parse(conclusion);
        if (oldVersion is null || !RecommendationMatch.Bears(conclusion, change)) return null;

        var observation = Revision(current);
        var reference = $"Observation/{(string?)observation["id"]}";
        var source = RecommendationMatch.Source(change);
        var removed = change.Kind == ChangeKind.Removed;
        string note;
        if (removed)
        {
            observation["status"] = "entered-in-error";
            note = $"Withdrawn {Day(now)}: {source} no longer gives this recommendation for {change.Drug} ({Lookup(change)}); it was '{change.OldValue}' "
                + $"({Strength(change.OldReviewStatus)}, guideline version {change.OldDate ?? "unstated"}, knowledge version {oldVersion}); "
                + $"withdrawn in knowledge version {diff.ToVersion}; knowledge diff {diff.Id}, impact {ImplicationAmendment.Impact(change)}.";
        }
        else
        {
            observation["status"] = "amended";
            SetConclusion(observation, NewConclusion(conclusion!, change, oldVersion, diff.ToVersion));
            SetEvidence(observation, source, change.NewReviewStatus);
            note = $"Reinterpreted {Day(now)}: {source}'s recommendation for {change.Drug} ({Lookup(change)}) changed from '{change.OldValue}' "
                + $"({Strength(change.OldReviewStatus)}, guideline version {change.OldDate ?? "unstated"}, knowledge version {oldVersion}) to '{change.NewValue}' "
                + $"({Strength(change.NewReviewStatus)}, guideline version {change.NewDate ?? "unstated"}, knowledge version {diff.ToVersion}); "
                + $"knowledge diff {diff.Id}, impact {ImplicationAmendment.Impact(change)}.";
        }

        Note(observation, note);
        ImplicationAmendment.Tag(observation, diff.Id);
        var reason = removed
            ? $"{source} withdrew its recommendation for {change.Drug} ({Lookup(change)}) (impact {ImplicationAmendment.Impact(change)})"
            : $"{source} revised its recommendation for {change.Drug} ({Lookup(change)}) (impact {ImplicationAmendment.Impact(change)})";
        var provenance = ImplicationAmendment.Provenance(reference, (string?)current["meta"]?["versionId"], removed, reason, diff, oldVersion, now, pipelineVersion);
        return (observation, provenance);
    }

    /// <summary>
    /// The amended MedicationRecommendation Task of an amended implication (<paramref name="oldVersion"/>: the knowledge
    /// version the implication was derived with) and its Provenance; null when it already carries this diff.
    /// </summary>
    public static (JsonObject Task, JsonObject Provenance)? AmendTask(
        JsonObject current, KnowledgeChange change, KnowledgeDiff diff, string oldVersion, DateTimeOffset now, string pipelineVersion)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(diff);
        if (ImplicationAmendment.IsDone(current, diff.Id)) return null;
        var task = Revision(current);
        var reference = $"Task/{(string?)task["id"]}";
        var source = RecommendationMatch.Source(change);

        // Flags not recorded (a diff stored before they were): the suggestion's code stays, its wording follows the text.
        var suggestion = change.Kind == ChangeKind.Removed ? null
            : change.NewPrescribing is { } flags ? KnowledgeCodes.Suggestion(flags, change.NewValue ?? string.Empty)
            : new CodedValue([], change.NewValue);
        string note;
        if (suggestion is null)
        {
            task["status"] = "cancelled";
            var why = change.Kind == ChangeKind.Removed
                ? $"{source} withdrew the recommendation it was made from"
                : $"{source}'s revised recommendation no longer changes prescribing";
            task["statusReason"] = new JsonObject { ["text"] = why };

            // The IG's MedicationRecommendation profile fixes status to requested: a withdrawn recommendation is a plain
            // cancelled Task, no longer claiming the profile (its note says why).
            SetProfile(task, present: false);
            note = $"Cancelled {Day(now)}: {why} (was '{change.OldValue}'; knowledge version {oldVersion}, now {diff.ToVersion}; knowledge diff {diff.Id}); "
                + "no longer a MedicationRecommendation.";
        }
        else
        {
            var code = task["code"] as JsonObject ?? [];
            if (suggestion.Codings.Count > 0) code["coding"] = new JsonArray([.. suggestion.Codings.Select(CodingNode)]);
            code["text"] = suggestion.Text;
            task["code"] = code;
            task["description"] = suggestion.Text;
            task["status"] = "requested"; // a recommendation cancelled by an earlier change and given again
            task.Remove("statusReason");
            SetProfile(task, present: true);
            note = $"Revised {Day(now)}: {source}'s recommendation changed from '{change.OldValue}' ({Strength(change.OldReviewStatus)}, knowledge version {oldVersion}) "
                + $"to '{change.NewValue}' ({Strength(change.NewReviewStatus)}, knowledge version {diff.ToVersion}); knowledge diff {diff.Id}.";
        }

        Note(task, note);
        ImplicationAmendment.Tag(task, diff.Id);
        var provenance = ImplicationAmendment.Provenance(
            reference, (string?)current["meta"]?["versionId"], suggestion is null,
            suggestion is null ? $"{source} recommendation for {change.Drug} withdrawn or no longer changing prescribing" : $"{source} recommendation for {change.Drug} revised",
            diff, oldVersion, now, pipelineVersion);
        return (task, provenance);
    }

    /// <summary>
    /// The id of the MedicationRecommendation Task a reinterpretation makes for <paramref name="implication"/>
    /// (<c>Observation/id</c>) when its recommendation comes to change prescribing and enrichment had written none: one
    /// per implication, so a later change amends it (it is read by this id: the report, which is not rewritten, does not
    /// name it among its recommended actions).
    /// </summary>
    public static string CreatedTaskId(string implication) => DeterministicIds.Create("Task", "reinterpretation", implication);

    /// <summary>
    /// A new MedicationRecommendation Task, as enrichment would have written it, for an implication whose revised
    /// recommendation now changes prescribing where the old one did not (so no Task was made), and its Provenance
    /// (activity create); null when the change is a withdrawal or the new recommendation changes nothing either.
    /// </summary>
    public static (JsonObject Task, JsonObject Provenance)? NewTask(
        JsonObject implication, KnowledgeChange change, KnowledgeDiff diff, string oldVersion, DateTimeOffset now, string pipelineVersion)
    {
        ArgumentNullException.ThrowIfNull(implication);
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(diff);
        if (change.Kind == ChangeKind.Removed || change.NewPrescribing is not { } flags) return null;
        if (KnowledgeCodes.Suggestion(flags, change.NewValue ?? string.Empty) is not { } suggestion) return null;
        var implicationReference = $"Observation/{(string?)implication["id"]}";
        var id = CreatedTaskId(implicationReference);
        var reference = $"Task/{id}";
        var source = RecommendationMatch.Source(change);
        var task = new JsonObject
        {
            ["resourceType"] = "Task",
            ["id"] = id,
            ["meta"] = new JsonObject { ["profile"] = new JsonArray(GenomicsCodes.MedicationRecommendationProfile) },
            ["status"] = "requested",
            ["intent"] = "proposal",
            ["code"] = new JsonObject { ["text"] = suggestion.Text },
            ["description"] = suggestion.Text,
        };
        if (suggestion.Codings.Count > 0) ((JsonObject)task["code"]!)["coding"] = new JsonArray([.. suggestion.Codings.Select(CodingNode)]);
        if (implication["subject"]?.DeepClone() is JsonObject subject) task["for"] = subject;
        task["reasonReference"] = new JsonObject { ["reference"] = implicationReference };
        Note(task, $"Made {Day(now)}: {source}'s recommendation for {change.Drug} ({Lookup(change)}) changed from '{change.OldValue}' "
            + $"({Strength(change.OldReviewStatus)}, knowledge version {oldVersion}), which did not change prescribing, to '{change.NewValue}' "
            + $"({Strength(change.NewReviewStatus)}, knowledge version {diff.ToVersion}); knowledge diff {diff.Id}.");
        ImplicationAmendment.Tag(task, diff.Id);
        var provenance = ImplicationAmendment.Provenance(
            reference, previousVersion: null, nullify: false, $"{source} recommendation for {change.Drug} now changes prescribing", diff, oldVersion, now, pipelineVersion);
        if (provenance["activity"]?["coding"]?[0] is JsonObject activity)
        {
            activity["code"] = "CREATE";
            activity["display"] = "create";
        }

        return (task, provenance);
    }

    private const string GenomicsConclusion = "conclusion-string";
    private const string EvidenceLevelCode = "93044-6";
    private const string KnowledgeVersionLabel = "PrecisionMed knowledge store version ";

    private static void SetProfile(JsonObject task, bool present)
    {
        if (task["meta"] is not JsonObject meta) task["meta"] = meta = [];
        var profiles = meta["profile"] as JsonArray ?? [];
        var has = profiles.Any(p => (string?)p == GenomicsCodes.MedicationRecommendationProfile);
        if (present && !has) profiles.Add(GenomicsCodes.MedicationRecommendationProfile);
        if (!present)
        {
            foreach (var profile in profiles.Where(p => (string?)p == GenomicsCodes.MedicationRecommendationProfile).ToList()) profiles.Remove(profile);
        }

        if (profiles.Count > 0) meta["profile"] = profiles;
        else meta.Remove("profile");
    }

    /// <summary>The conclusion as enrichment would now write it: the new text, classification and knowledge version.</summary>
    private static string NewConclusion(string conclusion, KnowledgeChange change, string oldVersion, string newVersion)
    {
        var head = RecommendationMatch.Head(change);
        var source = RecommendationMatch.Source(change);
        var at = conclusion.IndexOf(head + RecommendationMatch.Flat(change.OldValue!), StringComparison.Ordinal) + head.Length;
        var text = string.Concat(conclusion.AsSpan(0, at), RecommendationMatch.Flat(change.NewValue ?? string.Empty), conclusion.AsSpan(at + RecommendationMatch.Flat(change.OldValue!).Length));
        var oldClass = $" {source} classification: {Classified(change.OldReviewStatus)}.";
        var newClass = Classified(change.NewReviewStatus) is { } level ? $" {source} classification: {level}." : string.Empty;
        if (Classified(change.OldReviewStatus) is not null && text.Contains(oldClass, StringComparison.Ordinal)) text = text.Replace(oldClass, newClass, StringComparison.Ordinal);
        else if (newClass.Length > 0) text = text.Replace(" " + KnowledgeVersionLabel, newClass + " " + KnowledgeVersionLabel, StringComparison.Ordinal);
        return text.Replace(KnowledgeVersionLabel + oldVersion, KnowledgeVersionLabel + newVersion, StringComparison.Ordinal);
    }

    /// <summary>The evidence level as enrichment writes it (<c>CPIC Strong</c>), or none when the new recommendation grades nothing.</summary>
    private static void SetEvidence(JsonObject observation, string source, string? strength)
    {
        var components = observation["component"] as JsonArray ?? [];
        var existing = FhirFindings.Components(observation, EvidenceLevelCode).ToList();
        if (Classified(strength) is not { } level)
        {
            foreach (var component in existing) components.Remove(component);
            return;
        }

        var value = new JsonObject { ["text"] = $"{source} {level}" };
        if (existing.Count > 0)
        {
            foreach (var component in existing) component["valueCodeableConcept"] = value.DeepClone();
            return;
        }

        components.Insert(0, new JsonObject
        {
            ["code"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = Coding.Loinc, ["code"] = EvidenceLevelCode, ["display"] = "Level of evidence" }) },
            ["valueCodeableConcept"] = value,
        });
        observation["component"] = components;
    }

    private static void SetConclusion(JsonObject observation, string text)
    {
        foreach (var component in FhirFindings.Components(observation, GenomicsConclusion)) component["valueString"] = text;
    }

    /// <summary>A copy to write as the next version: the server sets its version and time.</summary>
    private static JsonObject Revision(JsonObject current)
    {
        var copy = (JsonObject)current.DeepClone();
        if (copy["meta"] is JsonObject meta)
        {
            meta.Remove("versionId");
            meta.Remove("lastUpdated");
        }

        return copy;
    }

    private static void Note(JsonObject resource, string text)
    {
        var notes = resource["note"] as JsonArray ?? [];
        notes.Add(new JsonObject { ["text"] = text });
        resource["note"] = notes;
    }

    private static JsonObject CodingNode(Coding coding)
    {
        var node = new JsonObject();
        if (coding.System is not null) node["system"] = coding.System;
        if (coding.Code is not null) node["code"] = coding.Code;
        if (coding.Display is not null) node["display"] = coding.Display;
        return node;
    }

    private static string Lookup(KnowledgeChange change) => string.Join(", ", RecommendationMatch.Lookup(change).Select(k => $"{k.Gene} {k.Value}"));

    private static string Strength(string? strength) => Classified(strength) is { } level ? $"classification {level}" : "unclassified";

    /// <summary>A classification that grades something (not DPWG's "N/A", not absent), as enrichment reads it.</summary>
    private static string? Classified(string? classification) =>
        classification is { Length: > 0 } c && !c.Equals("N/A", StringComparison.OrdinalIgnoreCase) ? c : null;

    private static string Day(DateTimeOffset now) => now.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
