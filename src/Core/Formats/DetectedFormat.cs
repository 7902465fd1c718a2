using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Formats;

/// <summary>What a file's first bytes say it is.</summary>
/// <param name="Format">The lab format inside any compression.</param>
/// <param name="Compression">How the bytes are compressed, if at all.</param>
public sealed record DetectedFormat(LabFileFormat Format, LabFileCompression Compression)
{
    public static DetectedFormat Unknown { get; } = new(LabFileFormat.Unknown, LabFileCompression.None);

    /// <summary>
    /// For text in an encoding no lab format is read in, its name (<c>UTF-16 (little-endian)</c>, from its byte order mark);
    /// the <see cref="Format"/> is then <see cref="LabFileFormat.Unknown"/>.
    /// </summary>
    public string? UnreadEncoding { get; init; }
}

public enum LabFileCompression
{
    None = 0,

    /// <summary>A single gzip member.</summary>
    Gzip,

    /// <summary>Blocked gzip (BGZF, as written by bgzip/htslib): gzip members with a BC extra field.</summary>
    Bgzf,
}
