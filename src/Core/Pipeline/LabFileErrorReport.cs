using System.Text.Json;
using System.Text.Json.Serialization;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Pipeline;

/// <summary>
/// The machine-readable <c>.error.json</c> written beside a rejected or failed file: which file,
/// where in it, and why. It names positions and rules, never the data.
/// </summary>
public sealed record LabFileErrorReport
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    public required string FileId { get; init; }
    public required string LabId { get; init; }

    /// <summary>The original's path when it arrived, e.g. <c>incoming/lab-a/run-7.json</c>.</summary>
    public required string File { get; init; }
    public LabFileFormat? Format { get; init; }
    public int? UnitIndex { get; init; }
    public SourcePosition? Position { get; init; }
    public required string Reason { get; init; }

    /// <summary>
    /// Extra detail from elsewhere (e.g. the FHIR server's diagnostics). It may quote the lab's data,
    /// so it lives only in this report, which is kept with the original under the same access.
    /// </summary>
    public string? Detail { get; init; }
    public IReadOnlyList<UnitError>? Units { get; init; }
    public DateTimeOffset At { get; init; }
    public required string PipelineVersion { get; init; }

    public byte[] ToUtf8Json() => JsonSerializer.SerializeToUtf8Bytes(this, JsonOptions);

    public static LabFileErrorReport? Parse(ReadOnlySpan<byte> json) => JsonSerializer.Deserialize<LabFileErrorReport>(json, JsonOptions);

    public sealed record UnitError(int UnitIndex, SourcePosition Position, string Reason);
}
