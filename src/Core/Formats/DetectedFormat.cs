using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Formats;

/// <summary>What a file's first bytes say it is.</summary>
/// <param name="Format">The lab format inside any compression.</param>
/// <param name="Compression">How the bytes are compressed, if at all.</param>
public sealed record DetectedFormat(LabFileFormat Format, LabFileCompression Compression)
{
    public static DetectedFormat Unknown { get; } = new(LabFileFormat.Unknown, LabFileCompression.None);
}

public enum LabFileCompression
{
    None = 0,

    /// <summary>A single gzip member.</summary>
    Gzip,

    /// <summary>Blocked gzip (BGZF, as written by bgzip/htslib): gzip members with a BC extra field.</summary>
    Bgzf,
}
