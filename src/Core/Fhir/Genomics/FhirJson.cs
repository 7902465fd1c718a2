using System.Text.Json.Nodes;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Fhir.Genomics;

/// <summary>FHIR datatypes as JSON, from the canonical model's values. Empty input gives null, never an empty element.</summary>
internal static class FhirJson
{
    public static JsonObject Reference(string reference) => new() { ["reference"] = reference };

    public static JsonArray Profile(string profile) => [profile];

    public static JsonObject Meta(string profile) => new() { ["profile"] = Profile(profile) };

    public static JsonObject Coding(string system, string code, string? display = null)
    {
        var coding = new JsonObject { ["system"] = system, ["code"] = code };
        if (display is not null) coding["display"] = display;
        return coding;
    }

    public static JsonObject Concept(string system, string code, string? display = null) =>
        new() { ["coding"] = new JsonArray(Coding(system, code, display)) };

    public static JsonObject? Coding(LabReports.Coding coding)
    {
        var json = new JsonObject();
        if (!string.IsNullOrWhiteSpace(coding.System)) json["system"] = coding.System;
        if (!string.IsNullOrWhiteSpace(coding.Code)) json["code"] = coding.Code;
        if (!string.IsNullOrWhiteSpace(coding.Display)) json["display"] = coding.Display;
        return json.ContainsKey("code") || json.ContainsKey("display") ? json : null;
    }

    /// <summary>A CodeableConcept, or null when the value has neither a usable coding nor text.</summary>
    public static JsonObject? Concept(CodedValue? value)
    {
        if (value is null) return null;
        var codings = new JsonArray();
        foreach (var coding in value.Codings)
        {
            if (Coding(coding) is { } json) codings.Add(json);
        }

        var concept = new JsonObject();
        if (codings.Count > 0) concept["coding"] = codings;
        if (!string.IsNullOrWhiteSpace(value.Text)) concept["text"] = value.Text;
        return concept.Count > 0 ? concept : null;
    }

    public static JsonObject TextConcept(string text) => new() { ["text"] = text };

    public static JsonObject Quantity(QuantityValue value)
    {
        var quantity = new JsonObject { ["value"] = value.Value };
        if (!string.IsNullOrWhiteSpace(value.Comparator)) quantity["comparator"] = value.Comparator;
        if (!string.IsNullOrWhiteSpace(value.Unit)) quantity["unit"] = value.Unit;

        // qty-3: a code needs its system.
        if (!string.IsNullOrWhiteSpace(value.UnitSystem) && !string.IsNullOrWhiteSpace(value.UnitCode))
        {
            quantity["system"] = value.UnitSystem;
            quantity["code"] = value.UnitCode;
        }

        return quantity;
    }

    /// <summary>A Range, or null when neither end is known.</summary>
    public static JsonObject? Range(decimal? low, decimal? high, string? unit)
    {
        if (low is null && high is null) return null;
        var range = new JsonObject();
        if (low is { } l) range["low"] = SimpleQuantity(l, unit);
        if (high is { } h) range["high"] = SimpleQuantity(h, unit);
        return range;
    }

    private static JsonObject SimpleQuantity(decimal value, string? unit)
    {
        var quantity = new JsonObject { ["value"] = value };
        if (!string.IsNullOrWhiteSpace(unit)) quantity["unit"] = unit;
        return quantity;
    }
}
