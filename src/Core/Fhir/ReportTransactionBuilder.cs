using System.Globalization;
using System.Text.Json.Nodes;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Fhir;

/// <summary>
/// Turns one report unit of a lab's bundle into FHIR transaction bundle(s) that keep the lab's content
/// intact but re-identify it (docs/design.md, "Contracts"): every resource the pipeline owns gets a deterministic id
/// and is written with PUT; the lab's references (<c>Type/id</c>, absolute URLs, <c>urn:uuid:</c>) are
/// rewritten to match; the Patient is found by identifier or conditionally created, never overwritten;
/// a Provenance names the source. <c>contained</c> resources and their <c>#id</c> references are kept.
/// </summary>
public static class ReportTransactionBuilder
{
    public const int MaxEntriesPerBundle = 500;

    /// <summary>Lab-level resources: shared by all of a lab's reports rather than owned by one.</summary>
    private static readonly HashSet<string> LabLevelTypes =
        new(StringComparer.Ordinal) { "Organization", "Practitioner", "PractitionerRole", "Location" };

    /// <param name="bundle">The lab's bundle.</param>
    /// <param name="unit">The report unit to build.</param>
    /// <param name="provenance">Where the unit came from.</param>
    /// <param name="maxEntriesPerBundle">The most entries one transaction may hold.</param>
    /// <param name="allUnits">
    /// Every unit of the bundle, when it has several: an entry two reports share (a Specimen, say) then
    /// gets one id, that of the first unit holding it, and a reference into another unit is rewritten
    /// to the id that unit writes.
    /// </param>
    public static ReportTransaction Build(
        LabBundle bundle,
        FhirReportUnit unit,
        ReportProvenance provenance,
        int maxEntriesPerBundle = MaxEntriesPerBundle,
        IReadOnlyList<FhirReportUnit>? allUnits = null) =>
        BuildDraft(bundle, unit, provenance, maxEntriesPerBundle, allUnits).ToTransaction();

    /// <summary><see cref="Build"/> as nodes, for enrichment to add to before they are written.</summary>
    public static TransactionDraft BuildDraft(
        LabBundle bundle,
        FhirReportUnit unit,
        ReportProvenance provenance,
        int maxEntriesPerBundle = MaxEntriesPerBundle,
        IReadOnlyList<FhirReportUnit>? allUnits = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEntriesPerBundle, 3);
        var accession = ChooseAccession(bundle, unit, provenance);
        var (newReferences, ids) = AssignIds(bundle, allUnits ?? [unit], provenance);

        var patients = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        var owned = new List<(LabBundleEntry Entry, string Id)>();
        foreach (var entry in unit.EntryIndexes.Select(i => bundle.Entries[i]))
        {
            if (entry.ResourceType == "Patient")
            {
                var identity = PatientIdentity.Choose(entry, provenance.LabId);
                if (!patients.ContainsKey(identity.FullUrl))
                    patients[identity.FullUrl] = PatientEntry(entry, identity);
                continue;
            }

            owned.Add((entry, ids[entry.Index]));
        }

        if (patients.Count == 0 && AboutSomeone(bundle, unit) is { } about)
        {
            // Its subject is a reference the EMR would resolve to one of its own Patients, or to none: never by identifier.
            throw new LabFileRejectedException(new SourcePosition { Path = about.Path + ".subject" },
                "the report's subject is not a Patient in the bundle: it cannot be tied to a patient by identifier");
        }

        LabBundleSubjects.Check(bundle, unit, provenance.LabId);
        LabBundleIgVersion.Check(unit.EntryIndexes.Select(i => bundle.Entries[i]));

        var index = new BundleReferenceIndex(bundle);
        foreach (var patient in patients.Values) RewriteReferences((JsonObject)patient["resource"]!, index, newReferences);

        var putEntries = owned
            .OrderBy(o => o.Entry.ResourceType == "DiagnosticReport" ? 1 : 0)
            .ThenBy(o => o.Entry.Index)
            .Select(o => PutEntry(o.Entry, o.Id, index, newReferences))
            .ToList();

        var ownedReferences = owned.Select(o => $"{o.Entry.ResourceType}/{o.Id}").ToList();
        var reportReference = owned.Where(o => o.Entry.Index == unit.ReportEntryIndex)
            .Select(o => $"DiagnosticReport/{o.Id}").FirstOrDefault();

