using System.Buffers;
using System.Text.Json;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Fhir.Genomics;

/// <summary>FHIR datatypes written as JSON from the canonical model's values.</summary>
/// <remarks>
/// Allocation matters here (a report's bundle must cost under 20× the message): the builder writes with one
/// <see cref="Utf8JsonWriter"/> and never builds nodes. Callers check <see cref="HasConcept"/> before writing a concept:
/// empty input writes no element rather than an empty one.
/// </remarks>
internal static class FhirJson
{
    /// <summary>What <paramref name="write"/> writes, as minimal UTF-8 JSON: for constants written once.</summary>
    public static byte[] Utf8(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer)) write(writer);
        return buffer.WrittenSpan.ToArray();
    }

    public static void WriteReference(Utf8JsonWriter writer, string name, string reference)
    {
        writer.WriteStartObject(name);
        writer.WriteString("reference", reference);
        writer.WriteEndObject();
    }

    /// <summary>A Reference as an array item.</summary>
    public static void WriteReference(Utf8JsonWriter writer, string reference)
    {
        writer.WriteStartObject();
        writer.WriteString("reference", reference);
        writer.WriteEndObject();
    }

    /// <summary><c>meta.profile</c> with one profile.</summary>
    public static void WriteMeta(Utf8JsonWriter writer, string profile)
    {
        writer.WriteStartObject("meta");
        writer.WriteStartArray("profile");
        writer.WriteStringValue(profile);
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>A Coding as an array item.</summary>
    public static void WriteCoding(Utf8JsonWriter writer, string system, string code, string? display)
    {
        writer.WriteStartObject();
        writer.WriteString("system", system);
        writer.WriteString("code", code);
        if (display is not null) writer.WriteString("display", display);
        writer.WriteEndObject();
    }

    /// <summary>A Coding of the lab's as an array item; the caller makes sure it <see cref="IsUsable"/>.</summary>
    public static void WriteCoding(Utf8JsonWriter writer, LabReports.Coding coding)
    {
        writer.WriteStartObject();
        if (!string.IsNullOrWhiteSpace(coding.System)) writer.WriteString("system", coding.System);
        if (!string.IsNullOrWhiteSpace(coding.Code)) writer.WriteString("code", coding.Code);
        if (!string.IsNullOrWhiteSpace(coding.Display)) writer.WriteString("display", coding.Display);
        writer.WriteEndObject();
    }

    /// <summary>True when a concept can be written for the value: a usable coding or text.</summary>
    public static bool HasConcept(CodedValue? value)
    {
        if (value is null) return false;
        if (!string.IsNullOrWhiteSpace(value.Text)) return true;

        // Indexed loops over the lists: an interface foreach boxes its enumerator, and this runs for every concept.
        var codings = value.Codings;
        for (var i = 0; i < codings.Count; i++)
        {
            if (IsUsable(codings[i])) return true;
        }

        return false;
    }

    /// <summary>Writes the property with the value's concept when it has one; false (nothing written) otherwise.</summary>
    public static bool TryWriteConcept(Utf8JsonWriter writer, string name, CodedValue? value)
    {
        if (!HasConcept(value)) return false;
        writer.WritePropertyName(name);
        WriteConcept(writer, value!);
        return true;
    }

    /// <summary>A CodeableConcept of text only.</summary>
    public static void WriteTextConcept(Utf8JsonWriter writer, string text)
    {
        writer.WriteStartObject();
        writer.WriteString("text", text);
        writer.WriteEndObject();
    }

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

    public static bool IsUsable(LabReports.Coding coding) => !string.IsNullOrWhiteSpace(coding.Code) || !string.IsNullOrWhiteSpace(coding.Display);

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

    /// <summary>Writes the value as a CodeableConcept; the caller makes sure <see cref="HasConcept"/>.</summary>
    public static void WriteConcept(Utf8JsonWriter writer, CodedValue value)
    {
        writer.WriteStartObject();
        var codings = false;
        var list = value.Codings;
        for (var i = 0; i < list.Count; i++)
        {
            var coding = list[i];
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
}
