namespace PrecisionMed.Core.Formats;

/// <summary>
/// Where one report unit lies in its uncompressed file: the bytes <c>[Offset, Offset + Length)</c>, starting on
/// <see cref="Line"/> (1-based) at the file's <see cref="Segment"/>-th segment (0-based), so that a unit read on its own
/// still names positions in the whole file. Offsets and counts only: no content.
/// </summary>
public sealed record ReportUnitRange(long Offset, int Length, int Line, int Segment);
