using System.Text.Json.Nodes;

namespace PrecisionMed.Core.Genomics.Operations;

/// <summary>Builds the answers' FHIR Parameters, shaped as the IG's example outputs are.</summary>
internal static class ParametersJson
{
    public static JsonObject Parameters(IEnumerable<JsonObject> parameters) =>
        new() { ["resourceType"] = "Parameters", ["parameter"] = new JsonArray([.. parameters]) };

    public static JsonObject Part(string name, IEnumerable<JsonObject> parts) => new() { ["name"] = name, ["part"] = new JsonArray([.. parts]) };

    public static JsonObject String(string name, string value) => new() { ["name"] = name, ["valueString"] = value };

    public static JsonObject Boolean(string name, bool value) => new() { ["name"] = name, ["valueBoolean"] = value };

    public static JsonObject Quantity(string name, long value) => new() { ["name"] = name, ["valueQuantity"] = new JsonObject { ["value"] = value } };

    public static JsonObject Resource(string name, JsonObject resource) => new() { ["name"] = name, ["resource"] = resource };

    public static JsonObject DateTime(string name, string value) => new() { ["name"] = name, ["valueDateTime"] = value };

    public static JsonObject CodeableConcept(string name, IEnumerable<(string System, string Code, string? Display)> codings) => new()
    {
        ["name"] = name,
        ["valueCodeableConcept"] = new JsonObject
        {
            ["coding"] = new JsonArray([.. codings.Select(c => c.Display is null
                ? new JsonObject { ["system"] = c.System, ["code"] = c.Code }
                : new JsonObject { ["system"] = c.System, ["code"] = c.Code, ["display"] = c.Display })]),
        },
    };
}
