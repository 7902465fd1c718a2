using System.Text.Json.Serialization;

namespace PrecisionMed.Core.LabReports;

/// <summary>
/// Where in a lab file a problem was found. Every member is optional: a JSON problem has a line,
/// column and path; an HL7 v2 problem a segment and field; a VCF problem a line and column.
/// </summary>
public sealed record SourcePosition
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Line { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Column { get; init; }

    /// <summary>A path inside a structured document, e.g. <c>Bundle.entry[3].resource</c>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Path { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Segment { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Field { get; init; }

    public static SourcePosition None { get; } = new();

    public override string ToString()
    {
        var parts = new List<string>(5);
        if (Line is { } line) parts.Add(Column is { } col ? $"line {line}, column {col}" : $"line {line}");
        if (Segment is not null) parts.Add($"segment {Segment}");
        if (Field is not null) parts.Add($"field {Field}");
        if (Path is not null) parts.Add(Path);
        return parts.Count == 0 ? "(whole file)" : string.Join(", ", parts);
    }
}