        // The original file gets our own DocumentReference, which points at the lab's report: the lab's resources
        // stay as the lab sent them. Right before the report, as the genomic builder places its documents.
        string? original = null;
        if (provenance.OriginalUrl is { } url)
        {
            var documentId = DeterministicIds.ForReportResource(provenance.LabId, accession, "DocumentReference", OriginalFileDocument.KeyOf(provenance));
            original = $"DocumentReference/{documentId}";
            var subject = patients.Count == 1 ? patients.Keys.First() : null;
            var document = OriginalFileDocument.Create(documentId, provenance, url, subject, reportReference);
            var reports = putEntries.FindIndex(e => (string?)e["resource"]?["resourceType"] == "DiagnosticReport");
            putEntries.Insert(reports < 0 ? putEntries.Count : reports, Entry(document, "PUT", original));
            ownedReferences.Add(original);
        }

        var provenanceId = DeterministicIds.ForReportResource(provenance.LabId, accession, "Provenance", "unit");
        var targets = ownedReferences.Concat(patients.Keys).ToList();
        putEntries.Add(Entry(ProvenanceResource.Create(provenanceId, targets, provenance, originalDocument: original), "PUT", $"Provenance/{provenanceId}"));
        ownedReferences.Add($"Provenance/{provenanceId}");

