using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Fhir.Genomics;

/// <summary>FHIR datatypes as JSON, from the canonical model's values. Empty input gives null, never an empty element.</summary>
/// <remarks>
/// Allocation matters here (issue 3: a report's bundle must cost under 20× the message). A built
/// <see cref="JsonObject"/> costs a dictionary plus a node per value (≈ 840 bytes for a one-coding concept), so the
/// value-heavy datatypes are written with a <see cref="Utf8JsonWriter"/> and parsed back: a node over one
/// <see cref="JsonElement"/> that materialises only if someone reads into it (≈ 470 bytes), and fixed codes,
/// categories and profiles are parsed once and shared (64 bytes per use). Editing a shared node materialises a
/// private copy, never the shared element. The JSON written out is the same either way: the final writer
/// escapes strings and lays out the document.
/// </remarks>
internal static class FhirJson
{
    /// <summary>Bounds the shared codes (a safety net: callers pass constants): past it, codes are written per use.</summary>
    private const int MaxSharedConcepts = 4096;

    private static readonly ConcurrentDictionary<(string System, string Code, string? Display), JsonElement> SharedConcepts = new();
    private static readonly ConcurrentDictionary<string, JsonElement> SharedMeta = new(StringComparer.Ordinal);

    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic] private static Utf8JsonWriter? t_writer;
    [ThreadStatic] private static bool t_busy;

    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true };

    public static JsonObject Reference(string reference) => new() { ["reference"] = reference };

    /// <summary><c>meta.profile</c> with one profile, shared (profiles are the IG's constants).</summary>
    public static JsonObject Meta(string profile) =>
        JsonObject.Create(SharedMeta.GetOrAdd(profile, static p => Element(new JsonObject { ["profile"] = new JsonArray(p) })))!;

    public static JsonObject Coding(string system, string code, string? display = null)
    {
        var coding = new JsonObject { ["system"] = system, ["code"] = code };
        if (display is not null) coding["display"] = display;
        return coding;
    }

    /// <summary>A CodeableConcept with one coding, for a code the lab's data decides (an HGVS expression, a phase).</summary>
    public static JsonObject Concept(string system, string code, string? display = null) =>
        Written((system, code, display), static (writer, c) => WriteConcept(writer, c.system, c.code, c.display));

    /// <summary>
    /// <see cref="Concept(string, string, string?)"/> for a fixed code (a category, an Observation code), parsed once
    /// and shared. Never for a lab's text or a patient's value: those are written per use.
    /// </summary>
    public static JsonObject KnownConcept(string system, string code, string? display = null)
    {
        var key = (system, code, display);
        if (!SharedConcepts.TryGetValue(key, out var element))
        {
            element = Element(Concept(system, code, display));
            if (SharedConcepts.Count < MaxSharedConcepts) SharedConcepts.TryAdd(key, element);
        }

        return JsonObject.Create(element)!;
    }

    /// <summary>A shared JSON array of fixed concepts (an Observation's categories).</summary>
    public static JsonArray KnownArray(JsonElement element) => JsonArray.Create(element)!;

    /// <summary>Parses once what <paramref name="node"/> writes, for sharing with <see cref="KnownArray"/>.</summary>
    public static JsonElement Element(JsonNode node)
    {
        using var document = JsonDocument.Parse(node.ToJsonString());
        return document.RootElement.Clone();
    }

    public static JsonObject? Coding(LabReports.Coding coding)
    {
        var json = new JsonObject();
        if (!string.IsNullOrWhiteSpace(coding.System)) json["system"] = coding.System;
        if (!string.IsNullOrWhiteSpace(coding.Code)) json["code"] = coding.Code;
        if (!string.IsNullOrWhiteSpace(coding.Display)) json["display"] = coding.Display;
        return json.ContainsKey("code") || json.ContainsKey("display") ? json : null;
    }

    /// <summary>True when <see cref="Concept(CodedValue?)"/> gives a concept: a usable coding or text.</summary>
    public static bool HasConcept(CodedValue? value)
    {
        if (value is null) return false;
        if (!string.IsNullOrWhiteSpace(value.Text)) return true;
        foreach (var coding in value.Codings)
        {
            if (IsUsable(coding)) return true;
        }

        return false;
    }

    /// <summary>A CodeableConcept, or null when the value has neither a usable coding nor text.</summary>
    public static JsonObject? Concept(CodedValue? value) =>
        HasConcept(value) ? Written(value!, static (writer, v) => WriteConcept(writer, v)) : null;

    public static JsonObject TextConcept(string text) => new() { ["text"] = text };

    public static JsonObject Quantity(QuantityValue value) => Written(value, WriteQuantity);

    /// <summary>A Range, or null when neither end is known.</summary>
    public static JsonObject? Range(decimal? low, decimal? high, string? unit) =>
        low is null && high is null ? null : Written((low, high, unit), static (writer, r) => WriteRange(writer, r.low, r.high, r.unit));

    public static void WriteQuantity(Utf8JsonWriter writer, QuantityValue value)
    {
        writer.WriteStartObject();
        writer.WriteNumber("value", value.Value);
        if (!string.IsNullOrWhiteSpace(value.Comparator)) writer.WriteString("comparator", value.Comparator);
        if (!string.IsNullOrWhiteSpace(value.Unit)) writer.WriteString("unit", value.Unit);

        // qty-3: a code needs its system.
        if (!string.IsNullOrWhiteSpace(value.UnitSystem) && !string.IsNullOrWhiteSpace(value.UnitCode))
        {
            writer.WriteString("system", value.UnitSystem);
            writer.WriteString("code", value.UnitCode);
        }

        writer.WriteEndObject();
    }

    /// <summary>A Range of SimpleQuantity ends; the caller makes sure one end is known.</summary>
    public static void WriteRange(Utf8JsonWriter writer, decimal? low, decimal? high, string? unit)
    {
        writer.WriteStartObject();
        if (low is { } l) WriteSimpleQuantity(writer, "low", l, unit);
        if (high is { } h) WriteSimpleQuantity(writer, "high", h, unit);
        writer.WriteEndObject();
    }

    private static void WriteSimpleQuantity(Utf8JsonWriter writer, string name, decimal value, string? unit)
    {
        writer.WriteStartObject(name);
        writer.WriteNumber("value", value);
        if (!string.IsNullOrWhiteSpace(unit)) writer.WriteString("unit", unit);
        writer.WriteEndObject();
    }

    private static bool IsUsable(LabReports.Coding coding) => !string.IsNullOrWhiteSpace(coding.Code) || !string.IsNullOrWhiteSpace(coding.Display);

    public static void WriteConcept(Utf8JsonWriter writer, string system, string code, string? display)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("coding");
        writer.WriteStartObject();
        writer.WriteString("system", system);
        writer.WriteString("code", code);
        if (display is not null) writer.WriteString("display", display);
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>Writes <see cref="Concept(CodedValue?)"/>; the caller makes sure <see cref="HasConcept"/>.</summary>
    public static void WriteConcept(Utf8JsonWriter writer, CodedValue value)
    {
        writer.WriteStartObject();
        var codings = false;
        foreach (var coding in value.Codings)
        {
            if (!IsUsable(coding)) continue;
            if (!codings)
            {
                writer.WriteStartArray("coding");
                codings = true;
            }

            writer.WriteStartObject();
            if (!string.IsNullOrWhiteSpace(coding.System)) writer.WriteString("system", coding.System);
            if (!string.IsNullOrWhiteSpace(coding.Code)) writer.WriteString("code", coding.Code);
            if (!string.IsNullOrWhiteSpace(coding.Display)) writer.WriteString("display", coding.Display);
            writer.WriteEndObject();
        }

        if (codings) writer.WriteEndArray();
        if (!string.IsNullOrWhiteSpace(value.Text)) writer.WriteString("text", value.Text);
        writer.WriteEndObject();
    }

    /// <summary>What <paramref name="write"/> writes (one JSON object), as a node over its parsed element.</summary>
    /// <remarks><paramref name="write"/> must write with the writer it is given only (the thread's writer is not re-entrant).</remarks>
    public static JsonObject Written<TState>(TState state, Action<Utf8JsonWriter, TState> write) => Parse(state, write).AsObject();

    /// <summary>What <paramref name="write"/> writes (one JSON array), as a node over its parsed element.</summary>
    public static JsonArray WrittenArray<TState>(TState state, Action<Utf8JsonWriter, TState> write) => Parse(state, write).AsArray();

    private static JsonNode Parse<TState>(TState state, Action<Utf8JsonWriter, TState> write)
    {
        // A write that reaches a first use of something built here (a static initialiser) must not reset the writer it is in.
        var nested = t_busy;
        var buffer = nested ? new ArrayBufferWriter<byte>(256) : t_buffer ??= new ArrayBufferWriter<byte>(4096);
        var writer = nested ? new Utf8JsonWriter(buffer, WriterOptions) : t_writer ??= new Utf8JsonWriter(buffer, WriterOptions);
        t_busy = true;
        try
        {
            buffer.ResetWrittenCount();
            writer.Reset(buffer);
            write(writer, state);
            writer.Flush();
            return JsonNode.Parse(buffer.WrittenSpan)!;
        }
        finally
        {
            t_busy = nested;
            if (nested) writer.Dispose();
        }
    }
}
