using System.Globalization;
using System.Text.Json.Nodes;

namespace PrecisionMed.Core.Fhir;

/// <summary>The Provenance written with every report: which blob, which bytes, which unit, which pipeline.</summary>
internal static class ProvenanceResource
{
    public const string SourceBlobSystem = "urn:precisionmed:source-blob";
    public const string ContentHashSystem = "urn:precisionmed:sha256";
    public const string KnowledgeVersionSystem = "urn:precisionmed:knowledge-version";

    /// <param name="knowledgeVersion">The knowledge store version the report's implications were derived with, when it was enriched.</param>
    public static JsonObject Create(string id, IEnumerable<string> targets, ReportProvenance source, string? knowledgeVersion = null)
    {
        var targetArray = new JsonArray();
        foreach (var target in targets) targetArray.Add(new JsonObject { ["reference"] = target });

        var provenance = new JsonObject
        {
            ["resourceType"] = "Provenance",
            ["id"] = id,
            ["target"] = targetArray,
            // The arrival time, not "now": writing the same report again yields the same resource.
            ["recorded"] = source.ReceivedAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["activity"] = new JsonObject
            {
                ["coding"] = new JsonArray(new JsonObject
                {
                    ["system"] = "http://terminology.hl7.org/CodeSystem/v3-DataOperation",
                    ["code"] = "UPDATE",
                    ["display"] = "revise",
                }),
            },
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
                ["who"] = new JsonObject { ["display"] = $"PrecisionMed Serverless {source.PipelineVersion}" },
            }),
            ["entity"] = new JsonArray(
                new JsonObject
                {
                    ["role"] = "source",
                    ["what"] = new JsonObject
                    {
                        ["identifier"] = new JsonObject { ["system"] = SourceBlobSystem, ["value"] = source.SourceBlob },
                        ["display"] = $"lab {source.LabId}, report unit {source.UnitIndex + 1} of {source.UnitCount}",
                    },
                },
                new JsonObject
                {
                    ["role"] = "source",
                    ["what"] = new JsonObject
                    {
                        ["identifier"] = new JsonObject { ["system"] = ContentHashSystem, ["value"] = source.ContentHash },
                        ["display"] = "SHA-256 of the original file",
                    },
                }),
        };
        if (knowledgeVersion is not null)
        {
            // The implications were derived with this knowledge: re-reading the report later must be able to tell which.
            ((JsonArray)provenance["entity"]!).Add(new JsonObject
            {
                ["role"] = "derivation",
                ["what"] = new JsonObject
                {
                    ["identifier"] = new JsonObject { ["system"] = KnowledgeVersionSystem, ["value"] = knowledgeVersion },
                    ["display"] = "PrecisionMed clinical-genomic knowledge store version",
                },
            });
        }

        return provenance;
    }
}