        var bundles = Chunk(patients.Values.ToList(), putEntries, maxEntriesPerBundle);
        return new TransactionDraft(accession, reportReference, ownedReferences, bundles);
    }

    /// <summary>The unit's report, or else its first resource with a subject: what says the unit is about a person.</summary>
    private static LabBundleEntry? AboutSomeone(LabBundle bundle, FhirReportUnit unit) =>
        unit.ReportEntryIndex is { } report
            ? bundle.Entries[report]
            : unit.EntryIndexes.Select(i => bundle.Entries[i]).FirstOrDefault(e => e.Resource["subject"] is not null);

    private static (Dictionary<int, string> References, Dictionary<int, string> Ids) AssignIds(
        LabBundle bundle, IReadOnlyList<FhirReportUnit> units, ReportProvenance provenance)
    {
        var owner = new SortedDictionary<int, FhirReportUnit>();
        foreach (var unit in units.OrderBy(u => u.UnitIndex))
        {
            foreach (var index in unit.EntryIndexes) owner.TryAdd(index, unit);
        }

        var accessions = units.ToDictionary(u => u.UnitIndex, u => ChooseAccession(bundle, u, provenance));
        var references = new Dictionary<int, string>();
        var ids = new Dictionary<int, string>();
        var usedIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (index, unit) in owner)
        {
            var entry = bundle.Entries[index];
            if (entry.ResourceType == "Patient")
            {
                references[index] = PatientIdentity.Choose(entry, provenance.LabId).FullUrl;
                continue;
            }

            var accession = accessions[unit.UnitIndex];
            var naturalKey = NaturalKey(entry);
            var id = LabLevelTypes.Contains(entry.ResourceType)
                ? DeterministicIds.ForLabResource(provenance.LabId, entry.ResourceType, naturalKey)
                : DeterministicIds.ForReportResource(provenance.LabId, accession, entry.ResourceType, naturalKey);
            if (!usedIds.Add($"{entry.ResourceType}/{id}"))
            {
                // Two resources of one kind share a natural key (a lab reusing an identifier): keep both.
                id = DeterministicIds.ForReportResource(
                    provenance.LabId, accession, entry.ResourceType, naturalKey + "#" + entry.Index.ToString(CultureInfo.InvariantCulture));
                usedIds.Add($"{entry.ResourceType}/{id}");
            }

            ids[index] = id;
            references[index] = $"{entry.ResourceType}/{id}";
        }

        return (references, ids);
    }

    private static string ChooseAccession(LabBundle bundle, FhirReportUnit unit, ReportProvenance provenance)
    {
        if (unit.ReportEntryIndex is { } reportIndex)
        {
            var report = bundle.Entries[reportIndex];
            if (FirstIdentifier(report.Resource) is { } identifier) return identifier;
            if (report.Id is { Length: > 0 } id) return "DiagnosticReport/" + id;
            if (report.FullUrl is { Length: > 0 } fullUrl) return fullUrl;
        }

        return bundle.Identifier ?? provenance.FileName;
    }

    private static string NaturalKey(LabBundleEntry entry) =>
        FirstIdentifier(entry.Resource) is { } identifier ? "identifier:" + identifier
        : entry.Id is { Length: > 0 } id ? "id:" + id
        : entry.FullUrl is { Length: > 0 } fullUrl ? "fullUrl:" + fullUrl
        : "entry:" + entry.Index.ToString(CultureInfo.InvariantCulture);

    internal static string? FirstIdentifier(JsonObject resource)
    {
        var identifier = resource["identifier"] switch
        {
            JsonArray array => array.OfType<JsonObject>().FirstOrDefault(i => i["value"] is JsonValue),
            JsonObject single => single, // DiagnosticReport.identifier is an array, but some resources have one
            _ => null,
        };
        if (identifier?["value"] is not JsonValue value || !value.TryGetValue<string>(out var text)) return null;
        var system = identifier["system"] is JsonValue s && s.TryGetValue<string>(out var sys) ? sys : string.Empty;
        return system + "|" + text;
    }

    private static JsonObject PatientEntry(LabBundleEntry entry, PatientIdentity identity)
    {
        var patient = (JsonObject)entry.Resource.DeepClone();
        patient.Remove("id"); // the EMR's Patient has its own id: found by identifier, not by ours
        StripServerMeta(patient);
        DropGeneratedNarrative(patient);
        identity.EnsureOn(patient);
        return new JsonObject
        {
            ["fullUrl"] = identity.FullUrl,
            ["resource"] = patient,
            ["request"] = new JsonObject
            {
                ["method"] = "POST",
                ["url"] = "Patient",
                ["ifNoneExist"] = identity.SearchCondition,
            },
        };
    }

    private static JsonObject PutEntry(LabBundleEntry entry, string id, BundleReferenceIndex index, Dictionary<int, string> newReferences)
    {
        var resource = (JsonObject)entry.Resource.DeepClone();
        resource["id"] = id;
        StripServerMeta(resource);
        DropGeneratedNarrative(resource);
        RewriteReferences(resource, index, newReferences);
        return Entry(resource, "PUT", $"{entry.ResourceType}/{id}");
    }

    internal static JsonObject Entry(JsonObject resource, string method, string url) => new()
    {
        ["resource"] = resource,
        ["request"] = new JsonObject { ["method"] = method, ["url"] = url },
    };

    private static void RewriteReferences(JsonObject resource, BundleReferenceIndex index, Dictionary<int, string> newReferences)
    {
        // Only what the bundle holds is rewritten: an absolute URL to another server that ends in an entry's Type/id is
        // whatever that server holds there, kept as the lab wrote it (LabBundleSubjects holds subjects to the same rule).
        foreach (var (owner, reference) in BundleReferenceIndex.FindReferences(resource).ToList())
        {
            if (index.ResolveInBundle(reference) is { } target && newReferences.TryGetValue(target, out var rewritten))
                owner["reference"] = rewritten;
        }
    }

    private static void StripServerMeta(JsonObject resource)
    {
        if (resource["meta"] is not JsonObject meta) return;
        meta.Remove("versionId");
        meta.Remove("lastUpdated");
        if (meta.Count == 0) resource.Remove("meta");
    }

    // A generated narrative only renders the resource's data, and it names the lab's ids, which this copy no
    // longer carries (the IG's own examples' generated tables are not even valid XHTML). Readers regenerate it;
    // a narrative the lab wrote itself (status additional or extensions) is kept.
    private static void DropGeneratedNarrative(JsonObject resource)
    {
        if (resource["text"] is JsonObject text && text["status"] is JsonValue status && status.TryGetValue<string>(out var value) && value == "generated")
            resource.Remove("text");
    }

    internal static List<JsonObject> Chunk(List<JsonObject> patientEntries, List<JsonObject> putEntries, int maxEntries)
    {
        // Patients are conditional creates, idempotent, so each chunk carries them for its urn:uuid
        // references. The report and its Provenance come last, so a report never points at results
        // that are not yet written.
        var room = maxEntries - patientEntries.Count;
        if (room < 2) throw new InvalidOperationException("Too many patients in one report for the bundle size.");
        var bundles = new List<JsonObject>();

        // The first chunk takes the remainder, so the last one is full and always holds the report
        // together with its Provenance (filling from the front could leave the Provenance alone).
        var take = putEntries.Count % room is > 0 and var remainder ? remainder : room;
        for (var start = 0; start < putEntries.Count; start += take, take = room)
        {
            var entries = new JsonArray();
            foreach (var patient in patientEntries) entries.Add(patient.DeepClone());
            foreach (var entry in putEntries.Skip(start).Take(take)) entries.Add(entry);
            bundles.Add(new JsonObject { ["resourceType"] = "Bundle", ["type"] = "transaction", ["entry"] = entries });
        }

        return bundles;
    }
}
